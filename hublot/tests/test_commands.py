import json
import os
import subprocess
import sys
from datetime import datetime
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings

from hublot.models import Issue, Repository
from hublot.tests.commands import fails, run
from hublot.tests.fake_github import FakeGitHub

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


class TestRepositoriesCommand:
    def test_add_stores_the_description(self):
        out, _ = run(
            "repositories", "add", "https://github.com/django/django", "-d", "The web framework"
        )
        repo = Repository.objects.get()
        assert out.strip() == f"Created new Repository with ID: {repo.pk}"
        assert (repo.owner, repo.name, repo.description) == (
            "django",
            "django",
            "The web framework",
        )

    def test_duplicate_and_case_variant_are_refused(self):
        run("repositories", "add", "https://github.com/django/django")
        repo = Repository.objects.get()
        for url in ("https://github.com/django/django", "https://github.com/Django/DJANGO.git"):
            assert (
                fails("repositories", "add", url)
                == f"That repository already exists! (ID: {repo.pk})"
            )
        assert Repository.objects.count() == 1

    @pytest.mark.parametrize(
        ("url", "message"),
        [
            ("https://gitlab.com/a/b", "Not from Github! Aborting."),
            ("https://github.com/a", "Invalid Github project URL format!"),
        ],
    )
    def test_bad_urls_are_refused(self, url, message):
        assert fails("repositories", "add", url) == message
        assert not Repository.objects.exists()

    def test_list_and_remove(self):
        run("repositories", "add", "django/django")
        out, _ = run("repositories", "list")
        assert "django/django" in out and "fetched: never" in out
        repo = Repository.objects.get()
        Issue.objects.create(repository=repo, number=1, title="x", state="open")
        out, _ = run("repositories", "remove", "django/django")
        assert out.strip() == "Removed django/django and its 1 stored issues."
        assert not Repository.objects.exists() and not Issue.objects.exists()
        assert fails("repositories", "remove", "999") == "No such repository ID!"

    def test_empty_list_says_how_to_add(self):
        out, _ = run("repositories", "list")
        assert "repositories add" in out

    def test_help_lists_the_subcommands(self):
        result = subprocess.run(
            [sys.executable, "manage.py", "repositories", "--help"],
            cwd=django_settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=60,
        )
        for action in ("add", "list", "remove", "fetch_issues", "issues"):
            assert action in result.stdout


class TestFetchIssues:
    def test_250_issues_take_3_list_requests_of_100(self, github):
        github.add_repo("acme", "rockets", issues=250)
        out, err = run("fetch_issues", "acme/rockets")
        lists = github.list_requests()
        assert len(lists) == 3
        assert len(github.requests) == 4  # the repository, then the pages: nothing per issue
        assert all(r.query["per_page"] == "100" for r in lists)
        assert Issue.objects.count() == 250
        assert "Added 250 issues! (0 updated, 250 fetched for acme/rockets)" in err
        # Piped (not a terminal): gh's tab-separated lines, no header, no progress bar.
        assert out.splitlines()[0] == "250\tOPEN\tIssue number 250\t\t2024-01-11T10:00:00Z"
        assert len(out.splitlines()) == 250
        assert "page" not in err and "\x1b" not in out + err

    def test_rerun_updates_and_never_duplicates(self, github):
        repo = github.add_repo("acme", "rockets", issues=3)
        run("fetch_issues", "acme/rockets")
        repo.issues[0]["title"] = "Renamed"
        repo.issues[1]["state"] = "closed"
        _, err = run("fetch_issues", "acme/rockets", "--state", "all")
        assert "Added 0 issues! (3 updated, 3 fetched" in err
        assert Issue.objects.count() == 3
        assert Issue.objects.get(number=1).title == "Renamed"
        assert Issue.objects.get(number=2).state == "closed"

    def test_state_labels_and_since_reach_the_query_string(self, github):
        github.add_repo("acme", "rockets")
        run(
            "fetch_issues",
            "acme/rockets",
            "--state",
            "closed",
            "--label",
            "bug",
            "--label",
            "ui",
            "--since",
            "2024-05-01",
        )
        query = github.list_requests()[0].query
        assert query["state"] == "closed"
        assert query["labels"] == "bug,ui"
        assert query["since"].startswith("2024-05-01T00:00:00")

    def test_limit_stops_early(self, github):
        github.add_repo("acme", "rockets", issues=250)
        run("fetch_issues", "acme/rockets", "--limit", "150")
        assert len(github.list_requests()) == 2
        assert Issue.objects.count() == 150

    def test_pull_requests_are_skipped_unless_asked(self, github):
        github.add_repo("acme", "rockets", issues=2, prs=3)
        run("fetch_issues", "acme/rockets")
        assert Issue.objects.count() == 2
        run("fetch_issues", "acme/rockets", "--include-prs")
        assert Issue.objects.filter(is_pull_request=True).count() == 3

    def test_json_prints_an_array_of_exactly_the_fields_asked(self, github):
        repo = github.add_repo("acme", "rockets")
        repo.issues.append(
            github.issue_json(repo, 7, created=datetime(2024, 3, 1), labels=("bug", "ui"))
        )
        out, err = run("fetch_issues", "acme/rockets", "--json", "number,labels,author,state")
        assert json.loads(out) == [
            {
                "number": 7,
                "labels": [{"name": "bug"}, {"name": "ui"}],
                "author": {"login": "octocat"},
                "state": "OPEN",
            }
        ]
        assert "Added 1 issues!" in err

    def test_json_without_fields_lists_them_and_fetches_nothing(self, github):
        github.add_repo("acme", "rockets", issues=1)
        message = fails("fetch_issues", "acme/rockets", "--json")
        assert message.startswith("Specify one or more comma-separated fields for `--json`:")
        assert "  updatedAt" in message and "  number" in message
        assert "Unknown JSON field: 'nope'" in fails(
            "fetch_issues", "acme/rockets", "--json", "nope"
        )
        assert github.requests == []

    def test_unregistered_repository_is_registered_with_github_details(self, github):
        github.add_repo("Acme", "Rockets", issues=1, description="Up we go")
        run("fetch_issues", "https://github.com/acme/rockets")
        repo = Repository.objects.get()
        assert (repo.full_name, repo.description, repo.github_id) == ("Acme/Rockets", "Up we go", 1)
        assert repo.last_fetched_on is not None

    def test_by_local_id_and_the_subcommand_alias(self, github):
        github.add_repo("acme", "rockets", issues=1)
        run("repositories", "add", "acme/rockets")
        _, err = run("repositories", "fetch_issues", str(Repository.objects.get().pk))
        assert "Added 1 issues!" in err
        assert fails("fetch_issues", "4242") == "No such repository ID!"

    def test_stored_issues_listing(self, github):
        github.add_repo("acme", "rockets", issues=3)
        run("fetch_issues", "acme/rockets")
        out, _ = run("repositories", "issues", "acme/rockets", "--limit", "2")
        assert [line.split("\t")[0] for line in out.splitlines()] == ["3", "2"]

    def test_stored_issues_filter_by_every_label(self, github):
        repo = github.add_repo("acme", "rockets")
        for number, labels in ((1, ("bug",)), (2, ("bug", "ui")), (3, ("ui",))):
            repo.issues.append(
                github.issue_json(repo, number, created=datetime(2024, 3, number), labels=labels)
            )
        run("fetch_issues", "acme/rockets")
        out, _ = run(
            "repositories",
            "issues",
            "acme/rockets",
            "--label",
            "bug",
            "--label",
            "ui",
            "--json",
            "number",
        )
        assert json.loads(out) == [{"number": 2}]

    def test_missing_repository(self, github):
        assert fails("fetch_issues", "acme/ghost") == (
            "Repository acme/ghost not found on GitHub (or the token cannot see it)."
        )
        assert not Repository.objects.exists()

    def test_bad_credentials(self, github):
        github.add_repo("acme", "rockets", issues=3)
        github.valid_token = "another-token"
        assert (
            fails("fetch_issues", "acme/rockets")
            == "GitHub rejected the credentials: check GITHUB_TOKEN."
        )
        assert not Issue.objects.exists()

    def test_rate_limit_fails_fast_with_reset_time(self, github, settings):
        github.add_repo("acme", "rockets", issues=3)
        github.rate_limited = True
        settings.GITHUB_TOKEN = ""
        message = fails("fetch_issues", "acme/rockets")
        assert message.startswith("GitHub API rate limit exceeded; resets at ")
        assert "(in 30 min)" in message and "Set GITHUB_TOKEN for 5,000 requests/hour." in message
        assert len(github.requests) == 1  # no retries, no sleeping
        assert not Repository.objects.exists()

    def test_rate_limit_mid_fetch_saves_nothing(self, github):
        github.add_repo("acme", "rockets", issues=250)

        def flaky(request):
            if request.query.get("page") == "2":
                github.rate_limited = True

        github.hooks.append(flaky)
        run("repositories", "add", "acme/rockets")
        assert "rate limit" in fails("fetch_issues", "acme/rockets")
        assert not Issue.objects.exists()
        assert Repository.objects.get().last_fetched_on is None

    def test_unreachable_github(self, settings):
        dead = FakeGitHub()
        settings.GITHUB_API_URL = dead.url
        dead._server.server_close()  # nothing listens there any more
        assert fails("fetch_issues", "acme/rockets").startswith("Could not reach GitHub: ")

    def test_anonymous_warns(self, github, settings):
        settings.GITHUB_TOKEN = ""
        github.add_repo("acme", "rockets")
        _, err = run("fetch_issues", "acme/rockets")
        assert "GITHUB_TOKEN is not set" in err
        assert "Authorization" not in github.requests[0].headers


class TestRemoteListing:
    def test_lists_and_registers_an_owners_repositories(self, github):
        github.add_repo("acme", "rockets", description="Up")
        github.add_repo("acme", "anvils")
        out, err = run("repositories", "list", "acme", "--add")
        assert "acme/rockets\tUp" in out and "acme/anvils" in out
        assert "Registered 2 repositories (0 already there)." in err
        assert Repository.objects.count() == 2

    def test_organisations_use_the_org_endpoint(self, github):
        github.add_repo("bigco", "product")
        github.accounts["bigco"] = "Organization"
        out, _ = run("repositories", "list", "bigco")
        assert "bigco/product" in out
        assert any(r.path == "/orgs/bigco/repos" for r in github.requests)

    def test_unknown_owner(self, github):
        assert (
            fails("repositories", "list", "nobody")
            == "No GitHub user or organisation named nobody."
        )


def database_url_of_this_run() -> str:
    """The database this test run uses, for `manage.py` subprocesses."""
    db = django_settings.DATABASES["default"]
    if "sqlite" in db["ENGINE"]:
        return f"sqlite:///{db['NAME']}"
    return (
        f"postgres://{quote(db['USER'])}:{quote(db['PASSWORD'] or '')}@{db['HOST']}:{db['PORT']}"
        f"/{db['NAME']}"
    )


class TestExitCodes:
    """Through a real `manage.py` process: what a shell user sees."""

    def manage(self, *args: str, **env: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=django_settings.BASE_DIR,
            env={**os.environ, "DATABASE_URL": database_url_of_this_run(), **env},
            capture_output=True,
            text=True,
            timeout=120,
        )

    @pytest.mark.parametrize(
        "args",
        [
            ("fetch_issues",),
            ("fetch_issues", "a/b", "--limit", "0"),
            ("fetch_issues", "a/b", "--state", "odd"),
            ("fetch_issues", "a/b", "--since", "yesterday"),
            ("repositories", "add"),
        ],
    )
    def test_usage_errors_exit_2(self, args):
        result = self.manage(*args)
        assert result.returncode == 2, result.stderr
        assert "usage:" in result.stderr

    def test_missing_repo_is_one_line_and_exit_1(self, github):
        result = self.manage("fetch_issues", "acme/ghost", GITHUB_API_URL=github.url)
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        lines = [
            line for line in result.stderr.splitlines() if line and not line.startswith("Warning")
        ]
        assert lines == [
            "CommandError: Repository acme/ghost not found on GitHub (or the token cannot see it)."
        ]
