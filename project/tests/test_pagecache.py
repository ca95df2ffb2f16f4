from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from recipes import services as recipe_services
from recipes.tests.factories import RecipeFactory
from snaps import services as snap_services
from snaps.tests.factories import SnapFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_cookieless_visitors_share_one_rendered_copy(client, django_assert_num_queries):
    snap = SnapFactory(content="print('cached')")
    first = client.get(snap.get_absolute_url())
    with django_assert_num_queries(0):
        second = client.get(snap.get_absolute_url())
    assert second.status_code == 200 and second.content == first.content


def test_signed_in_and_cookie_carrying_visitors_are_not_served_from_cache(client, user):
    snap = SnapFactory()
    client.get(snap.get_absolute_url())  # fills the cache
    client.force_login(user)
    assertContains(
        client.get(snap.get_absolute_url()), user.username
    )  # their own menu, not the cached page
    with_cookie = Client()
    with_cookie.cookies["sessionid"] = "whatever"
    assert b"Log in" in with_cookie.get(snap.get_absolute_url()).content


def test_deleting_a_snap_drops_every_cached_copy(client, django_capture_on_commit_callbacks):
    snap = SnapFactory()
    assert client.get(snap.get_absolute_url()).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        snap_services.snap_delete(snap=snap, by=snap.user)
    assert client.get(snap.get_absolute_url()).status_code == 404


def test_an_expiring_snap_is_cached_no_longer_than_it_lives(client, monkeypatch):
    from django.core.cache import cache

    pages = []
    original = cache.set

    def spy(key, value, timeout=None):
        if key.startswith("pagecache:snaps:") and not key.endswith(":version"):
            pages.append(timeout)
        return original(key, value, timeout)

    monkeypatch.setattr(cache, "set", spy)
    snap = SnapFactory(expires_at=timezone.now() + timedelta(seconds=20))
    client.get(snap.get_absolute_url())
    assert len(pages) == 1 and 0 < pages[0] <= 20


def test_new_recipe_shows_up_at_once_in_the_cached_list(
    client, user, django_capture_on_commit_callbacks
):
    RecipeFactory(title="Old soup")
    assertContains(client.get(reverse("recipes:list")), "Old soup")
    with django_capture_on_commit_callbacks(execute=True):
        recipe_services.recipe_create(
            user=user, title="Fresh bread", ingredients="flour", instructions="Bake."
        )
    assertContains(client.get(reverse("recipes:list")), "Fresh bread")


def test_cache_keys_stay_short_whatever_the_query_string(client, monkeypatch):
    from django.core.cache import cache

    keys = []
    original = cache.set

    def spy(key, value, timeout=None):
        keys.append(key)
        return original(key, value, timeout)

    monkeypatch.setattr(cache, "set", spy)
    client.get(reverse("recipes:list"), {"q": "x" * 5000})
    pages = [key for key in keys if key.startswith("pagecache:recipes:")]
    assert pages and all(len(key) < 120 for key in pages)
