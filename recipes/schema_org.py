"""A recipe as schema.org Recipe JSON-LD: embedded in its page, downloadable, and read
back by the importer (recipes/importer.py), so an export imports again unchanged."""

from __future__ import annotations

import json

from django.utils.safestring import SafeString, mark_safe

from recipes.models import Recipe

# Inside <script>, "<", ">" and "&" must not appear raw ("</script>" would end it).
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _duration(minutes: int | None) -> str | None:
    return f"PT{minutes}M" if minutes else None


def recipe_jsonld(recipe: Recipe, *, url: str) -> dict:
    """Uses the recipe's prefetched rows, steps and tags. Picture URLs are made absolute
    against the page's `url`."""
    from urllib.parse import urljoin

    data = {
        "@context": "https://schema.org",
        "@type": "Recipe",
        "name": recipe.title,
        "url": url,
        "author": {"@type": "Person", "name": recipe.user.username},
        "datePublished": recipe.created_on.date().isoformat(),
        "dateModified": recipe.updated_on.isoformat() if recipe.updated_on else None,
        "recipeYield": str(recipe.servings) if recipe.servings else None,
        "prepTime": _duration(recipe.prep_time_minutes),
        "cookTime": _duration(recipe.cook_time_minutes),
        "totalTime": _duration(recipe.total_time_minutes),
        "keywords": ", ".join(tag.name for tag in recipe.tags.all()) or None,
        "recipeIngredient": [row.original_text for row in recipe.ingredient_rows.all()],
        "recipeInstructions": [
            {"@type": "HowToStep", "position": step.number, "text": step.text}
            for step in recipe.steps.all()
        ],
        "isBasedOn": recipe.source_url or None,
        "image": urljoin(url, recipe.image.url) if recipe.image else None,
    }
    return {key: value for key, value in data.items() if value is not None}


def script_json(data: dict) -> SafeString:
    """JSON safe to put between <script type="application/ld+json"> tags."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES))
