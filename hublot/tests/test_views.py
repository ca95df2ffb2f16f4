import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from hublot.models import Issue, IssueComment, Repository
from project.markdown import render_markdown

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def repo():
    repository = Repository.objects.create(owner="acme", name="rockets")
    specs = [
        (1, "open", ["bug"], "Crash on launch"),
        (2, "closed", ["bug", "ui"], "Crash on landing"),
        (3, "open", ["ui"], "Paint it red"),
        (4, "open", [], "Launch checklist"),
    ]
    for number, state, labels, title in specs:
        Issue.objects.create(
            repository=repository, number=number, title=title, state=state, labels=labels
        )
    return repository


def page(client, repo, **params):
    return client.get(reverse("hublot:repository-issues", args=[repo.pk]), params)


def numbers(response) -> list[int]:
    return [issue.number for issue in response.context["issues"]]


class TestIssueList:
    def test_tabs_show_counts_and_mark_the_selected_one(self, client, repo):
        response = page(client, repo, state="closed")
        assert [(t["state"], t["count"], t["selected"]) for t in response.context["tabs"]] == [
            ("open", 3, False),
            ("closed", 1, True),
            ("all", 4, False),
        ]
        assertContains(response, 'aria-current="page" class="selected"><strong>Closed (1)</strong>')
        assert numbers(response) == [2]

    def test_label_filter_and_counts_follow_it(self, client, repo):
        response = page(client, repo, state="all", label="bug")
        assert numbers(response) == [2, 1]
        assert [t["count"] for t in response.context["tabs"]] == [1, 1, 2]
        assertContains(response, "&amp;label=bug")  # tabs keep the filter

    def test_search_in_titles_and_bodies(self, client, repo):
        assert numbers(page(client, repo, q="crash")) == [1]
        assert numbers(page(client, repo, state="all", q="CRASH on")) == [2, 1]
        assert numbers(page(client, repo, state="all", q="launch", label="bug")) == [1]

    def test_unknown_state_falls_back_to_open(self, client, repo):
        assert numbers(page(client, repo, state="weird")) == [4, 3, 1]

    def test_query_count_does_not_grow_with_issues(self, client, repo, django_assert_num_queries):
        # repository, open/closed/all counts, page count, the page
        with django_assert_num_queries(4):
            page(client, repo, state="all", label="ui", q="crash")


class TestIssueDetail:
    def test_body_and_comments_are_rendered_and_sanitised(self, client, repo):
        issue = Issue.objects.get(number=1)
        issue.body = "**Steps**\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))"
        issue.save()
        IssueComment.objects.create(issue=issue, github_id=5, author="hubot", body="_Me too_")
        response = client.get(reverse("hublot:issue-detail", args=[repo.pk, 1]))
        assertContains(response, "<strong>Steps</strong>")
        assertContains(response, "<em>Me too</em>")
        assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")
        assertNotContains(response, "<script>alert")
        assertNotContains(response, 'href="javascript:')

    def test_missing_issue_is_404(self, client, repo):
        assert client.get(reverse("hublot:issue-detail", args=[repo.pk, 99])).status_code == 404


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("# Title", "<h1>Title</h1>"),
        ("<img src=x onerror=alert(1)>", "<p>&lt;img src=x onerror=alert(1)&gt;</p>"),
        ("[a](https://example.com)", 'href="https://example.com" rel="nofollow noopener'),
        ("[a](javascript:alert(1))", "<p>[a](javascript:alert(1))</p>"),
        ("", ""),
    ],
)
def test_render_markdown(source, expected):
    assert expected in render_markdown(source)
