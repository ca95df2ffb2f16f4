from django import template
from django.utils.safestring import SafeString, mark_safe

from snaps.highlighting import plain_excerpt

register = template.Library()


@register.filter
def excerpt(snap) -> SafeString:
    # Plain and escaped (never highlighted: a list page must stay cheap), so safe to emit.
    return mark_safe(plain_excerpt(snap.content))
