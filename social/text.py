"""Post text: finding @mentions, #tags and links, and rendering them as safe HTML.

Rendering walks the raw text once; every character of it goes out through `escape`
and the only markup is the `<a>`/`<br>` written here, so no post can inject any. URLs
are linked only when project.urlsafety accepts them (http(s) with a host)."""

import re

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from project.urlsafety import safe_http_url

TAG_MAX_LENGTH = 64
MENTIONS_NOTIFIED_MAX = 20

_URL = r"https?://[^\s<>\"']+"
_MENTION = r"(?<![\w@/])@(?P<mention>\w(?:[\w.+-]*\w)?)"
# A tag has a letter in it (#1 is a number, not a tag) and is not part of a word or URL.
_TAG = r"(?<![\w#&/])#(?P<tag>\w*[^\W\d_]\w*)"
TOKENS = re.compile(rf"(?P<url>{_URL})|{_MENTION}|{_TAG}|(?P<newline>\n)")
_TRAILING = ".,;:!?)]}'\""


def tag_normalise(name: str) -> str:
    return name.casefold()


def _trim_url(url: str) -> str:
    # "see https://example.com/a." links without the full stop; a closing bracket
    # belongs to the URL only when the URL opened one (https://en.wikipedia.org/wiki/A_(B)).
    while url and url[-1] in _TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def mentioned_usernames(content: str) -> list[str]:
    """Distinct @names in order of appearance (as written), at most MENTIONS_NOTIFIED_MAX."""
    names: dict[str, str] = {}
    for match in TOKENS.finditer(content):
        if (name := match.group("mention")) and name.casefold() not in names:
            names[name.casefold()] = name
    return list(names.values())[:MENTIONS_NOTIFIED_MAX]


def hashtags(content: str) -> list[str]:
    """Distinct normalised #tags in order of appearance."""
    found: dict[str, None] = {}
    for match in TOKENS.finditer(content):
        if (tag := match.group("tag")) and len(tag) <= TAG_MAX_LENGTH:
            found[tag_normalise(tag)] = None
    return list(found)


def _link(href: str, text: str, css: str) -> str:
    return f'<a href="{escape(href)}" class="{css}">{escape(text)}</a>'


def render_post(content: str) -> SafeString:
    """The post as HTML: escaped text, line breaks, and links for URLs, @mentions and
    #tags."""
    out: list[str] = []
    position = 0
    for match in TOKENS.finditer(content):
        start, end = match.span()
        text = match.group(0)
        if match.group("url"):
            url = _trim_url(text)
            end = start + len(url)
            if safe_http_url(url) is None:
                continue  # left as text
            html = f'<a href="{escape(url)}" rel="nofollow noopener" class="url">{escape(url)}</a>'
        elif name := match.group("mention"):
            html = _link(reverse("profile", args=[name]), f"@{name}", "mention")
        elif tag := match.group("tag"):
            if len(tag) > TAG_MAX_LENGTH:
                continue
            html = _link(reverse("social:tag", args=[tag_normalise(tag)]), f"#{tag}", "hashtag")
        else:
            html = "<br>"
        out.append(escape(content[position:start]))
        out.append(html)
        position = end
    out.append(escape(content[position:]))
    return mark_safe("".join(out))
