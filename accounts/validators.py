"""Username rules beyond Django's character set: no names that mix writing systems.

A name such as "paypal" spelt with a Cyrillic "a" (U+0430) looks exactly like the
Latin one. Django's UnicodeUsernameValidator accepts any letter of any script, and NFKC
normalisation (User.normalize_username) folds only compatibility forms (full-width
letters U+FF41..., modifier letters such as U+1D48), not look-alikes from other scripts.

The script of a letter is read from the first word of its Unicode name ("LATIN SMALL
LETTER A", "CYRILLIC SMALL LETTER A", "CJK UNIFIED IDEOGRAPH-4E00"); digits and the
punctuation Django allows (_ . @ + -) belong to every script. That is a close, small
approximation of Unicode's Script property (UAX #24) with no data file to keep current;
confusable_homoglyphs, the library for this, bundles its own Unicode tables and has
not been released since January 2024. Whole-script look-alikes (a name spelt wholly in
Cyrillic letters that look Latin would need a confusables table) are out of scope.
"""

import unicodedata

from django.core.exceptions import ValidationError

# Writing systems that combine several scripts in one word.
COMBINABLE_SCRIPTS = (
    frozenset({"CJK", "HIRAGANA", "KATAKANA"}),  # Japanese
    frozenset({"CJK", "HANGUL"}),  # Korean
)
_SCRIPT_ALIASES = {"KATAKANA-HIRAGANA": "KATAKANA"}


def letter_script(char: str) -> str | None:
    """The script a letter belongs to, or None for characters of no one script."""
    if not unicodedata.category(char).startswith("L"):
        return None
    word = unicodedata.name(char, "UNKNOWN").split(" ", 1)[0]
    if (
        word == "MODIFIER"
    ):  # what NFKC leaves of them is diacritic-like (the Hawaiian okina, U+02BB)
        return None
    return _SCRIPT_ALIASES.get(word, word)


def scripts_of(text: str) -> set[str]:
    return {script for char in text if (script := letter_script(char)) is not None}


def validate_single_script(username: str) -> None:
    """Reject a username whose letters come from more than one writing system."""
    scripts = scripts_of(username)
    if len(scripts) <= 1 or any(scripts <= allowed for allowed in COMBINABLE_SCRIPTS):
        return
    raise ValidationError(
        "A username may not mix letters of different scripts (%(scripts)s): "
        "such names can imitate other people's.",
        code="mixed_script",
        params={"scripts": ", ".join(sorted(script.title() for script in scripts))},
    )


USERNAME_MAX_LENGTH = 150  # AbstractUser.username


def validate_username_form(username: str) -> None:
    """Rules for an already NFKC-normalised username: NFKC may lengthen a name (one
    ligature can become many letters), so the length is checked again; then scripts."""
    if len(username) > USERNAME_MAX_LENGTH:
        raise ValidationError(
            "Ensure this value has at most %(limit)d characters (it has %(length)d).",
            code="max_length",
            params={"limit": USERNAME_MAX_LENGTH, "length": len(username)},
        )
    validate_single_script(username)
