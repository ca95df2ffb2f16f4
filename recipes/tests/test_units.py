from decimal import Decimal
from fractions import Fraction

import pytest

from recipes.units import Amount, add, convert, scale, scale_factor

pytestmark = pytest.mark.unit
D = Decimal


@pytest.mark.parametrize(
    ("amount", "system", "expected"),
    [
        (Amount(D("1"), None, "cup"), "metric", Amount(D("237"), None, "ml")),
        (Amount(D("1"), None, "tbsp"), "metric", Amount(D("15"), None, "ml")),
        (Amount(D("2"), None, "lb"), "metric", Amount(D("907"), None, "g")),
        (Amount(D("5"), None, "cup"), "metric", Amount(D("1.18"), None, "l")),
        (Amount(D("250"), None, "ml"), "us", Amount(D("1"), None, "cup")),
        (Amount(D("5"), None, "ml"), "us", Amount(D("1"), None, "tsp")),
        (Amount(D("30"), None, "ml"), "us", Amount(D("2"), None, "tbsp")),
        (Amount(D("200"), None, "g"), "us", Amount(D("7"), None, "oz")),
        (Amount(D("1"), None, "kg"), "us", Amount(D("2.25"), None, "lb")),
        (Amount(D("2"), D("3"), "cup"), "metric", Amount(D("473"), D("710"), "ml")),
        (Amount(D("3"), None, "clove"), "metric", Amount(D("3"), None, "clove")),
        (Amount(None, None, ""), "us", Amount(None, None, "")),
        (Amount(D("1"), None, "cup"), "us", Amount(D("1"), None, "cup")),
        (Amount(D("1"), None, "cup"), None, Amount(D("1"), None, "cup")),
    ],
)
def test_convert(amount, system, expected):
    assert convert(amount, system) == expected


def test_scale_keeps_ranges_and_leaves_unknown_quantities():
    assert scale(Amount(D("2"), D("3"), "cup"), Fraction(3, 2)) == Amount(D("3"), D("4.5"), "cup")
    assert scale(Amount(None, None, ""), Fraction(3)) == Amount(None, None, "")
    assert scale(Amount(D("1"), None, "cup"), Fraction(1, 3)).quantity == D("0.333")


@pytest.mark.parametrize(
    ("base", "servings", "factor"),
    [
        (4, 6, Fraction(3, 2)),
        (4, None, Fraction(1)),
        (None, 6, Fraction(1)),
        (2, 1, Fraction(1, 2)),
    ],
)
def test_scale_factor(base, servings, factor):
    assert scale_factor(base, servings) == factor


def test_add_sums_after_conversion_and_keeps_other_units_apart():
    total = add(
        [
            Amount(D("1"), None, "cup"),
            Amount(D("100"), None, "ml"),
            Amount(D("2"), None, "clove"),
            Amount(D("1"), D("2"), "clove"),
            Amount(None, None, ""),
        ]
    )
    assert total == [Amount(D("1.423"), None, "cup"), Amount(D("4"), None, "clove")]
