import pytest
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from social import services as social_services

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def found(user):
    author = UserFactory(username="breadmaker")
    post = social_services.post_create(user=author, content="Sourdough #bread is rising")
    social_services.post_create(user=author, content="Nothing to see")
    return author, post


def test_accounts_statuses_and_hashtags(mastodon_client, found):
    author, post = found
    body = mastodon_client.get("/api/v2/search", {"q": "bread"}).json()
    assert [a["id"] for a in body["accounts"]] == [str(author.pk)]
    assert [h["name"] for h in body["hashtags"]] == ["bread"]
    sourdough = mastodon_client.get("/api/v2/search", {"q": "sourdough", "type": "statuses"}).json()
    assert [s["id"] for s in sourdough["statuses"]] == [str(post.pk)]
    assert sourdough["accounts"] == [] and sourdough["hashtags"] == []


def test_blocked_authors_statuses_are_left_out(mastodon_client, user, found):
    author, _ = found
    social_services.block_create(blocker=author, blocked=user)
    body = mastodon_client.get("/api/v2/search", {"q": "sourdough", "type": "statuses"}).json()
    assert body["statuses"] == []


@pytest.mark.parametrize(
    "params",
    [{}, {"q": " "}, {"q": "x", "type": "people"}, {"q": "x" * 1000}, {"q": "x", "limit": "0"}],
)
def test_bad_queries_are_422(mastodon_client, params):
    assert mastodon_client.get("/api/v2/search", params).status_code == 422


def test_needs_read_search(user, make_token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(user, 'read:statuses').token}")
    assert client.get("/api/v2/search", {"q": "x"}).status_code == 403


@pytest.mark.parametrize("limit", [2, 40])
def test_query_count_is_pinned(mastodon_client, django_assert_num_queries, limit):
    for n in range(5):
        social_services.post_create(
            user=UserFactory(username=f"baker{n}"), content=f"bake #bake{n}"
        )
    with django_assert_num_queries(9):
        mastodon_client.get("/api/v2/search", {"q": "bake", "limit": limit})
