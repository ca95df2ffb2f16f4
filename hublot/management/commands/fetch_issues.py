import argparse
from datetime import UTC, datetime

from django.core.management.base import BaseCommand

from hublot.management.commands._output import (
    fail,
    progress_printer,
    warn_if_anonymous,
    write_issues,
)
from hublot.services import USER_ERRORS, issues_fetch


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def since_date(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO date such as 2024-05-01"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def add_fetch_arguments(parser) -> None:
    parser.add_argument("repository", help="OWNER/REPO, a GitHub URL, or a local repository id")
    parser.add_argument("--state", choices=["open", "closed", "all"], default="open")
    parser.add_argument(
        "--label",
        dest="labels",
        action="append",
        default=[],
        metavar="LABEL",
        help="only issues with this label (repeatable: all must match)",
    )
    parser.add_argument("--limit", type=positive_int, help="stop after N issues")
    parser.add_argument("--since", type=since_date, help="only issues updated since this ISO date")
    parser.add_argument("--include-prs", action="store_true", help="keep pull requests too")
    parser.add_argument("--json", action="store_true", help="print JSON lines instead of a table")


def run_fetch(command: BaseCommand, options: dict) -> None:
    verbosity = options["verbosity"]
    warn_if_anonymous(command, verbosity)
    try:
        result = issues_fetch(
            options["repository"],
            state=options["state"],
            labels=options["labels"],
            limit=options["limit"],
            since=options["since"],
            include_prs=options["include_prs"],
            progress=progress_printer(command, verbosity),
        )
    except USER_ERRORS as error:
        raise fail(error) from None
    if verbosity == 0:
        return
    write_issues(command, result.issues, as_json=options["json"])
    summary = (
        f"Added {result.created} issues! ({result.updated} updated, {result.fetched} fetched "
        f"for {result.repository.full_name})"
    )
    (command.stderr if options["json"] else command.stdout).write(summary)


class Command(BaseCommand):
    help = (
        "Fetch a GitHub repository's issues and store them (re-running updates, never duplicates)."
    )

    def add_arguments(self, parser) -> None:
        add_fetch_arguments(parser)

    def handle(self, *args, **options) -> None:
        run_fetch(self, options)
