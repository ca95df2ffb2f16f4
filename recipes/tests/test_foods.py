"""The food key that lets a shopping list sum "egg" with "eggs"."""

import pytest

from recipes.foods import food_key

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("singular", "plural"),
    [
        ("egg", "eggs"),
        ("Egg", "EGGS"),
        ("tomato", "tomatoes"),
        ("avocado", "avocados"),
        ("mango", "mangoes"),
        ("berry", "berries"),
        ("anchovy", "anchovies"),
        ("cookie", "cookies"),
        ("leaf", "leaves"),
        ("bay leaf", "bay leaves"),
        ("knife", "knives"),
        ("peach", "peaches"),
        ("radish", "radishes"),
        ("box", "boxes"),
        ("glass", "glasses"),
        ("cheese", "cheeses"),
        ("olive", "olives"),
        ("clove", "cloves"),
        ("cherry tomato", "cherry  tomatoes"),
        ("green onion", "green onions"),
        ("jalapeño", "jalapeños"),
        ("pea", "peas"),
    ],
)
def test_a_singular_and_its_plural_are_one_food(singular, plural):
    assert food_key(singular) == food_key(plural)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("egg", "egg yolk"),
        ("pea", "pear"),
        ("lime", "lemon"),
        ("date", "data"),
        ("cherry", "cherry tomato"),
        ("oat", "oak"),
    ],
)
def test_different_foods_stay_apart(one, other):
    assert food_key(one) != food_key(other)


@pytest.mark.parametrize("word", ["hummus", "couscous", "asparagus", "citrus", "swiss", "gas"])
def test_singulars_ending_in_s_are_not_cut(word):
    assert food_key(word).startswith(word)
    assert food_key(word) != food_key(word[:-1])


def test_only_the_last_word_and_only_letters_are_folded():
    assert food_key("  Eggs  whites ") == "eggs white"
    assert food_key("7up") == "7up"
    assert food_key("") == ""
