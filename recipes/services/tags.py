"""Tags: names typed by people, one tag per slug."""

from django.core.exceptions import ValidationError
from django.utils.text import slugify

from recipes.models import (
    Tag,
)

MAX_TAGS = 20


def tag_names(text: str) -> list[str]:
    """ "Vegetarian, quick  weeknight" -> ["Vegetarian", "quick weeknight"] (comma-separated)."""
    return [" ".join(name.split()) for name in text.split(",") if name.strip()]


def tags_for_names(names: list[str]) -> list[Tag]:
    """The tags named (created when new; "Vegan" and "vegan" are one tag), race-safe."""
    by_slug: dict[str, str] = {}
    for name in names:
        name = " ".join(str(name).split())
        if not name:
            continue
        if len(name) > 50:
            raise ValidationError({"tags": f"“{name[:20]}…” is longer than 50 characters."})
        slug = slugify(name, allow_unicode=True)
        if not slug:
            raise ValidationError({"tags": f"“{name}” has no letters or digits."}, code="invalid")
        by_slug.setdefault(slug, name)
    if len(by_slug) > MAX_TAGS:
        raise ValidationError({"tags": f"At most {MAX_TAGS} tags."}, code="too_many")
    Tag.objects.bulk_create(
        [Tag(name=name, slug=slug) for slug, name in by_slug.items()], ignore_conflicts=True
    )
    return list(Tag.objects.filter(slug__in=by_slug))
