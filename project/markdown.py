"""The one Markdown renderer for user- or third-party-written text (GitHub issues,
and any app that needs it later): CommonMark with raw HTML off, then sanitised."""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

# "commonmark" with html=False: raw HTML in the source is shown as text, not parsed.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

# nh3 (ammonia) strips anything unsafe that could still come out (e.g. javascript: links,
# which markdown-it already refuses) and adds rel to every link.
_URL_SCHEMES = {"http", "https", "mailto"}
# A code block that scrolls sideways must be reachable by keyboard, without JavaScript.
_FOCUSABLE_CODE = {"pre": {"tabindex": "0", "role": "region", "aria-label": "Code block"}}


def render_markdown(text: str | None) -> SafeString:
    """Markdown -> sanitised HTML, safe to insert into a template as is."""
    html = _markdown.render((text or "").replace("\x00", ""))
    # Safe: sanitised by nh3 just here.
    return mark_safe(
        nh3.clean(
            html,
            url_schemes=_URL_SCHEMES,
            link_rel="nofollow noopener noreferrer ugc",
            set_tag_attribute_values=_FOCUSABLE_CODE,
        )
    )
