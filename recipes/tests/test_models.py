import pytest

from recipes.models import Recipe

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Short title", "Short title"),
        ("x" * 136, "x" * 136),
        ("word " * 40, ("word " * 27).rstrip() + "..."),
        ("y" * 200, "y" * 136 + "..."),
    ],
)
def test_summarize_follows_the_book(title, expected):
    summary = Recipe(title=title).summarize()
    assert summary == expected
    assert len(summary) <= 139


def test_summarize_custom_length():
    assert Recipe(title="alpha beta gamma").summarize(10) == "alpha..."
