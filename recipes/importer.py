"""Recipes from other sites: schema.org Recipe data (JSON-LD or microdata) read with
recipe-scrapers from a fetched page, pasted HTML, or pasted JSON-LD."""

from __future__ import annotations

import json
import re

from recipe_scrapers import scrape_html

MAX_PASTE = 3_000_000


class NoRecipeFound(ValueError):
    pass


def _call(scraper, name: str, default=None):
    """One field; recipe-scrapers raises when a site leaves a field out."""
    try:
        value = getattr(scraper, name)()
    except Exception:  # each missing or malformed field is just left out
        return default
    return default if value in (None, "", []) else value


def _servings(yields: str | None) -> int | None:
    match = re.search(r"\d+", yields or "")
    if not match:
        return None
    value = int(match[0])
    return value if 1 <= value <= 100 else None


def _minutes(value) -> int | None:
    return value if isinstance(value, int) and 1 <= value <= 7 * 24 * 60 else None


def recipe_data_from_html(html: str, url: str = "https://imported.invalid/") -> dict:
    """The recipe's fields (as recipe_create takes them) from a page's schema.org data."""
    try:
        scraper = scrape_html(html, org_url=url, supported_only=False)
    except Exception:  # recipe-scrapers' own errors (no schema found, unparsable markup)
        raise NoRecipeFound("No recipe (schema.org Recipe data) was found there.") from None
    title = _call(scraper, "title")
    ingredients = [line.strip() for line in _call(scraper, "ingredients", []) if line.strip()]
    if not title or not ingredients:
        raise NoRecipeFound("No recipe (schema.org Recipe data) was found there.")
    steps = [step.strip() for step in _call(scraper, "instructions_list", []) if step.strip()]
    keywords = _call(scraper, "keywords", [])
    if isinstance(keywords, str):
        keywords = keywords.split(",")
    category = _call(scraper, "category")
    tags = [str(k).strip()[:50] for k in keywords if str(k).strip()]
    if isinstance(category, str):
        tags += [c.strip()[:50] for c in category.split(",") if c.strip()]
    prep, cook = _minutes(_call(scraper, "prep_time")), _minutes(_call(scraper, "cook_time"))
    return {
        "title": str(title)[:200],
        "ingredients": "\n".join(line[:500] for line in ingredients[:200]),
        "instructions": "\n\n".join(steps[:100]) or "See the original recipe.",
        "servings": _servings(str(_call(scraper, "yields", ""))),
        "prep_time_minutes": prep,
        "cook_time_minutes": cook,
        "total_time_minutes": _minutes(_call(scraper, "total_time")) or None,
        "tags": list(dict.fromkeys(tags))[:20],
        "source_url": url if not url.endswith(".invalid/") else "",
    }


def recipe_data_from_jsonld(text: str) -> dict:
    """Pasted JSON-LD (a Recipe, a list, or an @graph holding one)."""
    try:
        data = json.loads(text)
    except ValueError:
        raise NoRecipeFound("That is not valid JSON.") from None
    # A data block inside a page: "</" must not end the script element early.
    block = json.dumps(data).replace("</", "<\\/")
    html = f'<html><head><script type="application/ld+json">{block}</script></head></html>'
    return recipe_data_from_html(html)


def recipe_data_from_paste(text: str) -> dict:
    """Pasted HTML or JSON-LD, told apart by their first character."""
    text = text.strip()
    if len(text) > MAX_PASTE:
        raise NoRecipeFound(f"Paste at most {MAX_PASTE} characters.")
    if text[:1] in "{[":
        return recipe_data_from_jsonld(text)
    return recipe_data_from_html(text)
