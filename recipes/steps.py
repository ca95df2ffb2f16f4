"""Pasted instructions into numbered steps, and times like "10 minutes" read from them."""

import re

_NUMBERING = re.compile(r"^\s*(?:step\s*)?\d{1,3}\s*[.):-]\s*|^\s*(?:step\s*\d{1,3}\s*:?)\s*", re.I)
_MINUTES = re.compile(
    r"\b(\d{1,4})(?:\s*(?:-|to)\s*(\d{1,4}))?\s*(minutes?|mins?|hours?|hrs?)\b", re.IGNORECASE
)


def split_steps(text: str) -> list[str]:
    """Paragraphs are steps; without blank lines every line is one. Leading numbers
    ("1.", "Step 2:") are dropped, since steps are numbered by their order."""
    text = text.replace("\r\n", "\n").strip()
    if not text:
        return []
    chunks = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
    steps = [" ".join(_NUMBERING.sub("", chunk, count=1).split()) for chunk in chunks]
    return [step for step in steps if step]


def minutes_in(text: str) -> int | None:
    """The longest time a step names ("bake 25-30 minutes" -> 30), or None."""
    longest = None
    for match in _MINUTES.finditer(text):
        value = int(match[2] or match[1])
        if match[3].lower().startswith("h"):
            value *= 60
        if 0 < value <= 7 * 24 * 60:
            longest = max(longest or 0, value)
    return longest


def join_steps(steps: list[str]) -> str:
    return "\n\n".join(steps)
