"""Scaling ingredient amounts to a number of servings and converting them between
metric and US units with pint. Units pint does not know (cloves, cans, pinches) keep
their unit and are only scaled."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cache

import pint

from recipes.ingredients import format_quantity, quantize

# Our canonical unit names (recipes/ingredients.py) -> pint's.
PINT_UNITS = {
    "g": "gram",
    "kg": "kilogram",
    "mg": "milligram",
    "ml": "milliliter",
    "cl": "centiliter",
    "dl": "deciliter",
    "l": "liter",
    "tsp": "teaspoon",
    "tbsp": "tablespoon",
    "cup": "cup",
    "fl oz": "fluid_ounce",
    "oz": "ounce",
    "lb": "pound",
    "pint": "pint",
    "quart": "quart",
    "gallon": "gallon",
}
SYSTEMS = ("metric", "us")
US_UNITS = frozenset({"tsp", "tbsp", "cup", "fl oz", "oz", "lb", "pint", "quart", "gallon"})
MAX_SERVINGS = 1000


@cache
def registry() -> pint.UnitRegistry:
    return pint.UnitRegistry()


@dataclass(frozen=True)
class Amount:
    quantity: Decimal | None
    quantity_max: Decimal | None
    unit: str

    @property
    def text(self) -> str:
        text = format_quantity(self.quantity)
        if self.quantity_max is not None:
            text = f"{text}-{format_quantity(self.quantity_max)}"
        return text


def kind(unit: str) -> str | None:
    """ "mass", "volume" or None for a unit pint cannot convert."""
    if unit not in PINT_UNITS:
        return None
    ureg = registry()
    dimensionality = ureg.Unit(PINT_UNITS[unit]).dimensionality
    if dimensionality == ureg.gram.dimensionality:
        return "mass"
    if dimensionality == ureg.liter.dimensionality:
        return "volume"
    return None


def _in(value: Decimal, unit: str, target: str) -> Decimal:
    ureg = registry()
    converted = ureg.Quantity(float(value), PINT_UNITS[unit]).to(PINT_UNITS[target]).magnitude
    return Decimal(str(converted))


def _pick_target(value: Decimal, unit: str, system: str) -> str:
    """The unit a cook would use for this amount in `system`."""
    if kind(unit) == "mass":
        if system == "metric":
            return "kg" if _in(value, unit, "g") >= 1000 else "g"
        return "lb" if _in(value, unit, "oz") >= 16 else "oz"
    if system == "metric":
        return "l" if _in(value, unit, "ml") >= 1000 else "ml"
    teaspoons = _in(value, unit, "tsp")
    if teaspoons < 3:
        return "tsp"
    if teaspoons < 12:  # under a quarter cup
        return "tbsp"
    return "cup" if teaspoons < 192 else "quart"  # 192 tsp = 4 cups


def _round(value: Decimal, unit: str) -> Decimal:
    """Kitchen precision: whole grams and millilitres, eighths of US measures."""
    if unit in ("g", "ml") and value >= 10:
        return value.quantize(Decimal("1"))
    if unit in ("g", "ml", "kg", "l", "mg", "cl", "dl"):
        if value >= 10:
            return value.quantize(Decimal("0.1"))
        return value.quantize(Decimal("0.01")).normalize()
    eighths = round(Fraction(value) * 8) or 1
    return Decimal(eighths) / 8


def convert(amount: Amount, system: str | None) -> Amount:
    """The amount in `system` ("metric" or "us"); unchanged when None or not convertible."""
    if system not in SYSTEMS or amount.quantity is None or kind(amount.unit) is None:
        return amount
    if (amount.unit in US_UNITS) == (system == "us"):
        return amount  # already in that system: the cook's own choice of unit stays
    target = _pick_target(amount.quantity, amount.unit, system)

    def one(value: Decimal | None) -> Decimal | None:
        return None if value is None else _round(_in(value, amount.unit, target), target)

    return Amount(one(amount.quantity), one(amount.quantity_max), target)


def scale(amount: Amount, factor: Fraction) -> Amount:
    if amount.quantity is None or factor == 1:
        return amount

    def one(value: Decimal | None) -> Decimal | None:
        return None if value is None else quantize(value * factor.numerator / factor.denominator)

    return Amount(one(amount.quantity), one(amount.quantity_max), amount.unit)


def scale_factor(base_servings: int | None, servings: int | None) -> Fraction:
    if not servings or not base_servings:
        return Fraction(1)
    return Fraction(servings, base_servings)


def add(amounts: list[Amount]) -> list[Amount]:
    """Sum amounts of one food: convertible ones of one kind into one amount in the
    first one's unit, the rest by unit (ranges count at their upper end)."""
    totals: dict[str, Decimal] = {}
    first_unit: dict[str, str] = {}
    for amount in amounts:
        if amount.quantity is None:
            continue
        value = amount.quantity_max if amount.quantity_max is not None else amount.quantity
        group = kind(amount.unit) or f"unit:{amount.unit}"
        unit = first_unit.setdefault(group, amount.unit)
        if unit != amount.unit:
            value = _in(value, amount.unit, unit)
        totals[group] = totals.get(group, Decimal(0)) + value
    return [Amount(quantize(total), None, first_unit[group]) for group, total in totals.items()]
