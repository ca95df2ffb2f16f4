"""Pygments highlighting chosen by a snap's extension; output is escaped by Pygments."""

import hashlib
from functools import lru_cache

from django.core.cache import cache
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import find_lexer_class_for_filename
from pygments.lexers.special import TextLexer
from pygments.util import ClassNotFound

from project.cache import optional_read, optional_write

FORMATTER = HtmlFormatter(cssclass="highlight", wrapcode=True)
LINE_NUMBERED = HtmlFormatter(cssclass="highlight", wrapcode=True, linenos="table")


@lru_cache(maxsize=256)
def lexer_class_for(extension: str) -> type:
    # Looking a lexer up scans every lexer's filename patterns: cache it per extension.
    try:
        return find_lexer_class_for_filename(f"snap.{extension}") or TextLexer
    except ClassNotFound:
        return TextLexer


def language_name(extension: str) -> str:
    return lexer_class_for(extension).name


HIGHLIGHT_CACHE_SECONDS = 24 * 60 * 60


def highlight_code(content: str, extension: str, *, line_numbers: bool = False) -> str:
    """Highlighted HTML, cached by a hash of its inputs (the same text always renders the same)."""
    digest = hashlib.sha256(f"{extension}\0{int(line_numbers)}\0{content}".encode()).hexdigest()
    key = f"snaps:highlight:{digest}"
    html = optional_read(lambda: cache.get(key), None)
    if html is None:
        lexer = lexer_class_for(extension)(stripnl=False, ensurenl=True)
        html = highlight(content, lexer, LINE_NUMBERED if line_numbers else FORMATTER)
        optional_write(lambda: cache.set(key, html, HIGHLIGHT_CACHE_SECONDS))
    return html


def highlight_excerpt(content: str, extension: str, *, lines: int = 8) -> str:
    head = content.splitlines()[:lines]
    return highlight_code("\n".join(head), extension)


def stylesheet() -> str:
    return FORMATTER.get_style_defs(".highlight")
