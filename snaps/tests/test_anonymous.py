"""Anonymous snaps (SNAPS_ALLOW_ANONYMOUS): a secret edit token, shown once and kept in
the creator's browser, and a harder throttle."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from project.throttling import ScopedRateThrottle
from snaps.authorship import token_cookie_name
from snaps.models import Snap
from snaps.tests.factories import snap_form_data

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

CREATE = reverse("snaps:create")
API = "/api/v1/snaps/"
DATA = snap_form_data({"name": "anon.py", "content": "x = 1\n"})


@pytest.fixture(autouse=True)
def allowed(settings):
    settings.SNAPS_ALLOW_ANONYMOUS = True


@pytest.fixture
def tight_rate(monkeypatch):
    rates = {**ScopedRateThrottle.THROTTLE_RATES, "snaps-anonymous": "2/hour"}
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)


def create_on_the_web(client) -> Snap:
    client.post(CREATE, DATA)
    return Snap.objects.get()


class TestWeb:
    def test_creates_and_keeps_the_token_in_the_browser_shown_once(self, client):
        response = client.post(CREATE, DATA)
        snap = Snap.objects.get()
        assert snap.user is None and snap.first_file.language == "python"
        assert response.url == snap.get_absolute_url()
        cookie = response.cookies[token_cookie_name(snap.hash_key)]
        assert cookie["path"] == snap.get_absolute_url() and cookie["httponly"]
        assert snap.edit_token_hash and cookie.value not in snap.edit_token_hash
        shown = [str(m) for m in get_messages(response.wsgi_request)]
        assert any(cookie.value in m for m in shown)
        page = client.get(snap.get_absolute_url())
        assertContains(page, "anonymous")
        assertContains(page, reverse("snaps:edit", args=[snap.hash_key]))
        assertNotContains(client.get(snap.get_absolute_url()), cookie.value)  # shown once

    def test_the_token_holder_edits_and_deletes_others_cannot(self, client):
        snap = create_on_the_web(client)
        edit = reverse("snaps:edit", args=[snap.hash_key])
        stranger = Client()
        assert stranger.get(edit).status_code == 302  # to the login page
        stranger.cookies[token_cookie_name(snap.hash_key)] = "wrong"
        assert stranger.get(edit).status_code == 404
        assertNotContains(Client().get(snap.get_absolute_url()), edit)
        client.post(
            edit, snap_form_data({"name": "anon.py", "language": "python", "content": "x = 2\n"})
        )
        snap.refresh_from_db()
        assert snap.first_file.content == "x = 2\n" and snap.revision == 2
        client.post(reverse("snaps:delete", args=[snap.hash_key]))
        assert not Snap.objects.exists()

    def test_the_creators_view_of_a_one_time_snap_does_not_count(self, client):
        client.post(CREATE, DATA | {"expires_in": "onetime"})
        snap = Snap.objects.get()
        assert client.get(snap.get_absolute_url()).status_code == 200
        assert Snap.objects.exists()
        assert Client().get(snap.get_absolute_url()).status_code == 200
        assert not Snap.objects.exists()

    def test_cannot_be_private(self, client):
        response = client.post(CREATE, DATA | {"visibility": "private"})
        assert response.status_code == 200 and not Snap.objects.exists()
        assert response.context["form"].errors["visibility"]

    def test_cannot_be_made_private_later(self, client):
        snap = create_on_the_web(client)
        response = client.post(
            reverse("snaps:edit", args=[snap.hash_key]),
            snap_form_data(
                {"name": "anon.py", "language": "python", "content": "x\n"}, visibility="private"
            ),
        )
        assert response.context["form"].errors["visibility"]
        snap.refresh_from_db()
        assert snap.visibility == "public" and snap.revision == 1

    def test_throttled_harder(self, client, tight_rate, user):
        for _ in range(2):
            client.post(CREATE, DATA)
        assert client.post(CREATE, DATA).status_code == 429
        assert Snap.objects.count() == 2
        client.force_login(user)  # accounts are not held to it
        assert client.post(CREATE, DATA).status_code == 302

    def test_off_means_sign_in(self, client, settings):
        settings.SNAPS_ALLOW_ANONYMOUS = False
        assert client.post(CREATE, DATA).status_code == 302
        assert not Snap.objects.exists()


class TestApi:
    def test_create_answers_the_token_once_then_it_edits_and_deletes(self, api_client):
        created = api_client.post(API, {"name": "a.rs", "content": "fn main() {}"}, format="json")
        assert created.status_code == 201, created.json()
        body = created.json()
        token, url = body["edit_token"], f"{API}{body['hash_key']}/"
        assert body["user"] is None and token
        assert api_client.get(url).json()["edit_token"] is None
        assert api_client.patch(url, {"content": "x"}, format="json").status_code == 401
        wrong = api_client.patch(url, {"content": "x"}, format="json", HTTP_X_SNAP_TOKEN="nope")
        assert wrong.status_code == 401  # DRF: no account, no valid token
        ok = api_client.patch(url, {"content": "y"}, format="json", HTTP_X_SNAP_TOKEN=token)
        assert ok.status_code == 200 and ok.json()["content"] == "y"
        assert api_client.delete(url, HTTP_X_SNAP_TOKEN=token).status_code == 204
        assert not Snap.objects.exists()

    def test_throttled_harder(self, api_client, tight_rate):
        statuses = [
            api_client.post(API, {"name": "a", "content": "x"}, format="json").status_code
            for _ in range(3)
        ]
        assert statuses == [201, 201, 429]

    def test_off_means_401(self, api_client, settings):
        settings.SNAPS_ALLOW_ANONYMOUS = False
        response = api_client.post(API, {"name": "a", "content": "x"}, format="json")
        assert response.status_code == 401
