"""Named API tokens: several per user, hashed at rest, last use recorded cheaply,
listed, created and revoked on the web and through the API."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains
from rest_framework.test import APIClient

from accounts import authentication
from accounts.models import ApiToken, hash_token_key
from accounts.services import api_token_create
from accounts.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

ME = "/api/v1/users/me/"
TOKENS = "/api/v1/tokens/"


def with_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


class TestStorage:
    def test_only_a_hash_of_the_key_is_stored(self, user):
        token = api_token_create(user=user, name="laptop")
        row = ApiToken.objects.values().get(pk=token.pk)
        assert token.key not in str(row)
        assert row["key_hash"] == hash_token_key(token.key)
        assert row["prefix"] == token.key[:8]

    def test_several_named_tokens_each_authenticate(self, user):
        first, second = (api_token_create(user=user, name=n) for n in ("a", "b"))
        assert with_token(first.key).get(ME).status_code == 200
        assert with_token(second.key).get(ME).status_code == 200

    def test_a_name_is_required(self, user):
        with pytest.raises(Exception, match="name"):
            api_token_create(user=user, name="  ")

    def test_at_the_limit_creating_is_refused(self, user, settings):
        settings.API_TOKENS_MAX_PER_USER = 2
        api_token_create(user=user, name="a")
        api_token_create(user=user, name="b")
        response = APIClient()
        response.force_authenticate(user)
        answer = response.post(TOKENS, {"name": "c"})
        assert answer.status_code == 400 and "revoke one" in str(answer.json())
        assert user.api_tokens.count() == 2

    def test_password_exchange_at_the_limit_drops_the_least_recently_used(
        self, api_client, user, settings
    ):
        settings.API_TOKENS_MAX_PER_USER = 2
        unused = api_token_create(user=user, name="never used")
        used = api_token_create(user=user, name="used")
        assert with_token(used.key).get(ME).status_code == 200
        response = api_client.post(
            "/api/v1/auth/token/", {"username": user.username, "password": TEST_PASSWORD}
        )
        assert response.status_code == 200
        names = set(user.api_tokens.values_list("name", flat=True))
        assert names == {"used", "API (password sign-in)"}
        assert with_token(unused.key).get(ME).status_code == 401


class TestLastUsed:
    def test_recorded_at_most_once_a_minute(self, user, monkeypatch, django_assert_num_queries):
        now = [5000.0]
        monkeypatch.setattr(authentication.time, "monotonic", lambda: now[0])
        token = api_token_create(user=user, name="t")
        client = with_token(token.key)
        client.get(ME)
        first = ApiToken.objects.get(pk=token.pk).last_used_at
        assert first is not None
        now[0] += 30
        with django_assert_num_queries(0):  # cached user, use already recorded
            client.get(ME)
        now[0] += 31
        authentication.forget_all_locally()  # another worker, after the minute...
        from django.core.cache import cache

        cache.delete(f"authtoken:used:{token.pk}")  # ...whose claim has expired
        client.get(ME)
        assert ApiToken.objects.get(pk=token.pk).last_used_at > first


class TestApi:
    def test_list_create_revoke(self, user, django_assert_num_queries):
        client = APIClient()
        client.force_authenticate(user)
        created = client.post(TOKENS, {"name": "ci"})
        assert created.status_code == 201
        body = created.json()
        assert body["name"] == "ci" and body["key"].startswith(body["prefix"])
        assert with_token(body["key"]).get(ME).status_code == 200
        for name in ("a", "b", "c"):
            api_token_create(user=user, name=name)
        with django_assert_num_queries(2):  # the page and its bounded count
            listed = client.get(TOKENS).json()
        assert [t["name"] for t in listed["results"]] == ["c", "b", "a", "ci"]
        assert all("key" not in t for t in listed["results"])
        assert client.delete(f"{TOKENS}{body['id']}/").status_code == 204
        assert with_token(body["key"]).get(ME).status_code == 401

    def test_another_users_token_is_404_and_survives(self, user):
        theirs = api_token_create(user=UserFactory(), name="theirs")
        client = APIClient()
        client.force_authenticate(user)
        assert client.delete(f"{TOKENS}{theirs.pk}/").status_code == 404
        assert with_token(theirs.key).get(ME).status_code == 200
        assert client.get(TOKENS).json()["results"] == []

    @pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": "x" * 101}, {"name": "a", "x": 1}])
    def test_create_refuses_bad_input(self, auth_api_client, body):
        assert auth_api_client.post(TOKENS, body).status_code == 400

    def test_anonymous_gets_401(self, api_client):
        assert api_client.get(TOKENS).status_code == 401
        assert api_client.post(TOKENS, {"name": "x"}).status_code == 401
        assert api_client.delete("/api/v1/auth/token/").status_code == 401

    def test_delete_auth_token_revokes_the_callers_token_only(self, user):
        mine, other = (api_token_create(user=user, name=n) for n in ("mine", "other"))
        client = with_token(mine.key)
        assert client.delete("/api/v1/auth/token/").status_code == 204
        assert client.get(ME).status_code == 401
        assert with_token(other.key).get(ME).status_code == 200

    def test_delete_auth_token_without_a_token_is_400(self, auth_api_client):
        response = auth_api_client.delete("/api/v1/auth/token/")
        assert response.status_code == 400 and "token" in response.json()["detail"]

    def test_password_exchange_gives_a_new_token_each_time(self, api_client, user):
        credentials = {"username": user.username, "password": TEST_PASSWORD}
        first = api_client.post("/api/v1/auth/token/", credentials).json()["token"]
        second = api_client.post("/api/v1/auth/token/", credentials).json()["token"]
        assert first != second and user.api_tokens.count() == 2


class TestWebPage:
    def test_create_shows_the_key_once_and_lists_tokens(self, client, user):
        client.force_login(user)
        response = client.post(reverse("account-tokens"), {"name": "deploy script"})
        assert response.status_code == 200
        key = response.context["created"].key
        assertContains(response, key)
        assert response["Cache-Control"] == "no-store"
        assert with_token(key).get(ME).status_code == 200
        again = client.get(reverse("account-tokens"))
        assertContains(again, "deploy script")
        assertNotContains(again, key)

    def test_revoke(self, client, user):
        token = api_token_create(user=user, name="old")
        client.force_login(user)
        response = client.post(reverse("account-token-revoke", args=[token.pk]))
        assert response.status_code == 302
        assert with_token(token.key).get(ME).status_code == 401

    def test_cannot_revoke_anothers_token(self, client, user):
        theirs = api_token_create(user=UserFactory(), name="theirs")
        client.force_login(user)
        assert client.post(reverse("account-token-revoke", args=[theirs.pk])).status_code == 404
        assert ApiToken.objects.filter(pk=theirs.pk).exists()

    def test_empty_name_is_a_form_error(self, client, user):
        client.force_login(user)
        response = client.post(reverse("account-tokens"), {"name": ""})
        assert response.context["form"].errors["name"]
        assert not user.api_tokens.exists()
