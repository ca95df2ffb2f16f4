"""Pygments highlighting chosen by a snap's language (or, for older snaps, its extension),
at a bounded cost.

Some lexers are quadratic in the length of a line (YAML on a run of backticks, OCaml on
a run of digits: 20 000 characters take seconds, 100 000 minutes), so one public snap
could hold every visitor's request past the worker timeout. Three bounds, each falling
back to the same markup without colours (escaped plain text, TextLexer):

- size: more than SNAPS_HIGHLIGHT_MAX_CHARS characters (a lower limit per lexer in
  SNAPS_HIGHLIGHT_MAX_CHARS_BY_LEXER), or a line longer than SNAPS_HIGHLIGHT_MAX_LINE_CHARS
  (which bounds what one token can cost);
- time: the token stream is checked against a SNAPS_HIGHLIGHT_SECONDS deadline;
- list pages never highlight (`plain_excerpt`).

Results, fallbacks included, are cached by content, so the cost is paid once.
"""

import hashlib
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from io import StringIO

from django.conf import settings
from django.core.cache import cache
from django.utils.html import escape
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import find_lexer_class_for_filename
from pygments.lexers.special import TextLexer
from pygments.util import ClassNotFound

from project.cache import optional_read, optional_write
from snaps.languages import lexer_class_for_language


class LineNumberedFormatter(HtmlFormatter):
    """Each line a `<span id="L5">` led by its `#L5` link, for links to lines and ranges
    (snaps/static/snaps/reader.js). The number is drawn by CSS from `data-line`, so
    copying the code copies no numbers; the block is focusable, so it scrolls by keyboard.
    A snap's later files prefix their anchors (`#f2-L5`) and the code's id (`f2-snap-source`),
    so every file of a page has its own."""

    def __init__(self, *, anchor_prefix: str = "", **options):
        super().__init__(**options)
        self.anchor_prefix = anchor_prefix

    def wrap(self, source):
        p = self.anchor_prefix
        yield (
            0,
            (
                '<pre tabindex="0" role="region" aria-label="Code">'
                f'<code id="{p}snap-source" class="snap-source" data-anchor-prefix="{p}">'
            ),
        )
        number = 0
        for is_line, html in source:
            if is_line:
                number += 1
                html = (
                    f'<span class="line" id="{p}L{number}"><a class="ln" href="#{p}L{number}" '
                    f'data-line="{number}" aria-label="Line {number}" tabindex="-1"></a>'
                    f"{html}</span>"
                )
            yield is_line, html
        yield 0, "</code></pre>"


FORMATTER = HtmlFormatter(cssclass="highlight", wrapcode=True)
HIGHLIGHT_CACHE_SECONDS = 24 * 60 * 60
EXCERPT_LINES, EXCERPT_LINE_CHARS = 8, 200
# All an excerpt may show (selectors fetch only this much of a listed file).
EXCERPT_CHARS = EXCERPT_LINES * (EXCERPT_LINE_CHARS + 2)


@lru_cache(maxsize=256)
def lexer_class_for(extension: str) -> type:
    # Looking a lexer up scans every lexer's filename patterns: cache it per extension.
    try:
        return find_lexer_class_for_filename(f"snap.{extension}") or TextLexer
    except ClassNotFound:
        return TextLexer


def lexer_class_of(extension: str, language: str = "") -> type:
    return lexer_class_for_language(language) if language else lexer_class_for(extension)


def language_name(extension: str, language: str = "") -> str:
    return lexer_class_of(extension, language).name


@dataclass(frozen=True)
class Highlighted:
    html: str
    plain_reason: str = ""  # why it is shown without highlighting ("" when highlighted)

    @property
    def is_plain(self) -> bool:
        return bool(self.plain_reason)


class _OutOfTime(Exception):
    pass


def _with_deadline(tokens: Iterable, deadline: float) -> Iterator:
    # Checked at every token: cheap next to lexing, and one token's cost is bounded by
    # the longest line allowed.
    for token in tokens:
        if time.monotonic() > deadline:
            raise _OutOfTime
        yield token


def _format(content: str, lexer: Lexer, formatter: HtmlFormatter, deadline: float) -> str:
    out = StringIO()
    formatter.format(_with_deadline(lexer.get_tokens(content), deadline), out)
    return out.getvalue()


def _too_big(content: str, lexer_class: type) -> str:
    limits = settings.SNAPS_HIGHLIGHT_MAX_CHARS_BY_LEXER
    max_chars = min(settings.SNAPS_HIGHLIGHT_MAX_CHARS, limits.get(lexer_class.name, 10**12))
    if len(content) > max_chars:
        return f"longer than {max_chars} characters"
    max_line = settings.SNAPS_HIGHLIGHT_MAX_LINE_CHARS
    if len(content) > max_line and any(len(line) > max_line for line in content.splitlines()):
        return f"a line is longer than {max_line} characters"
    return ""


def _render(content: str, lexer_class: type, formatter: HtmlFormatter) -> Highlighted:
    options = {"stripnl": False, "ensurenl": True}
    reason = _too_big(content, lexer_class)
    if not reason and lexer_class is not TextLexer:
        try:
            deadline = time.monotonic() + settings.SNAPS_HIGHLIGHT_SECONDS
            return Highlighted(_format(content, lexer_class(**options), formatter, deadline))
        except _OutOfTime:
            reason = f"took longer than {settings.SNAPS_HIGHLIGHT_SECONDS:g} s to highlight"
    return Highlighted(_format(content, TextLexer(**options), formatter, float("inf")), reason)


def highlight_code(
    content: str,
    extension: str,
    *,
    language: str = "",
    line_numbers: bool = False,
    anchor_prefix: str = "",
) -> Highlighted:
    """Highlighted HTML (escaped by Pygments), cached by a hash of its inputs."""
    lexer_class = lexer_class_of(extension, language)
    lexer = f"{lexer_class.__module__}.{lexer_class.__name__}"
    numbering = f"{int(line_numbers)}{anchor_prefix}" if line_numbers else "0"
    digest = hashlib.sha256(f"{lexer}\0{numbering}\0{content}".encode()).hexdigest()
    key = f"snaps:highlight:v5:{digest}"
    result = optional_read(lambda: cache.get(key), None)
    if result is None:
        formatter = (
            LineNumberedFormatter(cssclass="highlight", anchor_prefix=anchor_prefix)
            if line_numbers
            else FORMATTER
        )
        result = _render(content, lexer_class, formatter)
        optional_write(lambda: cache.set(key, result, HIGHLIGHT_CACHE_SECONDS))
    return result


def highlight_file(file, *, line_numbers: bool = True) -> Highlighted:
    """One file of a snap (or of a revision), with its own line anchors."""
    return highlight_code(
        file.content,
        file.extension,
        language=file.language,
        line_numbers=line_numbers,
        anchor_prefix=file.anchor_prefix,
    )


def plain_excerpt(content: str) -> str:
    """The first lines, each cut short, escaped, never highlighted: list pages stay cheap
    whatever the snaps hold."""
    head = content[:EXCERPT_CHARS].splitlines()[:EXCERPT_LINES]
    lines = [
        line if len(line) <= EXCERPT_LINE_CHARS else line[:EXCERPT_LINE_CHARS] + "…"
        for line in head
    ]
    return f'<pre class="plain excerpt"><code>{escape(chr(10).join(lines))}</code></pre>'


def stylesheet() -> str:
    return FORMATTER.get_style_defs(".highlight")
