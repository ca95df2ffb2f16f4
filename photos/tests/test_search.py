"""Photo search by caption: members only, own stream or anyone's."""

import uuid

import pytest

from photos import selectors
from photos.models import Photo

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def photo(user, comment: str) -> Photo:
    return Photo.objects.create(
        user=user,
        image="photos/x.jpg",
        comment=comment,
        width=1,
        height=1,
        size=1,
        sha256=uuid.uuid4().hex,
        status=Photo.Status.READY,
    )


def test_selector_is_for_members_only(user, other_user):
    sunset = photo(other_user, "Sunset over the bay")
    photo(other_user, "Breakfast")
    assert list(selectors.photo_search(viewer=user, query="sunsets")) == [sunset]
    assert list(selectors.photo_search(viewer=None, query="sunset")) == []


def test_api_searches_the_callers_own_photos(auth_api_client, user, other_user):
    mine = photo(user, "Sunset at home")
    photo(user, "Breakfast")
    photo(other_user, "Sunset elsewhere")
    response = auth_api_client.get("/api/v1/photos/", {"search": "sunset"})
    assert [p["id"] for p in response.json()["results"]] == [mine.id]


def test_api_searches_another_users_stream(auth_api_client, other_user):
    theirs = photo(other_user, "Sunset elsewhere")
    photo(other_user, "Breakfast")
    url = f"/api/v1/users/{other_user.username}/photos/"
    response = auth_api_client.get(url, {"search": "sunset"})
    assert [p["id"] for p in response.json()["results"]] == [theirs.id]


def test_api_too_long_is_a_400(auth_api_client, settings):
    query = "x" * (settings.SEARCH_MAX_QUERY_CHARS + 1)
    response = auth_api_client.get("/api/v1/photos/", {"search": query})
    assert response.status_code == 400 and "search" in response.json()
