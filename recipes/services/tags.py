"""Recipe tags: the names people type, one Tag row per slug (project.tags' rule)."""

from project.tags import tag_names, tags_by_slug
from recipes.models import Tag

MAX_TAGS = 20

__all__ = ["MAX_TAGS", "tag_names", "tags_for_names"]


def tags_for_names(names: list[str]) -> list[Tag]:
    """The tags named (created when new; "Vegan" and "vegan" are one tag, project.tags),
    race-safe."""
    by_slug = tags_by_slug(names, max_tags=MAX_TAGS)
    Tag.objects.bulk_create(
        [Tag(name=name, slug=slug) for slug, name in by_slug.items()], ignore_conflicts=True
    )
    return list(Tag.objects.filter(slug__in=by_slug))
