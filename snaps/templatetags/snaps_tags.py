from django import template
from django.utils.safestring import SafeString, mark_safe

from snaps.highlighting import highlight_excerpt

register = template.Library()


@register.filter
def excerpt(snap) -> SafeString:
    # Pygments escapes the code itself, so its HTML is safe to emit.
    return mark_safe(highlight_excerpt(snap.content, snap.extension))
