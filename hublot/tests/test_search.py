"""Issue search: titles and bodies, ranked, through the API and the web list."""

import pytest
from django.urls import reverse

from hublot.models import Issue, Repository

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def repo():
    repository = Repository.objects.create(owner="acme", name="rockets")
    for number, title, body in [
        (1, "Crash on launch", ""),
        (2, "Landing gear", "The gear crashes on landing"),
        (3, "Paint it red", "no crash here? yes: crash, crash"),
        (4, "Launch checklist", ""),
    ]:
        Issue.objects.create(
            repository=repository, number=number, title=title, body=body, state="open"
        )
    return repository


def test_api_finds_titles_before_bodies(api_client, repo):
    url = f"/api/v1/repositories/{repo.pk}/issues/"
    response = api_client.get(url, {"search": "crash"})
    assert [i["number"] for i in response.json()["results"]] == [1, 3, 2]


def test_api_too_long_is_a_400(api_client, repo, settings):
    url = f"/api/v1/repositories/{repo.pk}/issues/"
    response = api_client.get(url, {"search": "x" * (settings.SEARCH_MAX_QUERY_CHARS + 1)})
    assert response.status_code == 400 and "search" in response.json()


def test_web_list_searches_bodies_too(client, repo):
    response = client.get(reverse("hublot:repository-issues", args=[repo.pk]), {"q": "crash"})
    assert [i.number for i in response.context["issues"]] == [1, 3, 2]
    assert [t["count"] for t in response.context["tabs"]] == [3, 0, 3]
