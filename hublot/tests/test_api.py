import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from hublot.models import Issue, Repository

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def repo():
    repository = Repository.objects.create(owner="acme", name="rockets", description="Up")
    specs = [
        (1, "open", ["bug"], False),
        (2, "closed", ["bug", "ui"], False),
        (3, "open", ["ui"], True),
        (4, "open", [], False),
    ]
    for number, state, labels, pr in specs:
        Issue.objects.create(
            repository=repository,
            number=number,
            title=f"Issue {number}",
            state=state,
            labels=labels,
            is_pull_request=pr,
            author="octocat",
        )
    return repository


def numbers(response) -> list[int]:
    return [item["number"] for item in response.json()["results"]]


def test_repository_list_with_counts(api_client, repo):
    body = api_client.get("/api/v1/repositories/").json()
    (item,) = body["results"]
    assert (item["full_name"], item["issue_count"], item["open_issue_count"]) == (
        "acme/rockets",
        4,
        3,
    )
    assert item["issues_url"].endswith(f"/api/v1/repositories/{repo.pk}/issues/")


def test_issue_filters(api_client, repo):
    url = f"/api/v1/repositories/{repo.pk}/issues/"
    assert numbers(api_client.get(url)) == [4, 3, 2, 1]
    assert numbers(api_client.get(url, {"state": "closed"})) == [2]
    assert numbers(api_client.get(url, {"label": "bug"})) == [2, 1]
    assert numbers(api_client.get(url, {"is_pull_request": "true"})) == [3]
    assert numbers(api_client.get(url, {"search": "Issue 4"})) == [4]
    assert api_client.get(url, {"state": "weird"}).status_code == 400


def test_read_only_and_404s(api_client, auth_api_client, repo):
    assert (
        auth_api_client.post("/api/v1/repositories/", {"owner": "x", "name": "y"}).status_code
        == 405
    )
    assert api_client.get("/api/v1/repositories/999/issues/").status_code == 404


@pytest.mark.parametrize("extra", [0, 30])
def test_query_counts_are_fixed(api_client, repo, django_assert_num_queries, extra):
    for i in range(extra):
        Repository.objects.create(owner="acme", name=f"r{i}")
        Issue.objects.create(repository=repo, number=100 + i, title="t", state="open")
    with django_assert_num_queries(2):
        api_client.get("/api/v1/repositories/")
    with django_assert_num_queries(3):  # the repository, count, page
        api_client.get(f"/api/v1/repositories/{repo.pk}/issues/")


def test_web_pages(client, repo):
    assertContains(client.get(reverse("hublot:repository-list")), "acme/rockets")
    response = client.get(reverse("hublot:repository-issues", args=[repo.pk]), {"state": "all"})
    assertContains(response, "Issue 3")
    assert len(response.context["issues"]) == 4


def test_task_refreshes_and_waits_out_rate_limits(github):
    from celery.exceptions import Retry

    from hublot.tasks import fetch_issues_task

    github.add_repo("acme", "rockets", issues=2)
    repository = Repository.objects.create(owner="acme", name="rockets")
    assert fetch_issues_task.delay(repository_id=repository.pk).get() == 2
    github.rate_limited = True
    with pytest.raises(Retry):
        fetch_issues_task.apply(kwargs={"repository_id": repository.pk}, throw=True)
