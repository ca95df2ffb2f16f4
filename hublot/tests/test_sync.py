"""Fetching against the fake GitHub's wire format: renames, paging races, conditional
requests, incremental re-syncs, rate limits, error wording, filters, search, comments."""

from datetime import UTC, datetime, timedelta

import pytest

from hublot import github as github_module
from hublot.github import API_VERSION, GitHubError
from hublot.models import Issue, IssueComment, Repository, RepositoryName
from hublot.services import issues_fetch
from hublot.tasks import retry_countdown
from hublot.tests.commands import fails, run

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def sleeps(monkeypatch) -> list[float]:
    """Waits the client asked for, recorded instead of slept."""
    waited: list[float] = []
    monkeypatch.setattr(github_module, "sleep", waited.append)
    return waited


class TestRenamedRepositories:
    def test_second_fetch_under_the_old_name_follows_the_301(self, github):
        repo = github.add_repo("acme", "rockets", issues=2)
        run("fetch_issues", "acme/rockets")
        github.rename(repo, "acme", "missiles")
        github.requests.clear()
        github.replies.clear()
        _, err = run("fetch_issues", "acme/rockets", "--full")
        assert github.replies[:2] == [301, 200]
        assert any(r.path == f"/repositories/{repo.id}" for r in github.requests)
        stored = Repository.objects.get()
        assert (stored.full_name, stored.github_id) == ("acme/missiles", repo.id)
        assert Issue.objects.count() == 2
        assert "for acme/missiles" in err
        # Both names find it; the old one is kept as an alias.
        assert RepositoryName.objects.get().repository == stored
        out, _ = run("repositories", "issues", "acme/rockets", "--json", "number")
        assert out.strip() == '[{"number": 2}, {"number": 1}]'
        run("repositories", "issues", "acme/missiles")

    def test_registered_under_the_old_name_and_fetched_under_the_new(self, github):
        repo = github.add_repo("acme", "rockets", issues=1)
        run("repositories", "add", "acme/rockets")
        run("fetch_issues", "acme/rockets")
        github.rename(repo, "bigco", "rockets")  # a transfer
        run("fetch_issues", "bigco/rockets", "--full")
        stored = Repository.objects.get()
        assert stored.full_name == "bigco/rockets"
        assert Issue.objects.filter(repository=stored).count() == 1
        assert Repository.objects.count() == 1
        run("fetch_issues", "acme/rockets")  # the old name still works
        assert Repository.objects.count() == 1

    def test_never_fetched_old_registration_then_both_names(self, github):
        repo = github.add_repo("acme", "rockets", issues=1)
        run("repositories", "add", "acme/rockets")  # GitHub's id not known yet
        github.rename(repo, "acme", "missiles")
        run("fetch_issues", "acme/missiles")
        # Without asking GitHub about every unfetched name, the old row is not known to be
        # the same repository; the first fetch under the old name says so clearly.
        assert "are both registered and are the same GitHub repository" in fails(
            "fetch_issues", "acme/rockets"
        )

    def test_two_registrations_of_one_repository_are_reported(self, github):
        repo = github.add_repo("acme", "rockets")
        run("repositories", "add", "acme/rockets")
        run("repositories", "add", "acme/missiles")
        github.rename(repo, "acme", "missiles")
        assert "are both registered and are the same GitHub repository" in fails(
            "fetch_issues", "acme/rockets"
        )


class TestPagingRaces:
    def test_issue_opened_while_paging_is_read_twice_and_stored_once(self, github):
        repo = github.add_repo("acme", "rockets", issues=150)

        def open_one_before_page_2(request):
            if request.query.get("page") == "2" and len(repo.issues) == 150:
                stamp = datetime(2025, 1, 1, tzinfo=UTC)
                repo.issues.append(github.issue_json(repo, 151, created=stamp))

        github.hooks.append(open_one_before_page_2)
        _, err = run("fetch_issues", "acme/rockets")
        # Page 2 starts one later: #51 came on page 1 and again on page 2.
        assert "Added 150 issues! (0 updated, 150 fetched" in err
        assert Issue.objects.count() == 150
        assert not Issue.objects.filter(number=151).exists()  # next sync gets it

    def test_of_two_copies_the_later_one_is_kept(self, github):
        repo = github.add_repo("acme", "rockets")
        old = github.issue_json(repo, 5, created=datetime(2024, 1, 1, tzinfo=UTC), title="Old")
        new = {**old, "title": "New", "updated_at": "2024-02-01T00:00:00Z"}
        repo.issues += [new, old]
        run("fetch_issues", "acme/rockets")
        assert Issue.objects.get().title == "New"


class TestConditionalRequests:
    def test_unchanged_repository_gets_304s_that_cost_nothing(self, github):
        github.add_repo("acme", "rockets", issues=250)
        run("fetch_issues", "acme/rockets", "--full")
        assert len(github.requests) == 4
        remaining = github.remaining
        github.requests.clear()
        _, err = run("fetch_issues", "acme/rockets", "--full")
        assert github.replies[-2:] == [304, 304]
        assert len(github.requests) == 2  # the repository and page 1: no more pages
        assert github.requests[0].headers["If-None-Match"].startswith('W/"')
        assert "If-Modified-Since" in github.requests[0].headers
        assert "If-None-Match" in github.requests[1].headers
        assert github.remaining == remaining  # 304s are free
        assert "Nothing changed on GitHub since the last sync of acme/rockets." in err
        assert Issue.objects.count() == 250

    def test_resyncs_are_incremental_then_conditional(self, github):
        repo = github.add_repo("acme", "rockets", issues=250)
        run("fetch_issues", "acme/rockets")
        assert "since" not in github.list_requests()[0].query
        github.requests.clear()
        repo.issues[0]["updated_at"] = "2024-06-01T00:00:00Z"  # #1 edited
        repo.issues[0]["title"] = "Edited"
        repo.issues[1].update(state="closed", updated_at="2024-06-02T00:00:00Z")  # #2 closed
        _, err = run("fetch_issues", "acme/rockets")
        (listing,) = github.list_requests()
        assert listing.query["since"] == "2024-01-11T10:00:00Z"  # newest updated_at seen
        assert listing.query["state"] == "all"  # so that closures reach us
        assert "3 fetched for acme/rockets since 2024-01-11T10:00:00Z" in err
        assert Issue.objects.get(number=1).title == "Edited"
        assert Issue.objects.get(number=2).state == "closed"
        github.requests.clear()
        run("fetch_issues", "acme/rockets")
        assert github.list_requests()[0].query["since"] == "2024-06-02T00:00:00Z"
        github.requests.clear()
        _, err = run("fetch_issues", "acme/rockets")  # same query again: 304
        assert github.replies[-1] == 304 and len(github.requests) == 2
        assert "Nothing changed" in err

    def test_careful_client_headers(self, github):
        github.add_repo("acme", "rockets")
        run("fetch_issues", "acme/rockets")
        for request in github.requests:
            assert request.headers["Accept"] == "application/vnd.github+json"
            assert request.headers["X-GitHub-Api-Version"] == API_VERSION
            assert request.headers["Authorization"] == "Bearer test-token"


class TestSince:
    def test_an_offset_is_converted_to_utc(self, github):
        github.add_repo("acme", "rockets")
        run("fetch_issues", "acme/rockets", "--since", "2024-05-01T12:00:00+02:00")
        assert github.list_requests()[0].query["since"] == "2024-05-01T10:00:00Z"

    def test_a_date_is_midnight_utc(self, github):
        github.add_repo("acme", "rockets")
        run("fetch_issues", "acme/rockets", "--since", "2024-05-01")
        assert github.list_requests()[0].query["since"] == "2024-05-01T00:00:00Z"


def secondary_limit(github, *, times: int, retry_after: str, status: int = 403):
    left = [times]

    def hook(request):
        if left[0] > 0:
            left[0] -= 1
            body = {
                "message": "You have exceeded a secondary rate limit. Please wait a few minutes "
                "before you try again.",
                "documentation_url": "https://docs.github.com/rest/overview/rate-limits",
            }
            return status, body, {"Retry-After": retry_after}
        return None

    github.hooks.append(hook)


class TestSecondaryRateLimits:
    @pytest.mark.parametrize("status", [403, 429])
    def test_short_retry_after_is_waited_out(self, github, sleeps, status):
        github.add_repo("acme", "rockets", issues=3)
        secondary_limit(github, times=2, retry_after="7", status=status)
        _, err = run("fetch_issues", "acme/rockets")
        assert sleeps == [7, 7]
        assert "Added 3 issues!" in err

    def test_long_retry_after_fails_with_that_time(self, github, sleeps, settings):
        settings.GITHUB_RETRY_AFTER_MAX_SECONDS = 30
        github.add_repo("acme", "rockets", issues=3)
        secondary_limit(github, times=1, retry_after="120")
        message = fails("fetch_issues", "acme/rockets")
        assert message.startswith(
            "GitHub asked us to slow down (secondary rate limit): retry after 120 s"
        )
        assert "resets in" not in message and sleeps == []
        assert not Repository.objects.exists()

    def test_the_task_comes_back_after_retry_after_not_an_hour(self, github, sleeps, settings):
        settings.GITHUB_RETRY_AFTER_MAX_SECONDS = 0
        github.add_repo("acme", "rockets")
        secondary_limit(github, times=1, retry_after="90")
        with pytest.raises(GitHubError) as info:
            issues_fetch("acme/rockets")
        assert 85 <= retry_countdown(info.value, 0) <= 92

    def test_no_pause_between_requests_when_github_does_not_ask(self, github, sleeps):
        github.add_repo("acme", "rockets", issues=250)
        run("fetch_issues", "acme/rockets")
        assert sleeps == []


class TestErrorMessages:
    def test_5xx_without_message(self, github):
        github.add_repo("acme", "rockets")
        github.hooks.append(lambda request: (502, None, {}))
        message = fails("fetch_issues", "acme/rockets")
        assert message == "GitHub is having trouble (HTTP 502 Bad Gateway); try again later."
        assert "None" not in message

    def test_404_on_a_later_page_is_not_repository_not_found(self, github):
        github.add_repo("acme", "rockets", issues=250)
        github.hooks.append(
            lambda request: (
                (404, {"message": "Not Found"}, {}) if request.query.get("page") == "2" else None
            )
        )
        message = fails("fetch_issues", "acme/rockets")
        assert message.startswith(
            "GitHub answered 404 Not Found for page 2 of acme/rockets's issues"
        )
        assert "Nothing was stored" in message
        assert not Issue.objects.exists()

    def test_non_json_answer(self, github):
        github.add_repo("acme", "rockets")
        github.hooks.append(lambda request: (200, None, {}))
        assert "unexpected answer" in fails("fetch_issues", "acme/rockets")


class TestFilters:
    def test_gh_filters_reach_the_list_api(self, github):
        repo = github.add_repo("acme", "rockets")
        repo.milestones.append({"number": 3, "title": "v1.0", "state": "open"})
        run(
            "fetch_issues", "acme/rockets", "--assignee", "alice", "--author", "bob",
            "--mention", "carol", "--milestone", "v1.0", "--sort", "updated",
            "--direction", "asc",
        )  # fmt: skip
        query = github.list_requests()[0].query
        assert query == {
            "state": "open",
            "assignee": "alice",
            "creator": "bob",
            "mentioned": "carol",
            "milestone": "3",
            "sort": "updated",
            "direction": "asc",
            "per_page": "100",
        }

    def test_unknown_milestone_title(self, github):
        github.add_repo("acme", "rockets")
        assert fails("fetch_issues", "acme/rockets", "-m", "v9") == (
            "No milestone titled 'v9' in acme/rockets."
        )

    def test_filters_select_issues(self, github):
        repo = github.add_repo("acme", "rockets")
        at = datetime(2024, 3, 1, tzinfo=UTC)
        repo.issues += [
            github.issue_json(repo, 1, created=at, assignees=[{"login": "alice"}]),
            github.issue_json(repo, 2, created=at + timedelta(hours=1), user={"login": "bob"}),
        ]
        run("fetch_issues", "acme/rockets", "-a", "alice")
        assert list(Issue.objects.values_list("number", flat=True)) == [1]
        assert Issue.objects.get().assignees == ["alice"]

    def test_search_goes_through_the_search_api(self, github):
        repo = github.add_repo("acme", "rockets")
        at = datetime(2024, 3, 1, tzinfo=UTC)
        repo.issues += [
            github.issue_json(repo, 1, created=at, title="Crash on launch", labels=("bug",)),
            github.issue_json(repo, 2, created=at, title="Crash on landing"),
            github.issue_json(repo, 3, created=at, title="Paint it red", labels=("bug",)),
        ]
        other = github.add_repo("acme", "anvils")
        other.issues.append(github.issue_json(other, 1, created=at, title="Crash too"))
        out, _ = run("fetch_issues", "acme/rockets", "-S", "crash", "-l", "bug", "--json", "number")
        (request,) = github.requests_to("GET", "/search/issues")
        assert request.query["q"] == "repo:acme/rockets is:issue state:open label:bug crash"
        assert out.strip() == '[{"number": 1}]'
        assert list(Issue.objects.values_list("number", flat=True)) == [1]


class TestComments:
    def test_comments_are_stored_from_one_listing(self, github):
        repo = github.add_repo("acme", "rockets", issues=3)
        at = datetime(2024, 2, 1, tzinfo=UTC)
        github.add_comment(repo, 1, "First!", at=at)
        github.add_comment(repo, 3, "Me too\x00", at=at + timedelta(hours=1))
        _, err = run("fetch_issues", "acme/rockets", "--comments")
        assert len(github.list_requests("/issues/comments")) == 1  # not one per issue
        assert "2 comments" in err
        assert [(c.issue.number, c.body) for c in IssueComment.objects.all()] == [
            (1, "First!"),
            (3, "Me too"),
        ]
        out, _ = run("repositories", "issues", "acme/rockets", "--json", "number,comments")
        assert '"body": "First!"' in out


def test_a_next_link_to_another_host_is_not_followed_with_the_token(github):
    github.add_repo("acme", "rockets", issues=1)
    github.hooks.append(
        lambda request: (
            (200, [], {"Link": '<https://evil.example/steal?page=2>; rel="next"'})
            if request.path.endswith("/issues")
            else None
        )
    )
    assert "next-page link leaves http://127.0.0.1" in fails("fetch_issues", "acme/rockets")
