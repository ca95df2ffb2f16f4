"""One-time snaps ("burn after reading"): the author's views do not count, the first
other view shows the snap and deletes it, and no race shows it twice."""

import pytest
from django.db import transaction
from django.http import Http404
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from project.tests.concurrency import in_threads, wait_for_lock_waiters
from snaps import services
from snaps.models import Snap
from snaps.tests.factories import SnapFactory, snap_form_data

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def onetime(user):
    return SnapFactory(
        user=user, burn_after_reading=True, language="text", content="the secret = 42\n"
    )


class TestOpen:
    def test_the_authors_views_do_not_count(self, onetime, user):
        for _ in range(3):
            assert services.snap_open(snap=onetime, viewer=user) == onetime
        assert Snap.objects.filter(pk=onetime.pk).exists()

    def test_the_first_other_view_gets_it_and_deletes_it(self, onetime, other_user):
        opened = services.snap_open(snap=onetime, viewer=other_user)
        assert opened.first_file.content == "the secret = 42\n"
        assert not Snap.objects.filter(pk=onetime.pk).exists()
        with pytest.raises(Http404):
            services.snap_open(snap=onetime, viewer=other_user)

    def test_ordinary_snaps_are_not_deleted(self, other_user):
        snap = SnapFactory()
        services.snap_open(snap=snap, viewer=other_user)
        assert Snap.objects.filter(pk=snap.pk).exists()


class TestPages:
    def test_create_form_offers_one_time(self, client, user):
        client.force_login(user)
        response = client.post(
            reverse("snaps:create"),
            snap_form_data(
                {"name": "s", "language": "text", "content": "x"},
                visibility="unlisted",
                expires_in="onetime",
            ),
        )
        snap = Snap.objects.get()
        assert snap.burn_after_reading and snap.expires_at is None
        page = client.get(response.url)
        assert b"Your own views do not count" in page.content
        assert Snap.objects.filter(pk=snap.pk).exists()

    def test_shown_once_to_a_visitor_never_cached(self, client, onetime):
        first = client.get(onetime.get_absolute_url())
        assert first.status_code == 200
        assert b"the secret = 42" in first.content
        assert b"only time it is shown" in first.content
        assert "no-store" in first["Cache-Control"]
        # The same anonymous URL again: neither the page cache nor the database has it.
        assert client.get(onetime.get_absolute_url()).status_code == 404
        assert client.get(onetime.get_raw_url()).status_code == 404

    def test_raw_view_burns_it_too(self, client, onetime):
        response = client.get(onetime.get_raw_url())
        assert response.content == b"the secret = 42\n"
        assert "no-store" in response["Cache-Control"]
        assert client.get(onetime.get_absolute_url()).status_code == 404

    def test_never_listed_to_others(self, client, onetime, user):
        SnapFactory(user=user, name="ordinary")
        for url in (reverse("snaps:list"), reverse("snaps:user", args=[user.username])):
            assert b"the secret" not in client.get(url).content
        client.force_login(user)
        assert b"one-time" in client.get(reverse("snaps:user", args=[user.username])).content
        assert Snap.objects.filter(pk=onetime.pk).exists()


class TestApi:
    URL = "/api/v1/snaps/"

    def test_expires_in_sets_one_time_or_a_lifetime(self, auth_api_client):
        data = {"name": "a", "language": "text", "content": "x"}
        once = auth_api_client.post(self.URL, data | {"expires_in": "onetime"}, format="json")
        assert once.status_code == 201, once.json()
        assert once.json()["burn_after_reading"] is True
        hour = auth_api_client.post(self.URL, data | {"expires_in": "1h"}, format="json")
        assert hour.json()["burn_after_reading"] is False and hour.json()["expires_at"]

    def test_expires_in_and_expires_at_together_are_a_400(self, auth_api_client):
        response = auth_api_client.post(
            self.URL,
            {"name": "a", "content": "x", "expires_in": "1h",
             "expires_at": "2999-01-01T00:00:00Z"},
            format="json",
        )  # fmt: skip
        assert response.status_code == 400
        assert "expires_in" in response.json()

    def test_retrieve_by_someone_else_burns_it(self, onetime, other_user, api_client):
        url = f"{self.URL}{onetime.hash_key}/"
        api_client.force_authenticate(other_user)
        assert api_client.get(url).json()["content"] == "the secret = 42\n"
        assert api_client.get(url).status_code == 404

    def test_not_in_the_api_list_of_others(self, onetime, api_client):
        assert api_client.get(self.URL).json()["count"] == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["page", "raw", "api"])
def test_two_concurrent_first_views_show_it_once(path):
    snap = SnapFactory(
        user=UserFactory(), burn_after_reading=True, language="text", content="once only\n"
    )
    url = {
        "page": snap.get_absolute_url(),
        "raw": snap.get_raw_url(),
        "api": f"/api/v1/snaps/{snap.hash_key}/",
    }[path]

    def view():
        response = (APIClient() if path == "api" else Client()).get(url)
        return response.status_code, b"once only" in response.content

    # Both requests read the row before either deletes it, then queue on its lock.
    with transaction.atomic():
        Snap.objects.select_for_update().get(pk=snap.pk)
        futures = in_threads(view, view)
        wait_for_lock_waiters(2)
    results = sorted(future.result(timeout=30) for future in futures)

    assert results == [(200, True), (404, False)]
    assert not Snap.objects.filter(pk=snap.pk).exists()
