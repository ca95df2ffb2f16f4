"""Tag names and their slugs, shared by every app with tags (recipes, snaps): one rule for
what a tag is, so "Vegan" and "vegan" are one tag everywhere and Unicode names ("tú")
keep their letters."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify

TAG_MAX_CHARS = 50


def tag_slug(name: str) -> str:
    """The tag's URL slug: lower-case, Unicode letters kept (`Wok Hei` -> `wok-hei`)."""
    return slugify(name, allow_unicode=True)


def tags_by_slug(names: list[str], *, max_tags: int) -> dict[str, str]:
    """{slug: name} for these tag names, whitespace collapsed, blanks skipped, the first
    spelling of each slug kept. Too long, letterless or too many is a ValidationError
    under `tags`."""
    by_slug: dict[str, str] = {}
    for name in names:
        name = " ".join(str(name).split())
        if not name:
            continue
        if len(name) > TAG_MAX_CHARS:
            raise ValidationError(
                {"tags": f"“{name[:20]}…” is longer than {TAG_MAX_CHARS} characters."}
            )
        slug = tag_slug(name)
        if not slug:
            raise ValidationError({"tags": f"“{name}” has no letters or digits."}, code="invalid")
        by_slug.setdefault(slug, name)
    if len(by_slug) > max_tags:
        raise ValidationError({"tags": f"At most {max_tags} tags."}, code="too_many")
    return by_slug


def tag_names(text: str) -> list[str]:
    """ "Vegetarian, quick  weeknight" -> ["Vegetarian", "quick weeknight"] (comma-separated)."""
    return [" ".join(name.split()) for name in text.split(",") if name.strip()]


class TagModel(models.Model):
    """A tag's row: its name as first written and its slug, each unique. Apps subclass it
    (recipes.Tag, snaps.SnapTag) and add their tag page's URL."""

    name = models.CharField(max_length=TAG_MAX_CHARS, unique=True)
    slug = models.SlugField(max_length=60, unique=True, allow_unicode=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
