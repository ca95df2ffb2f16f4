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


@dataclass(frozen=True)
class FileDiff:
    """One file's changes between two states of a snap (or a snap and its parent)."""

    filename: str
    diff: Diff
    status: str  # "changed", "added" or "removed"


def files_diff(old_files, new_files, *, old_note: str, new_note: str) -> list[FileDiff]:
    """Per-file unified diffs, files matched by file name (as Gist does): the new
    state's files in order, then the ones it removed. A file added or removed is diffed
    against nothing; unchanged files are left out (no change at all: an empty list)."""
    old = {file.filename: file for file in old_files}
    new = {file.filename: file for file in new_files}
    diffs = []
    for name in [*new, *(name for name in old if name not in new)]:
        before, after = old.get(name), new.get(name)
        diff = unified_diff(
            before.content if before else "",
            after.content if after else "",
            old_label=f"{name} ({old_note})" if before else "/dev/null",
            new_label=f"{name} ({new_note})" if after else "/dev/null",
        )
        if before is not None and after is not None and diff.is_empty:
            continue
        status = "added" if before is None else "removed" if after is None else "changed"
        diffs.append(FileDiff(name, diff, status))
    return diffs
