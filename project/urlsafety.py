"""The one check for URLs that come from outside (GitHub, X, Facebook, allauth profiles).

Such a URL is stored and rendered only when it is an absolute http(s) URL with a host:
`javascript:`, `data:`, `vbscript:`, scheme-relative `//host` and anything unparsable
become None, so a link on a public page can never run code. Also a template filter:
`{% load urlsafety %}<a href="{{ issue.html_url|safe_url }}">` renders "" for a bad URL.
"""

from urllib.parse import urlsplit

from django import template

ALLOWED_SCHEMES = frozenset({"http", "https"})
# Browsers drop these anywhere in a URL ("java\tscript:" is "javascript:"); refuse them.
_CONTROL_CHARS = frozenset(chr(code) for code in range(0x21)) | {"\x7f"}

register = template.Library()


def safe_http_url(value: object) -> str | None:
    """`value` when it is an absolute http(s) URL with a host, else None."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or len(url) > 2048 or any(char in _CONTROL_CHARS for char in url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return None
    if parts.scheme.lower() not in ALLOWED_SCHEMES or not host:
        return None
    return url


@register.filter(name="safe_url")
def safe_url(value: object) -> str:
    """Template filter: the URL when safe_http_url accepts it, else ""."""
    return safe_http_url(value) or ""
