"""Template helpers shared by every page (a template builtin: no {% load %} needed)."""

from datetime import datetime

from django import template
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html

register = template.Library()


@register.filter(is_safe=True)
def reltime(value: datetime | None) -> str:
    """A relative time ("3 minutes ago") whose absolute value shows on hover."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        local.isoformat(),
        date_format(local, "j M Y, H:i T"),
        naturaltime(value),
    )


@register.simple_tag(takes_context=True)
def page_url(context, page: int) -> str:
    """ "?<the current query string with only `page` replaced>": a list's filters
    (`?user=`, `?tag=`, ...) survive paging."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)
    query["page"] = page
    return f"?{query.urlencode()}"
