"""Structured ingredient rows and the ingredients text they write."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from project import pagecache
from recipes.ingredients import format_quantity, parse_ingredients
from recipes.models import (
    Ingredient,
    Recipe,
)
from recipes.services.authors import require_author

INGREDIENT_FIELDS = ("quantity", "quantity_max", "unit", "food", "note", "original_text")


def ingredient_line(row: dict | Ingredient) -> str:
    """A row written out as a line, for rows typed in parts (no original text)."""
    get = row.get if isinstance(row, dict) else lambda name, default=None: getattr(row, name)
    quantity = format_quantity(get("quantity"))
    if get("quantity_max") is not None:
        quantity = f"{quantity}-{format_quantity(get('quantity_max'))}"
    note = get("note", "")
    words = [quantity, get("unit", ""), get("food", "")]
    line = " ".join(word for word in words if word)
    return f"{line}, {note}" if note else line


def _ingredient_rows(recipe: Recipe, rows: list[dict]) -> list[Ingredient]:
    built = []
    for position, row in enumerate(rows):
        values = {k: v for k, v in row.items() if k in INGREDIENT_FIELDS}
        values["original_text"] = (values.get("original_text") or "").strip() or ingredient_line(
            values
        )
        ingredient = Ingredient(recipe=recipe, position=position, **values)
        ingredient.full_clean(exclude=["recipe"])
        built.append(ingredient)
    return built


def rows_from_text(text: str) -> list[dict]:
    """Pasted free-text lines as rows the user can correct."""
    return [
        {name: getattr(parsed, name) for name in INGREDIENT_FIELDS}
        for parsed in parse_ingredients(text)
    ]


def _ingredients_replace(recipe: Recipe, rows: list[dict]) -> None:
    built = _ingredient_rows(recipe, rows)
    recipe.ingredient_rows.all().delete()
    Ingredient.objects.bulk_create(built)
    text = "\n".join(row.original_text for row in built)
    if recipe.ingredients != text:
        recipe.ingredients = text
        recipe.save(update_fields=["ingredients", "updated_on"])


@transaction.atomic
def ingredients_set(*, recipe: Recipe, by: AbstractBaseUser, rows: list[dict]) -> Recipe:
    """Replace the recipe's ingredient rows (the user's corrections); the text follows."""
    require_author(recipe, by)
    if not rows:
        raise ValidationError({"ingredient_rows": "Add at least one ingredient."}, code="required")
    _ingredients_replace(recipe, rows)
    pagecache.invalidate_on_commit("recipes")
    return recipe


def ingredients_text_sync(*, recipe: Recipe, reparse: bool) -> None:
    """After a save that bypassed the services (the admin): parse the text into rows
    (`reparse`), or write the rows' lines back into the text."""
    if reparse or not recipe.ingredient_rows.exists():
        _ingredients_replace(recipe, rows_from_text(recipe.ingredients))
    else:
        rows = [{k: getattr(r, k) for k in INGREDIENT_FIELDS} for r in recipe.ingredient_rows.all()]
        _ingredients_replace(recipe, rows)


def _prepare_ingredients(recipe: Recipe, rows: list[dict] | None) -> list[dict] | None:
    """Rows given win; otherwise the text is parsed. The text must exist before full_clean."""
    if rows is not None:
        recipe.ingredients = "\n".join(
            (row.get("original_text") or "").strip() or ingredient_line(row) for row in rows
        )
        return rows
    return None
