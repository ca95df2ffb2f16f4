"""Shared output for the hublot commands, shaped like `gh issue list`: a coloured table
with relative times on a terminal, tab-separated lines when piped, `--json FIELD,...`,
a progress bar on a terminal's stderr, and a quiet exit when the reader goes away."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.utils.timesince import timesince

from hublot.github import is_anonymous
from hublot.models import Issue, IssueComment


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def _comments(issue: Issue, comments: dict[int, list[IssueComment]]) -> list[dict]:
    return [
        {
            "author": {"login": c.author},
            "body": c.body,
            "createdAt": iso(c.created_at),
            "url": c.html_url,
        }
        for c in comments.get(issue.number, [])
    ]


# gh's names and shapes, so `jq` filters written for `gh issue list --json` carry over.
JSON_FIELDS: dict[str, Callable[[Issue, dict], object]] = {
    "assignees": lambda i, c: [{"login": login} for login in i.assignees],
    "author": lambda i, c: {"login": i.author},
    "body": lambda i, c: i.body,
    "closedAt": lambda i, c: iso(i.closed_at),
    "comments": _comments,
    "createdAt": lambda i, c: iso(i.opened_at),
    "id": lambda i, c: i.github_id,
    "isPullRequest": lambda i, c: i.is_pull_request,
    "labels": lambda i, c: [{"name": name} for name in i.labels],
    "milestone": lambda i, c: {"title": i.milestone} if i.milestone else None,
    "number": lambda i, c: i.number,
    "state": lambda i, c: i.state.upper(),
    "title": lambda i, c: i.title,
    "updatedAt": lambda i, c: iso(i.updated_at),
    "url": lambda i, c: i.html_url,
}


def json_fields(text: str | None) -> list[str] | None:
    """`--json a,b` -> ["a", "b"]; a bare `--json` or an unknown name fails listing them
    (as gh does)."""
    if text is None:
        return None
    fields = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in fields if name not in JSON_FIELDS]
    available = "\n".join(f"  {name}" for name in JSON_FIELDS)
    if not fields:
        raise CommandError(
            f"Specify one or more comma-separated fields for `--json`:\n{available}", returncode=1
        )
    if unknown:
        raise CommandError(
            f"Unknown JSON field: {unknown[0]!r}\nAvailable fields:\n{available}", returncode=1
        )
    return fields


def comments_by_number(issues: list[Issue]) -> dict[int, list[IssueComment]]:
    """Stored comments of these issues, in one query."""
    if not issues:
        return {}
    found: dict[int, list[IssueComment]] = {}
    rows = IssueComment.objects.filter(
        issue__repository_id=issues[0].repository_id,
        issue__number__in=[i.number for i in issues],
    ).select_related("issue")
    for comment in rows:
        found.setdefault(comment.issue.number, []).append(comment)
    return found


def wants_color(stream: OutputWrapper, options: dict) -> bool:
    # NO_COLOR (no-color.org) is a per-invocation convention of terminal tools, read
    # where output is written, like Django's own --no-color/--force-color.
    if options.get("force_color"):
        return True
    return stream.isatty() and not options.get("no_color") and not os.environ.get("NO_COLOR")


def _paint(code: str, text: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def write_issues(
    command: BaseCommand, issues: list[Issue], *, options: dict, fields: list[str] | None = None
) -> None:
    if fields is not None:
        comments = comments_by_number(issues) if "comments" in fields else {}
        rows = [{name: JSON_FIELDS[name](issue, comments) for name in fields} for issue in issues]
        pretty = command.stdout.isatty()
        command.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2 if pretty else None))
        return
    if not command.stdout.isatty():
        # Piped: one tab-separated line per issue, no header, no colour (like gh).
        for issue in issues:
            command.stdout.write(
                "\t".join(
                    [
                        str(issue.number),
                        issue.state.upper(),
                        _one_line(issue.title),
                        ", ".join(issue.labels),
                        iso(issue.updated_at) or "",
                    ]
                )
            )
        return
    if not issues:
        command.stdout.write("No issues.")
        return
    _write_table(command, issues, wants_color(command.stdout, options))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _write_table(command: BaseCommand, issues: list[Issue], color: bool) -> None:
    updated = [
        f"about {timesince(i.updated_at, depth=1)} ago" if i.updated_at else "" for i in issues
    ]
    ids = [f"#{i.number}" + (" PR" if i.is_pull_request else "") for i in issues]
    labels = [", ".join(i.labels) for i in issues]
    id_w = max(len("ID"), *map(len, ids))
    label_w = min(30, max(len("LABELS"), *map(len, labels)))
    updated_w = max(len("UPDATED"), *map(len, updated))
    width = shutil.get_terminal_size((120, 24)).columns
    title_w = max(20, width - id_w - label_w - updated_w - 6)
    header = f"{'ID':<{id_w}}  {'TITLE':<{title_w}}  {'LABELS':<{label_w}}  UPDATED"
    command.stdout.write(_paint("1", header, color))
    for issue, id_text, label_text, when in zip(issues, ids, labels, updated, strict=True):
        title = _fit(_one_line(issue.title), title_w)
        state_color = "32" if issue.state == Issue.State.OPEN else "35"
        command.stdout.write(
            f"{_paint(state_color, f'{id_text:<{id_w}}', color)}  {title:<{title_w}}  "
            f"{_paint('33', f'{_fit(label_text, label_w):<{label_w}}', color)}  "
            f"{_paint('2', when, color)}"
        )


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def warn_if_anonymous(command: BaseCommand, verbosity: int) -> None:
    if is_anonymous() and verbosity > 0:
        command.stderr.write(
            "Warning: GITHUB_TOKEN is not set; anonymous GitHub access allows 60 requests/hour."
        )


class Progress:
    """A bar on stderr while pages are read, only on a terminal (never in a pipe, a log
    or with NO_COLOR); cleared before anything else is printed."""

    def __init__(self, command: BaseCommand, options: dict) -> None:
        self.stream = command.stderr
        self.active = options["verbosity"] > 0 and wants_color(self.stream, options)
        self.shown = False

    def __call__(self, page: int, pages: int) -> None:
        if not self.active:
            return
        pages = max(page, pages)
        filled = round(20 * page / pages)
        self.stream.write(f"\r[{'#' * filled}{'.' * (20 - filled)}] page {page}/{pages}", ending="")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K", ending="")
            self.stream.flush()
            self.shown = False


def fail(error: Exception) -> CommandError:
    return CommandError(str(error), returncode=1)


class HublotCommand(BaseCommand):
    """A reader that goes away (`| head`) ends the command quietly, like a Unix tool."""

    def execute(self, *args, **options):
        try:
            output = super().execute(*args, **options)
            sys.stdout.flush()
            return output
        except BrokenPipeError:
            _silence_stdout()
            sys.exit(0)


def _silence_stdout() -> None:
    # Python would report the broken pipe again when flushing stdout at exit.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
