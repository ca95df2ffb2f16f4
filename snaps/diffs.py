"""Unified diffs between two texts (revisions, replies), as lines for a template to
escape and colour. Bounded: difflib can be quadratic in the number of lines, so past
DIFF_MAX_LINES on either side there is no diff, only a note saying so."""

import difflib
from dataclasses import dataclass

DIFF_MAX_LINES = 5000
CONTEXT_LINES = 3


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "file", "hunk", "add", "del" or "same"
    text: str


@dataclass(frozen=True)
class Diff:
    lines: tuple[DiffLine, ...] = ()
    too_large: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.lines and not self.too_large

    @property
    def added(self) -> int:
        return sum(line.kind == "add" for line in self.lines)

    @property
    def removed(self) -> int:
        return sum(line.kind == "del" for line in self.lines)


def _kind(text: str, index: int) -> str:
    if index < 2 and text.startswith(("---", "+++")):
        return "file"
    return {"@": "hunk", "+": "add", "-": "del"}.get(text[:1], "same")


def unified_diff(old: str, new: str, *, old_label: str, new_label: str) -> Diff:
    old_lines, new_lines = old.splitlines(), new.splitlines()
    if max(len(old_lines), len(new_lines)) > DIFF_MAX_LINES:
        return Diff(too_large=True)
    raw = difflib.unified_diff(
        old_lines, new_lines, old_label, new_label, n=CONTEXT_LINES, lineterm=""
    )
    return Diff(tuple(DiffLine(_kind(text, i), text) for i, text in enumerate(raw)))
