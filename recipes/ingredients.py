"""Free-text ingredient lines ("1 1/2 cups flour, sifted") into structured parts.

The parser is forgiving: whatever it cannot place stays in `food`, and the original line
is kept verbatim, so the user corrects rows instead of retyping them. Ideas from Tandoor's
and Mealie's parsers (unicode fractions, ranges, notes in parentheses or after a comma),
written for this project.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

MAX_LINE = 500

UNICODE_FRACTIONS = {
    "½": "1/2",
    "⅓": "1/3",
    "⅔": "2/3",
    "¼": "1/4",
    "¾": "3/4",
    "⅕": "1/5",
    "⅖": "2/5",
    "⅗": "3/5",
    "⅘": "4/5",
    "⅙": "1/6",
    "⅚": "5/6",
    "⅛": "1/8",
    "⅜": "3/8",
    "⅝": "5/8",
    "⅞": "7/8",
}

# canonical unit -> spellings (lower case, without a trailing dot); plurals listed.
UNIT_SPELLINGS: dict[str, tuple[str, ...]] = {
    "g": ("g", "gr", "gram", "grams", "gramme", "grammes"),
    "kg": ("kg", "kgs", "kilo", "kilos", "kilogram", "kilograms"),
    "mg": ("mg", "milligram", "milligrams"),
    "ml": ("ml", "millilitre", "millilitres", "milliliter", "milliliters"),
    "cl": ("cl", "centilitre", "centilitres", "centiliter", "centiliters"),
    "dl": ("dl", "decilitre", "decilitres", "deciliter", "deciliters"),
    "l": ("l", "litre", "litres", "liter", "liters", "ltr"),
    "tsp": ("tsp", "tsps", "teaspoon", "teaspoons", "t", "tsp.", "teasp"),
    "tbsp": ("tbsp", "tbsps", "tablespoon", "tablespoons", "tbs", "tbl", "tbl.", "tb", "T", "el"),
    "cup": ("cup", "cups", "c"),
    "fl oz": ("fl oz", "fl. oz", "fluid ounce", "fluid ounces", "floz"),
    "oz": ("oz", "ounce", "ounces", "ozs"),
    "lb": ("lb", "lbs", "pound", "pounds"),
    "pint": ("pint", "pints", "pt", "pts"),
    "quart": ("quart", "quarts", "qt", "qts"),
    "gallon": ("gallon", "gallons", "gal"),
    "pinch": ("pinch", "pinches"),
    "dash": ("dash", "dashes"),
    "clove": ("clove", "cloves"),
    "can": ("can", "cans", "tin", "tins"),
    "package": ("package", "packages", "pkg", "packet", "packets"),
    "stick": ("stick", "sticks"),
    "slice": ("slice", "slices"),
    "piece": ("piece", "pieces", "pc", "pcs"),
    "bunch": ("bunch", "bunches"),
    "handful": ("handful", "handfuls"),
    "sprig": ("sprig", "sprigs"),
    "jar": ("jar", "jars"),
    "bottle": ("bottle", "bottles"),
    "head": ("head", "heads"),
    "stalk": ("stalk", "stalks"),
}
# Case matters for the one-letter spoons: "1 T sugar" is a tablespoon, "1 t salt" a teaspoon.
_CASE_SENSITIVE = {"T": "tbsp", "t": "tsp", "c": "cup"}
UNITS: dict[str, str] = {
    spelling.lower(): unit
    for unit, spellings in UNIT_SPELLINGS.items()
    for spelling in spellings
    if spelling not in _CASE_SENSITIVE
}
_MULTIWORD = sorted((s for s in UNITS if " " in s), key=len, reverse=True)

_NUMBER = r"\d+(?:[.,]\d+)?(?:\s+\d+/\d+)?|\d+/\d+"
_QUANTITY = re.compile(
    rf"^(?P<q>{_NUMBER})(?:\s*(?:-|\u2013|\u2014|to|or)\s*(?P<max>{_NUMBER}))?(?=[^\d/.,]|$)\s*",
    re.IGNORECASE,
)
_ARTICLE = re.compile(r"^(?:an?|one)\s+(?=\S)", re.IGNORECASE)
_PARENS = re.compile(r"\s*\(([^()]*)\)")


@dataclass(frozen=True)
class ParsedIngredient:
    original_text: str
    quantity: Decimal | None = None
    quantity_max: Decimal | None = None
    unit: str = ""
    food: str = ""
    note: str = ""


def parse_number(text: str) -> Decimal | None:
    """ "1 1/2", "1/2", "1.5" and "1,5" as a Decimal with three places; None if not one."""
    text = text.strip().replace(",", ".")
    try:
        total = sum((Fraction(part) for part in text.split()), Fraction(0))
    except (ValueError, ZeroDivisionError):
        return None
    if total < 0 or total > 99999:
        return None
    return Decimal(total.numerator) / Decimal(total.denominator)


def quantize(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def _normalise(line: str) -> str:
    for glyph, ascii_fraction in UNICODE_FRACTIONS.items():
        # "1½" -> "1 1/2", "½" -> "1/2"
        line = re.sub(rf"(\d){glyph}", rf"\1 {ascii_fraction}", line)
        line = line.replace(glyph, ascii_fraction)
    line = line.replace("\u2044", "/")  # the fraction slash
    line = re.sub(r"(\d)\s*-\s*(\d)", r"\1-\2", line)
    line = re.sub(r"^[-*•·▢☐□]\s*", "", line)  # list bullets and checkboxes
    return " ".join(line.split())


def _take_unit(rest: str) -> tuple[str, str]:
    """The unit at the start of `rest` (canonical name) and what follows."""
    lower = rest.lower()
    for spelling in _MULTIWORD:
        if lower.startswith(spelling) and (
            len(lower) == len(spelling) or lower[len(spelling)] in " .,"
        ):
            return UNITS[spelling], rest[len(spelling) :].lstrip(". ")
    word, _, after = rest.partition(" ")
    bare = word.rstrip(".,")
    if bare in _CASE_SENSITIVE and after:
        return _CASE_SENSITIVE[bare], after
    if bare.lower() in UNITS and (after or bare.lower() not in ("can", "head", "stick")):
        return UNITS[bare.lower()], after
    return "", rest


def parse_ingredient(line: str) -> ParsedIngredient:
    """One free-text line as quantity (and range), unit, food and note."""
    original = line.strip()[:MAX_LINE]
    text = _normalise(original)
    notes: list[str] = []

    quantity = quantity_max = None
    text = _ARTICLE.sub("1 ", text) if re.match(r"^(?:an?|one)\s+\S+\s+\S", text, re.I) else text
    if match := _QUANTITY.match(text):
        quantity = parse_number(match["q"])
        quantity_max = parse_number(match["max"]) if match["max"] else None
        if quantity is not None and quantity_max is not None and quantity_max <= quantity:
            quantity_max = None
        text = text[match.end() :]
        # "200g", "2tbsp": a unit glued to the number
    elif glued := re.match(rf"^({_NUMBER})([a-zA-Z]+\.?)(\s|$)", text):
        quantity = parse_number(glued[1])
        text = f"{glued[2]} {text[glued.end() :]}".strip()

    # "1 (14 oz) can tomatoes": a size in parentheses before the unit is a note
    if size := re.match(r"^\(([^()]*)\)\s*", text):
        notes.append(size[1].strip())
        text = text[size.end() :]

    unit, text = _take_unit(text)
    if unit:
        text = re.sub(r"^of\s+", "", text, flags=re.IGNORECASE)

    notes += [part.strip() for part in _PARENS.findall(text) if part.strip()]
    text = _PARENS.sub("", text).strip()
    food, comma, note = text.partition(",")
    if comma and note.strip():
        notes.append(note.strip())
    food = food.strip(" ,;:-")
    if quantity is not None:
        quantity = quantize(quantity)
    if quantity_max is not None:
        quantity_max = quantize(quantity_max)
    return ParsedIngredient(
        original_text=original,
        quantity=quantity,
        quantity_max=quantity_max,
        unit=unit,
        food=food[:200],
        note=", ".join(notes)[:200],
    )


def parse_ingredients(text: str) -> list[ParsedIngredient]:
    """Every non-empty line of a pasted block (the book's one comma-separated line too)."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) == 1 and "," in lines[0] and not _QUANTITY.match(lines[0].strip()):
        lines = lines[0].split(",")  # the book's convention: "eggs, flour, milk"
    return [parse_ingredient(line) for line in lines if line.strip()]


_COMMON_FRACTIONS = {
    Fraction(1, 8): "1/8",
    Fraction(1, 4): "1/4",
    Fraction(1, 3): "1/3",
    Fraction(3, 8): "3/8",
    Fraction(1, 2): "1/2",
    Fraction(5, 8): "5/8",
    Fraction(2, 3): "2/3",
    Fraction(3, 4): "3/4",
    Fraction(7, 8): "7/8",
}


def format_quantity(value: Decimal | float | None) -> str:
    """3 places at most, with common kitchen fractions: 1.5 -> "1 1/2", 0.333 -> "1/3"."""
    if value is None:
        return ""
    try:
        value = Decimal(str(value))
    except InvalidOperation:
        return ""
    whole = int(value)
    rest = value - whole
    if rest == 0:
        return str(whole)
    for fraction, label in _COMMON_FRACTIONS.items():
        if abs(Decimal(fraction.numerator) / fraction.denominator - rest) < Decimal("0.01"):
            return f"{whole} {label}" if whole else label
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text
