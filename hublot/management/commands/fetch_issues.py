import argparse
from datetime import UTC, datetime

from hublot.management.commands._output import (
    HublotCommand,
    Progress,
    fail,
    json_fields,
    warn_if_anonymous,
    write_issues,
)
from hublot.services import DIRECTIONS, SORTS, USER_ERRORS, issues_fetch

MAX_PROBLEMS_SHOWN = 20


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def since_date(text: str) -> datetime:
    """An ISO date or date-time; an offset is kept (and converted to UTC when sent)."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO date such as 2024-05-01 or 2024-05-01T12:00:00+02:00"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def add_fetch_arguments(parser) -> None:
    parser.add_argument("repository", help="OWNER/REPO, a GitHub URL, or a local repository id")
    parser.add_argument("-s", "--state", choices=["open", "closed", "all"], default="open")
    parser.add_argument(
        "-l",
        "--label",
        dest="labels",
        action="append",
        default=[],
        metavar="LABEL",
        help="only issues with this label (repeatable: all must match)",
    )
    parser.add_argument("-L", "--limit", type=positive_int, help="stop after N issues")
    parser.add_argument(
        "--since", type=since_date, help="only issues updated since this ISO date (or date-time)"
    )
    parser.add_argument("--include-prs", action="store_true", help="keep pull requests too")
    parser.add_argument("-a", "--assignee", help="assigned to this login (`none`, `*`)")
    parser.add_argument("-A", "--author", help="opened by this login")
    parser.add_argument("--mention", help="mentioning this login")
    parser.add_argument("-m", "--milestone", help="milestone number or title (`none`, `*`)")
    parser.add_argument(
        "-S", "--search", metavar="QUERY", help="GitHub search syntax, through the search API"
    )
    parser.add_argument("--sort", choices=SORTS, help="GitHub's order (default: created)")
    parser.add_argument("--direction", choices=DIRECTIONS, help="default: desc")
    parser.add_argument("--comments", action="store_true", help="store the issues' comments too")
    parser.add_argument(
        "--full",
        action="store_true",
        help="read everything again instead of only what changed since the last sync",
    )
    parser.add_argument(
        "--json",
        nargs="?",
        const="",
        metavar="FIELD,...",
        help="print a JSON array with these fields (without any: list them)",
    )


def run_fetch(command: HublotCommand, options: dict) -> None:
    verbosity = options["verbosity"]
    fields = json_fields(options["json"])
    warn_if_anonymous(command, verbosity)
    progress = Progress(command, options)
    try:
        result = issues_fetch(
            options["repository"],
            state=options["state"],
            labels=options["labels"],
            limit=options["limit"],
            since=options["since"],
            include_prs=options["include_prs"],
            assignee=options["assignee"],
            author=options["author"],
            mention=options["mention"],
            milestone=options["milestone"],
            search=options["search"],
            sort=options["sort"],
            direction=options["direction"],
            comments=options["comments"],
            full=options["full"],
            progress=progress,
        )
    except USER_ERRORS as error:
        raise fail(error) from None
    finally:
        progress.clear()
    if verbosity == 0:
        return
    for problem in result.problems[:MAX_PROBLEMS_SHOWN]:
        command.stderr.write(f"Warning: {problem}")
    if len(result.problems) > MAX_PROBLEMS_SHOWN:
        command.stderr.write(f"Warning: … and {len(result.problems) - MAX_PROBLEMS_SHOWN} more")
    name = result.repository.full_name
    if result.not_modified:
        if fields is not None:
            write_issues(command, [], options=options, fields=fields)
        command.stderr.write(
            f"Nothing changed on GitHub since the last sync of {name}. "
            f"Stored issues: manage.py repositories issues {name}"
        )
        return
    write_issues(command, result.issues, options=options, fields=fields)
    scope = (
        f" since {result.incremental_since:%Y-%m-%dT%H:%M:%SZ}" if result.incremental_since else ""
    )
    comments = f", {result.comments} comments" if options["comments"] else ""
    command.stderr.write(
        f"Added {result.created} issues! ({result.updated} updated, {result.fetched} fetched "
        f"for {name}{scope}{comments})"
    )


class Command(HublotCommand):
    help = (
        "Fetch a GitHub repository's issues and store them (re-running updates, never "
        "duplicates; re-syncs are incremental and conditional unless --full)."
    )

    def add_arguments(self, parser) -> None:
        add_fetch_arguments(parser)

    def handle(self, *args, **options) -> None:
        run_fetch(self, options)
