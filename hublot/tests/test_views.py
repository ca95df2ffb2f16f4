import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from hublot import selectors
from hublot.models import Issue, IssueComment, Repository
from project.markdown import render_markdown
from project.paginators import BoundedCountPaginator

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
        # repository, open/closed/all counts (also the page count), the page
        with django_assert_num_queries(3):
            page(client, repo, state="all", label="ui", q="crash")

    def test_state_counts_stop_at_the_cap(self, client, repo, monkeypatch):
        monkeypatch.setattr(selectors, "STATE_COUNT_CAP", 2)
        response = page(client, repo)
        tabs = [(t["state"], t["count"], t["count_is_capped"]) for t in response.context["tabs"]]
        assert tabs == [("open", 2, True), ("closed", 1, False), ("all", 3, True)]
        assertContains(response, "<strong>Open (2+)</strong>")
        assertContains(response, "Closed (1)<")
        assert numbers(response) == [4, 3, 1]  # the list itself is complete

    def test_counts_read_a_bounded_number_of_rows(self, repo, django_assert_num_queries):
        issues = selectors.issue_list(repo)
        with django_assert_num_queries(1) as captured:
            selectors.issue_state_counts(issues, cap=5)
        assert captured.captured_queries[0]["sql"].count("LIMIT 6") == 2

    def test_page_count_is_bounded_and_paging_goes_on(self, client, repo, monkeypatch):
        for number in range(5, 60):
            Issue.objects.create(
                repository=repo, number=number, title=f"Issue {number}", state="open"
            )
        monkeypatch.setattr(selectors, "STATE_COUNT_CAP", 55)
        monkeypatch.setattr(BoundedCountPaginator, "count_ahead", 3)
        first = page(client, repo)
        assertContains(first, "<strong>Open (55+)</strong>")
        # The tab's count is the page count (counting anew would have stopped at 53).
        assert (first.context["paginator"].count, first.context["paginator"].count_is_capped) == (
            55,
            True,
        )
        assertContains(first, "Page 1 of 2+")
        last = page(client, repo, page=2)  # past the tab's count: counted on
        assert numbers(last) == [9, 8, 7, 6, 5, 4, 3, 1]
        assert not last.context["page_obj"].has_next()
        assertContains(last, "Page 2 of 2<")


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
