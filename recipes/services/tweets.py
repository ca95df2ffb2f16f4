"""Announcement texts: X's weighted length, the marker, the summary with its link."""

import re
import secrets

from django.conf import settings

from recipes.models import (
    Recipe,
)

# X counts every link as 23 characters (t.co), so the summary may take 280 - 1 - 23.
TWEET_LINK_LENGTH = 23
TWEET_LIMIT = 280


# twitter-text v3 (X's own counting): code points in these ranges weigh 1, all others 2;
# an emoji sequence (ZWJ joins, skin tones, flags) weighs 2 as a whole; a URL weighs 23.
_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
_URL = re.compile(r"https?://\S+", re.IGNORECASE)
_EMOJI_JOINERS = {0x200D, 0xFE0F, 0xFE0E} | set(range(0x1F3FB, 0x1F400))  # ZWJ, selectors, tones


def _weight(char: str) -> int:
    code = ord(char)
    return 1 if any(low <= code <= high for low, high in _LIGHT_RANGES) else 2


def _is_emoji(code: int) -> bool:
    return 0x1F000 <= code <= 0x1FAFF or 0x2600 <= code <= 0x27BF or 0x1F1E6 <= code <= 0x1F1FF


def _weighted_units(text: str) -> list[tuple[str, int]]:
    """The text as (piece, weight): whole emoji sequences and URLs are one piece each."""
    units_: list[tuple[str, int]] = []
    position = 0
    for match in [*_URL.finditer(text), None]:
        end = match.start() if match else len(text)
        chunk, index = text[position:end], 0
        while index < len(chunk):
            char = chunk[index]
            if _is_emoji(ord(char)):
                start = index
                index += 1
                while index < len(chunk) and (
                    ord(chunk[index]) in _EMOJI_JOINERS
                    or (ord(chunk[index - 1]) == 0x200D and _is_emoji(ord(chunk[index])))
                    or (0x1F1E6 <= ord(chunk[index]) <= 0x1F1FF and index - start == 1)
                ):
                    index += 1
                units_.append((chunk[start:index], 2))
                continue
            units_.append((char, _weight(char)))
            index += 1
        if match:
            units_.append((match.group(), TWEET_LINK_LENGTH))
            position = match.end()
    return units_


def tweet_length(text: str) -> int:
    """The length X counts for `text` (NFC-normalised, like twitter-text)."""
    import unicodedata

    return sum(weight for _, weight in _weighted_units(unicodedata.normalize("NFC", text)))


def _cut_to_weight(text: str, limit: int) -> str:
    """The longest start of `text` weighing at most `limit`, cut back to a space if any."""
    kept, total = [], 0
    for piece, weight in _weighted_units(text):
        if total + weight > limit:
            break
        kept.append(piece)
        total += weight
    cut = "".join(kept)
    return cut[: cut.rindex(" ")] if " " in cut else cut


def crosspost_marker() -> str:
    """A fresh marker for one announcement; it travels in the link's fragment."""
    return f"bp-{secrets.token_hex(6)}"


def crosspost_text(recipe: Recipe, *, marker: str) -> str:
    """The book's summary and the link, within X's limit as X weighs text (CJK and
    emoji count 2, the link 23): the summary is cut back further when it weighs more."""
    url = f"{settings.SITE_URL.rstrip('/')}{recipe.get_absolute_url()}#{marker}"
    room = TWEET_LIMIT - 1 - TWEET_LINK_LENGTH
    summary = recipe.summarize(room - 3)
    if tweet_length(summary) > room:
        summary = _cut_to_weight(recipe.title, room - 3) + "..."
    return f"{summary} {url}"
