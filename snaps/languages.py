"""Languages: every Pygments lexer, keyed by its first alias (`python`, `js`, `rust`).

A snap's language is given, or guessed from its file name (`get_lexer_for_filename`),
then from its content (`guess_lexer`, on a bounded head of it: guessing runs every
lexer's `analyse_text`), and is plain text when nothing fits.
"""

from functools import lru_cache

from django.core.exceptions import ValidationError
from pygments.lexers import (
    find_lexer_class_by_name,
    get_all_lexers,
    get_lexer_for_filename,
    guess_lexer,
)
from pygments.lexers.special import TextLexer
from pygments.util import ClassNotFound

from snaps.validators import EXTENSION_PATTERN

PLAIN_TEXT = "text"
GUESS_MAX_CHARS = 4096
FALLBACK_EXTENSION = "txt"


@lru_cache(maxsize=1)
def language_choices() -> tuple[tuple[str, str], ...]:
    """(alias, display name) for every lexer with an alias, sorted by name."""
    pairs = {aliases[0]: name for name, aliases, _, _ in get_all_lexers() if aliases}
    return tuple(sorted(pairs.items(), key=lambda pair: pair[1].lower()))


@lru_cache(maxsize=1)
def _lookup() -> dict[str, str]:
    # Any alias or display name, in any case, leads to the first alias.
    table: dict[str, str] = {}
    for name, aliases, _, _ in get_all_lexers():
        if not aliases:
            continue
        table.setdefault(name.lower(), aliases[0])
        for alias in aliases:
            table.setdefault(alias.lower(), aliases[0])
    return table


def language_alias(value: str) -> str | None:
    """`Python`, `py` and `python3` all mean `python`; None for an unknown language."""
    return _lookup().get((value or "").strip().lower())


@lru_cache(maxsize=512)
def lexer_class_for_language(alias: str) -> type:
    try:
        return find_lexer_class_by_name(alias)
    except ClassNotFound:
        return TextLexer


def language_display_name(alias: str) -> str:
    return lexer_class_for_language(alias).name


def _alias_of(lexer) -> str:
    return lexer.aliases[0] if lexer.aliases else PLAIN_TEXT


def guess_language(*, filename: str, content: str) -> str:
    """The file name decides when Pygments knows it, else the content's head, else text."""
    head = content[:GUESS_MAX_CHARS]
    if filename:
        try:
            return _alias_of(get_lexer_for_filename(filename, code=head))
        except ClassNotFound:
            pass
    try:
        return _alias_of(guess_lexer(head))
    except ClassNotFound:
        return PLAIN_TEXT


@lru_cache(maxsize=512)
def extension_for_language(alias: str) -> str:
    """The language's usual extension (`rust` -> `rs`), from its `*.ext` file patterns."""
    for pattern in lexer_class_for_language(alias).filenames:
        if pattern.startswith("*.") and EXTENSION_PATTERN.match(pattern[2:].lower()):
            return pattern[2:].lower()
    return FALLBACK_EXTENSION


def _suffix(name: str) -> str:
    stem, dot, suffix = name.rpartition(".")
    suffix = suffix.lower()
    return suffix if dot and stem and EXTENSION_PATTERN.match(suffix) else ""


def resolve_language(*, name: str, extension: str, language: str, content: str) -> dict:
    """{"language": alias, "extension": ext} from whatever the author gave.

    A given language must be known. A missing language comes from the name with its
    extension, then from the content; a missing extension from the name's own suffix,
    then from the language.
    """
    if language:
        alias = language_alias(language)
        if alias is None:
            raise ValidationError(
                {"language": ValidationError("Unknown language.", code="unknown_language")}
            )
    else:
        filename = f"{name}.{extension}" if extension else name
        alias = guess_language(filename=filename, content=content)
    if not extension:
        extension = _suffix(name) or extension_for_language(alias)
    return {"language": alias, "extension": extension}


def validate_language(value: str) -> None:
    if value and language_alias(value) != value:
        raise ValidationError("Unknown language.", code="unknown_language")
