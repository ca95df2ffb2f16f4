"""Shared output for the hublot commands: the issue table, JSON lines, progress."""

import json
import sys
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from hublot.github import is_anonymous
from hublot.models import Issue


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def issue_json(issue: Issue) -> str:
    return json.dumps(
        {
            "number": issue.number,
            "title": issue.title,
            "state": issue.state,
            "labels": issue.labels,
            "author": issue.author,
            "url": issue.html_url,
            "is_pull_request": issue.is_pull_request,
            "opened_at": iso(issue.opened_at),
            "updated_at": iso(issue.updated_at),
            "closed_at": iso(issue.closed_at),
        },
        ensure_ascii=False,
    )


def write_issues(command: BaseCommand, issues: list[Issue], *, as_json: bool) -> None:
    if as_json:
        for issue in issues:
            command.stdout.write(issue_json(issue))
        return
    if not issues:
        command.stdout.write("No issues.")
        return
    width = max(len(str(issue.number)) for issue in issues) + 1
    command.stdout.write(f"{'#':<{width}}  {'STATE':<6}  {'TITLE':<60}  LABELS")
    for issue in issues:
        title = issue.title if len(issue.title) <= 60 else issue.title[:59] + "…"
        kind = " (PR)" if issue.is_pull_request else ""
        command.stdout.write(
            f"{'#' + str(issue.number):<{width}}  {issue.state:<6}  {title:<60}  "
            f"{', '.join(issue.labels)}{kind}"
        )


def warn_if_anonymous(command: BaseCommand, verbosity: int) -> None:
    if is_anonymous() and verbosity > 0:
        command.stderr.write(
            "Warning: GITHUB_TOKEN is not set; anonymous GitHub access allows 60 requests/hour."
        )


def progress_printer(command: BaseCommand, verbosity: int):
    """Running count on stderr (rewritten in place on a terminal) for long fetches."""
    if verbosity == 0:
        return None
    on_tty = sys.stderr.isatty()

    def show(seen: int) -> None:
        text = f"  … {seen} issues read from GitHub"
        if on_tty:
            command.stderr.write(f"\r{text}", ending="")
            command.stderr.flush()
        else:
            command.stderr.write(text)

    return show


def fail(error: Exception) -> CommandError:
    return CommandError(str(error), returncode=1)
