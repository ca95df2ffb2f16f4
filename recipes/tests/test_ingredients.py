from decimal import Decimal

import pytest

from recipes.ingredients import format_quantity, parse_ingredient, parse_ingredients

pytestmark = pytest.mark.unit

D = Decimal


@pytest.mark.parametrize(
    ("line", "quantity", "quantity_max", "unit", "food", "note"),
    [
        ("2 eggs", D("2"), None, "", "eggs", ""),
        ("200 g flour", D("200"), None, "g", "flour", ""),
        ("200g flour", D("200"), None, "g", "flour", ""),
        (
            "1 1/2 cups all-purpose flour, sifted",
            D("1.5"),
            None,
            "cup",
            "all-purpose flour",
            "sifted",
        ),
        ("1½ cups milk", D("1.5"), None, "cup", "milk", ""),
        ("½ tsp salt", D("0.5"), None, "tsp", "salt", ""),
        ("¾ cup (180ml) whole milk", D("0.75"), None, "cup", "whole milk", "180ml"),
        ("2-3 cloves garlic, minced", D("2"), D("3"), "clove", "garlic", "minced"),
        ("2 \u2013 3 tablespoons olive oil", D("2"), D("3"), "tbsp", "olive oil", ""),
        ("2 to 3 Tbsp. honey", D("2"), D("3"), "tbsp", "honey", ""),
        ("1 (14 oz) can diced tomatoes", D("1"), None, "can", "diced tomatoes", "14 oz"),
        ("1 T sugar", D("1"), None, "tbsp", "sugar", ""),
        ("1 t baking soda", D("1"), None, "tsp", "baking soda", ""),
        ("3 fl oz cream", D("3"), None, "fl oz", "cream", ""),
        (
            "2 lbs. chicken thighs, boneless and skinless",
            D("2"),
            None,
            "lb",
            "chicken thighs",
            "boneless and skinless",
        ),
        ("1/3 cup sugar", D("0.333"), None, "cup", "sugar", ""),
        ("0.5 l water", D("0.5"), None, "l", "water", ""),
        ("1,5 kg Kartoffeln", D("1.5"), None, "kg", "Kartoffeln", ""),
        ("2 cups of chicken stock", D("2"), None, "cup", "chicken stock", ""),
        ("a pinch of salt", D("1"), None, "pinch", "salt", ""),
        ("Salt and pepper, to taste", None, None, "", "Salt and pepper", "to taste"),
        ("fresh parsley (optional)", None, None, "", "fresh parsley", "optional"),
        ("▢ 250 ml double cream", D("250"), None, "ml", "double cream", ""),
        ("- 4 large onions, thinly sliced", D("4"), None, "", "large onions", "thinly sliced"),
        ("1 stick butter, softened", D("1"), None, "stick", "butter", "softened"),
        ("3 sprigs thyme", D("3"), None, "sprig", "thyme", ""),
        ("1 bunch coriander", D("1"), None, "bunch", "coriander", ""),
        ("12 oz spaghetti", D("12"), None, "oz", "spaghetti", ""),
        ("1 quart vegetable broth", D("1"), None, "quart", "vegetable broth", ""),
        ("2 Teaspoons vanilla extract", D("2"), None, "tsp", "vanilla extract", ""),
        ("1 egg yolk", D("1"), None, "", "egg yolk", ""),
        ("water", None, None, "", "water", ""),
        ("1 1/2 - 2 cups broth", D("1.5"), D("2"), "cup", "broth", ""),
        ("3-4 medium potatoes (about 1 lb)", D("3"), D("4"), "", "medium potatoes", "about 1 lb"),
    ],
)
def test_parse_real_world_lines(line, quantity, quantity_max, unit, food, note):
    parsed = parse_ingredient(line)
    assert (parsed.quantity, parsed.quantity_max, parsed.unit, parsed.food, parsed.note) == (
        quantity,
        quantity_max,
        unit,
        food,
        note,
    )
    assert parsed.original_text == line


def test_original_text_is_kept_verbatim_even_when_nothing_parses():
    parsed = parse_ingredient("  ??? ½½ ///  ")
    assert parsed.original_text == "??? ½½ ///"


def test_a_range_backwards_keeps_only_the_first_quantity():
    assert parse_ingredient("3-2 eggs").quantity_max is None


def test_absurd_numbers_are_not_quantities():
    assert parse_ingredient("1/0 cup sugar").quantity is None
    assert parse_ingredient("9999999 g sugar").quantity is None


def test_block_skips_blank_lines_and_splits_the_books_comma_line():
    assert [p.food for p in parse_ingredients("2 eggs\n\n  \n100 g flour\n")] == ["eggs", "flour"]
    assert [p.food for p in parse_ingredients("eggs, flour, milk")] == ["eggs", "flour", "milk"]


def test_long_lines_are_cut():
    assert len(parse_ingredient("x" * 2000).original_text) == 500


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D("1.5"), "1 1/2"),
        (D("0.333"), "1/3"),
        (D("2"), "2"),
        (D("0.125"), "1/8"),
        (D("1.23"), "1.23"),
        (None, ""),
    ],
)
def test_format_quantity_uses_kitchen_fractions(value, text):
    assert format_quantity(value) == text
