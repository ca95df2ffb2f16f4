"""Surprising data from GitHub (or something pretending to be it): stored cleaned,
skipped with a reason, never a traceback."""

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command

from hublot.models import Issue

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

AT = datetime(2024, 3, 1, tzinfo=UTC)


def fetch(*extra: str) -> str:
    err = StringIO()
    call_command("fetch_issues", "acme/rockets", *extra, stdout=StringIO(), stderr=err)
    return err.getvalue()


@pytest.fixture
def repo(github):
    return github.add_repo("acme", "rockets")


def test_nul_characters_are_dropped(github, repo):
    repo.issues.append(
        github.issue_json(
            repo, 1, created=AT, title="Bad\x00title", body="b\x00ody", labels=("b\x00ug",),
            user={"login": "oct\x00ocat"},
        )
    )  # fmt: skip
    fetch()
    issue = Issue.objects.get()
    assert (issue.title, issue.body, issue.labels, issue.author) == (
        "Badtitle",
        "body",
        ["bug"],
        "octocat",
    )


def test_over_long_fields_are_cut_to_fit(github, repo):
    repo.issues.append(
        github.issue_json(
            repo, 1, created=AT, title="t" * 5000, user={"login": "u" * 1000},
            html_url="https://github.com/" + "x" * 600,
            milestone={"number": 1, "title": "m" * 1000},
        )
    )  # fmt: skip
    fetch()
    issue = Issue.objects.get()
    assert len(issue.title) == 1024 and len(issue.author) == 255 and len(issue.milestone) == 255
    assert issue.html_url == ""  # a cut URL would point elsewhere


def test_issue_number_beyond_the_integer_range_is_skipped_and_reported(github, repo):
    repo.issues += [
        github.issue_json(repo, 2**31, created=AT),
        github.issue_json(repo, 1, created=AT),
        {**github.issue_json(repo, 2, created=AT), "number": "2"},
        "not an issue",
    ]
    err = fetch()
    assert list(Issue.objects.values_list("number", flat=True)) == [1]
    assert "Warning: skipped issue number '2147483648': not storable" in err
    assert "Warning: skipped issue number '2': not storable" in err
    assert "Warning: skipped an item that is not an issue object" in err
    assert "Added 1 issues!" in err


def test_malformed_dates_are_stored_empty_and_reported(github, repo):
    repo.issues.append(
        github.issue_json(repo, 1, created=AT, created_at="yesterday", closed_at="0000-00-00")
    )
    err = fetch()
    issue = Issue.objects.get()
    assert issue.opened_at is None and issue.closed_at is None
    assert issue.updated_at == AT
    assert "#1 created_at: unreadable date 'yesterday', stored empty" in err


def test_odd_shapes_do_not_break_the_fetch(github, repo):
    repo.issues.append(
        github.issue_json(
            repo, 1, created=AT, labels=(), id="x", state="merged", user=None,
            assignees="alice", comments=-3,
        )
    )  # fmt: skip
    repo.issues[0]["labels"] = [{"name": 7}, "plain", None]
    fetch()
    issue = Issue.objects.get()
    assert (issue.github_id, issue.state, issue.author, issue.assignees) == (None, "open", "", [])
    assert issue.labels == ["plain"] and issue.comment_count == 0


def test_a_listing_that_is_not_a_list(github, repo):
    github.hooks.append(
        lambda request: (
            (200, {"message": "surprise"}, {}) if request.path.endswith("/issues") else None
        )
    )
    with pytest.raises(Exception) as info:
        fetch()
    assert "unexpected issue listing" in str(info.value)


def test_a_future_update_time_does_not_poison_the_incremental_cursor(github, repo):
    repo.issues += [
        github.issue_json(repo, 1, created=AT),
        github.issue_json(repo, 2, created=AT, updated_at="9999-01-01T00:00:00Z"),
    ]
    fetch()
    github.requests.clear()
    fetch()
    assert github.list_requests()[0].query["since"] == "2024-03-01T00:00:00Z"
