from django import template
from django.utils.safestring import SafeString, mark_safe

from snaps.highlighting import plain_excerpt

register = template.Library()


@register.filter
def excerpt(snap) -> SafeString:
    """The first file's first lines. Plain and escaped (never highlighted: a list page
    must stay cheap), so safe to emit."""
    first = snap.first_file
    if first is None:
        return mark_safe("")
    # Lists fetch only the head of each file (selectors.files_heads).
    head = getattr(first, "content_head", None)
    return mark_safe(plain_excerpt(head if head is not None else first.content))
