import json

from hublot.management.commands._output import (
    HublotCommand,
    fail,
    json_fields,
    warn_if_anonymous,
    write_issues,
)
from hublot.management.commands.fetch_issues import add_fetch_arguments, positive_int, run_fetch
from hublot.models import Repository
from hublot.selectors import issue_list, issues_with_label
from hublot.services import (
    USER_ERRORS,
    RepositoryExists,
    remote_repository_list,
    repository_add,
    repository_get,
    repository_remove,
)


class Command(HublotCommand):
    help = "Manage the GitHub repositories Hublot tracks: add, list, remove, fetch_issues, issues."

    def add_arguments(self, parser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        add = commands.add_parser("add", help="register a repository by its GitHub URL")
        add.add_argument("url", help="e.g. https://github.com/django/django")
        add.add_argument("-d", "--description", default="")
        add.add_argument(
            "--webhook-secret",
            default="",
            help="secret of the repository's GitHub webhook (POST /hublot/webhooks/github/)",
        )

        listing = commands.add_parser("list", help="registered repositories, or OWNER's on GitHub")
        listing.add_argument(
            "owner", nargs="?", help="list this GitHub user's/organisation's repositories"
        )
        listing.add_argument("--limit", type=positive_int, default=30)
        listing.add_argument("--add", action="store_true", help="register each listed repository")
        listing.add_argument("--json", action="store_true")

        remove = commands.add_parser("remove", help="forget a repository and its stored issues")
        remove.add_argument("repository", help="local id, OWNER/REPO or URL")

        fetch = commands.add_parser(
            "fetch_issues", help="fetch issues from GitHub (as `manage.py fetch_issues`)"
        )
        add_fetch_arguments(fetch)

        issues = commands.add_parser("issues", help="stored issues of a repository (no network)")
        issues.add_argument("repository", help="local id, OWNER/REPO or URL")
        issues.add_argument("-s", "--state", choices=["open", "closed", "all"], default="open")
        issues.add_argument("-l", "--label", dest="labels", action="append", default=[])
        issues.add_argument("-L", "--limit", type=positive_int, default=30)
        issues.add_argument("--json", nargs="?", const="", metavar="FIELD,...")

    def handle(self, *args, action: str, **options) -> None:
        try:
            getattr(self, f"do_{action}")(options)
        except USER_ERRORS as error:
            raise fail(error) from None

    def do_add(self, options: dict) -> None:
        repository = repository_add(
            options["url"],
            description=options["description"],
            webhook_secret=options["webhook_secret"],
        )
        self.stdout.write(f"Created new Repository with ID: {repository.pk}")

    def do_list(self, options: dict) -> None:
        if options["owner"]:
            return self._list_remote(options)
        rows = Repository.objects.order_by("owner", "name")[: options["limit"]]
        if options["json"]:
            for repo in rows:
                self.stdout.write(
                    json.dumps(
                        {
                            "id": repo.pk,
                            "full_name": repo.full_name,
                            "description": repo.description,
                        }
                    )
                )
            return
        if not rows:
            self.stdout.write(
                "No repositories yet. Add one: manage.py repositories add <github URL>"
            )
        for repo in rows:
            fetched = (
                repo.last_fetched_on.strftime("%Y-%m-%d %H:%M") if repo.last_fetched_on else "never"
            )
            self.stdout.write(
                f"{repo.pk}\t{repo.full_name}\t{repo.description}\t(fetched: {fetched})"
            )

    def _list_remote(self, options: dict) -> None:
        warn_if_anonymous(self, options["verbosity"])
        added = skipped = 0
        for repo in remote_repository_list(options["owner"], limit=options["limit"]):
            if options["json"]:
                self.stdout.write(
                    json.dumps({"full_name": repo.full_name, "description": repo.description})
                )
            else:
                self.stdout.write(f"{repo.full_name}\t{repo.description}")
            if options["add"]:
                try:
                    repository_add(repo.full_name, description=repo.description)
                    added += 1
                except RepositoryExists:
                    skipped += 1
        if options["add"]:
            self.stderr.write(f"Registered {added} repositories ({skipped} already there).")

    def do_remove(self, options: dict) -> None:
        repository, issues = repository_remove(options["repository"])
        self.stdout.write(f"Removed {repository.full_name} and its {issues} stored issues.")

    def do_fetch_issues(self, options: dict) -> None:
        run_fetch(self, options)

    def do_issues(self, options: dict) -> None:
        fields = json_fields(options["json"])
        issues = issue_list(repository_get(options["repository"]))
        if options["state"] != "all":
            issues = issues.filter(state=options["state"])
        for label in options["labels"]:  # every label must be there
            issues = issues_with_label(issues, label)
        write_issues(self, list(issues[: options["limit"]]), options=options, fields=fields)
