"""Post search: the API's `?search=`, ranked, bounded."""

import pytest

from social.tests.factories import PostFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

API_URL = "/api/v1/posts/"


def ids(response) -> list[int]:
    return [post["id"] for post in response.json()["results"]]


def test_search_is_ranked_and_combines_with_the_author_filter(api_client, user):
    once = PostFactory(user=user, content="Baking bread today")
    twice = PostFactory(user=user, content="Bread, more bread!")
    PostFactory(content="bread elsewhere")
    PostFactory(user=user, content="Nothing to see")
    response = api_client.get(API_URL, {"search": "bread", "user__username": user.username})
    assert ids(response) == [twice.id, once.id]


def test_too_long_is_a_400(api_client, settings):
    response = api_client.get(API_URL, {"search": "x" * (settings.SEARCH_MAX_QUERY_CHARS + 1)})
    assert response.status_code == 400
    assert "search" in response.json()


def test_punctuation_only_is_empty(api_client):
    PostFactory(content="?!")
    response = api_client.get(API_URL, {"search": "?!"})
    assert response.status_code == 200 and ids(response) == []


def test_query_count(api_client, django_assert_num_queries):
    PostFactory.create_batch(3, content="needle")
    with django_assert_num_queries(3):  # count, page, the page's photos
        api_client.get(API_URL, {"search": "needle"})
