import base64
from datetime import timedelta

import pytest
from allauth.socialaccount.models import SocialToken
from django.utils import timezone

from recipes import services
from recipes.models import CrossPost

pytestmark = [pytest.mark.integration, pytest.mark.django_db]
D = {"title": "Paella", "ingredients": "rice", "instructions": "Cook."}


@pytest.fixture
def stale_chef(user, fake_x, connect, apps_configured):
    """X connected two hours ago: the access token has lapsed, the refresh token works."""
    token = fake_x.token_for("1001", "x-token-old")
    account = connect(user, "twitter", "1001", token)
    fake_x.refresh_tokens["refresh-old"] = fake_x.tokens[token]
    SocialToken.objects.filter(account=account).update(
        token_secret="refresh-old", expires_at=timezone.now() - timedelta(minutes=5)
    )
    fake_x.expire(token)
    return user


def post(user, capture) -> CrossPost:
    with capture(execute=True):
        recipe = services.recipe_create(user=user, share_on=["twitter"], **D)
    return recipe.crossposts.get()


def test_an_expired_token_is_refreshed_before_posting(
    stale_chef, fake_x, django_capture_on_commit_callbacks
):
    crosspost = post(stale_chef, django_capture_on_commit_callbacks)
    assert crosspost.status == CrossPost.Status.SENT, crosspost.last_error
    (refresh,) = fake_x.requests_to("POST", "/2/oauth2/token")
    assert refresh.form["refresh_token"] == "refresh-old"
    assert (
        refresh.headers["Authorization"]
        == "Basic " + base64.b64encode(b"x-client:x-secret").decode()
    )
    stored = SocialToken.objects.get()
    assert stored.token != "x-token-old" and stored.token_secret == f"refresh-{stored.token}"
    assert stored.expires_at > timezone.now() + timedelta(hours=1)
    assert fake_x.requests_to("POST", "/2/tweets")[0].bearer == stored.token


def test_a_token_x_refuses_early_is_refreshed_once(
    stale_chef, fake_x, django_capture_on_commit_callbacks
):
    SocialToken.objects.update(
        expires_at=timezone.now() + timedelta(hours=1)
    )  # we think it is fine
    crosspost = post(stale_chef, django_capture_on_commit_callbacks)
    assert crosspost.status == CrossPost.Status.SENT, crosspost.last_error
    assert len(fake_x.requests_to("POST", "/2/tweets")) == 2  # 401, then the post


def test_a_refused_refresh_asks_the_user_to_reconnect(
    stale_chef, fake_x, django_capture_on_commit_callbacks
):
    fake_x.refresh_tokens.clear()  # revoked on X
    crosspost = post(stale_chef, django_capture_on_commit_callbacks)
    assert crosspost.status == CrossPost.Status.FAILED
    assert "Reconnect your account." in crosspost.last_error
    assert fake_x.requests_to("POST", "/2/tweets") == []


def test_without_a_refresh_token_only_reconnecting_helps(
    stale_chef, fake_x, django_capture_on_commit_callbacks
):
    SocialToken.objects.update(token_secret="")
    crosspost = post(stale_chef, django_capture_on_commit_callbacks)
    assert crosspost.status == CrossPost.Status.FAILED
    assert "Reconnect" in crosspost.last_error


def test_friends_refresh_the_token_too(stale_chef, client, fake_x):
    fake_x.following["1001"] = []
    client.force_login(stale_chef)
    section = client.get("/recipes/friends/").context["sections"][0]
    assert section["error"] == ""
    assert len(fake_x.requests_to("POST", "/2/oauth2/token")) == 1
