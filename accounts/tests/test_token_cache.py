"""The cached token lookup: no database round trip once cached, and revocation or
deactivation refused at once in this process, within API_TOKEN_LOCAL_SECONDS elsewhere."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts import authentication
from accounts.authentication import token_cache_key
from accounts.services import api_token_create
from accounts.tests.factories import UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

ME = "/api/v1/users/me/"


@pytest.fixture
def token(user):
    return api_token_create(user=user, name="test")


@pytest.fixture
def client(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_second_request_needs_no_query(client, user, django_assert_num_queries):
    assert client.get(ME).json()["username"] == user.username
    with django_assert_num_queries(0):
        assert client.get(ME).json()["username"] == user.username


def test_shared_cache_serves_a_fresh_worker(client, token, django_assert_num_queries):
    client.get(ME)
    authentication.forget_all_locally()  # as in another worker process
    with django_assert_num_queries(0):
        assert client.get(ME).status_code == 200
    assert cache.get(token_cache_key(token.key)) is not None


def test_cache_key_does_not_contain_the_token(token, client):
    client.get(ME)
    assert token.key not in token_cache_key(token.key)


def test_deleted_token_is_refused_on_the_next_request(client, token):
    assert client.get(ME).status_code == 200
    token.delete()
    assert client.get(ME).status_code == 401


def test_deactivated_user_is_refused_on_the_next_request(client, user):
    assert client.get(ME).status_code == 200
    user.is_active = False
    user.save()
    assert client.get(ME).status_code == 401


def test_renamed_user_is_seen_on_the_next_request(client, user):
    client.get(ME)
    user.username = "renamed"
    user.save(update_fields=["username"])
    assert client.get(ME).json()["username"] == "renamed"


def test_unknown_token_is_401_and_not_cached(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert client.get(ME).status_code == 401
    assert cache.get(token_cache_key("0" * 40)) is None


def test_revocation_elsewhere_holds_at_most_the_local_window(client, token, monkeypatch):
    """Another process deleted the token: this worker trusts its memory only so long."""
    now = [1000.0]
    monkeypatch.setattr(authentication.time, "monotonic", lambda: now[0])
    assert client.get(ME).status_code == 200
    key = token.key_hash
    remembered = authentication._local[key]
    token.delete()  # its receivers clear Redis and this process's memory...
    authentication._local[key] = remembered  # ...but not another worker's
    now[0] += 1.0
    assert client.get(ME).status_code == 200  # still inside the 2 s window
    now[0] += 1.5
    assert client.get(ME).status_code == 401


def test_local_memory_can_be_turned_off(client, token, settings):
    settings.API_TOKEN_LOCAL_SECONDS = 0
    client.get(ME)
    assert token.key_hash not in authentication._local


def test_last_login_saves_keep_the_cache(client, token, user):
    client.get(ME)
    user.save(update_fields=["last_login"])
    assert cache.get(token_cache_key(token.key)) is not None


def test_tokens_of_other_users_are_untouched(client, token):
    client.get(ME)
    UserFactory().save()
    assert cache.get(token_cache_key(token.key)) is not None


def test_a_reader_refilling_before_commit_is_dropped_at_commit(
    client, token, user, django_capture_on_commit_callbacks
):
    key = token.key
    with django_capture_on_commit_callbacks() as callbacks:
        token.delete()
        cache.set(token_cache_key(key), (user, token.pk))  # a request racing the transaction
    for callback in callbacks:
        callback()
    assert cache.get(token_cache_key(key)) is None
