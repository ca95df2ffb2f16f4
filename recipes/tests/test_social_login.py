"""Social login through allauth against the local fake X and Facebook (OAuth 2 code flow)."""

from urllib.parse import parse_qs, urlparse

import pytest
from allauth.socialaccount.models import SocialAccount, SocialToken
from django.contrib.messages import get_messages
from pytest_django.asserts import assertContains

from accounts.models import User

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def authorize(client, provider: str, process: str = "login") -> str:
    """Start the flow as the login button does; return the `state` sent to the provider."""
    response = client.post(f"/accounts/{provider}/login/", {"process": process})
    assert response.status_code == 302, response.content
    return parse_qs(urlparse(response["Location"]).query)["state"][0]


def callback(client, provider: str, **params):
    return client.get(f"/accounts/{provider}/login/callback/", params)


def test_login_page_offers_both_networks(client, apps_configured):
    response = client.get("/accounts/login/")
    assertContains(response, "/accounts/twitter_oauth2/login/")
    assertContains(response, "/accounts/facebook/login/")


def test_authorize_redirect_goes_to_the_configured_x(client, apps_configured, fake_x):
    response = client.post("/accounts/twitter_oauth2/login/", {"process": "login"})
    assert response["Location"].startswith(f"{fake_x.url}/i/oauth2/authorize?")
    assert "code_challenge" in response["Location"]  # PKCE


def test_x_login_asks_for_an_email_then_creates_the_user(client, apps_configured, fake_x):
    fake_x.identity("code-1", uid="555", username="chefbot")
    state = authorize(client, "twitter_oauth2")
    response = callback(client, "twitter_oauth2", code="code-1", state=state)
    assert response.status_code == 302 and "/accounts/3rdparty/signup/" in response["Location"]
    response = client.post(
        "/accounts/3rdparty/signup/", {"email": "chef@example.com", "username": "chefbot"}
    )
    assert response.status_code == 302
    account = SocialAccount.objects.get(provider="twitter_oauth2", uid="555")
    assert account.user.email == "chef@example.com"
    assert SocialToken.objects.get(account=account).token.startswith("x-token-555")
    assert client.session["_auth_user_id"] == str(account.user.pk)
    (token_call,) = fake_x.requests_to("POST", "/2/oauth2/token")
    assert token_call.form["code"] == "code-1" and token_call.form.get("code_verifier")


def test_logging_in_again_finds_the_same_user_and_updates_the_token(
    client, apps_configured, fake_x
):
    user = User.objects.create_user(
        username="chef", email="chef@example.com", password="x-pass-12345"
    )
    account = SocialAccount.objects.create(user=user, provider="twitter_oauth2", uid="555")
    SocialToken.objects.create(account=account, token="old-token")
    fake_x.identity("code-2", uid="555", username="chef")
    response = callback(
        client, "twitter_oauth2", code="code-2", state=authorize(client, "twitter_oauth2")
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert User.objects.count() == 1
    assert SocialToken.objects.get(account=account).token != "old-token"


def test_facebook_login_with_email_signs_up_directly(client, apps_configured, fake_facebook):
    fake_facebook.profile("fb-code", uid="fb-77", name="Julia Child", email="julia@example.com")
    response = callback(client, "facebook", code="fb-code", state=authorize(client, "facebook"))
    assert response.status_code == 302
    account = SocialAccount.objects.get(provider="facebook", uid="fb-77")
    assert account.user.email == "julia@example.com"
    assert client.session["_auth_user_id"] == str(account.user.pk)


def test_connecting_facebook_to_an_x_user_keeps_one_account(
    client, apps_configured, fake_facebook, user
):
    SocialAccount.objects.create(user=user, provider="twitter_oauth2", uid="555")
    client.force_login(user)
    fake_facebook.profile("fb-code", uid="fb-77", name="Julia Child", email="julia@example.com")
    callback(
        client, "facebook", code="fb-code", state=authorize(client, "facebook", process="connect")
    )
    assert set(user.socialaccount_set.values_list("provider", flat=True)) == {
        "twitter_oauth2",
        "facebook",
    }
    assert User.objects.count() == 1


def test_a_second_x_account_is_refused(client, apps_configured, fake_x, user):
    SocialAccount.objects.create(user=user, provider="twitter_oauth2", uid="555")
    client.force_login(user)
    fake_x.identity("code-3", uid="999", username="otherchef")
    response = callback(
        client,
        "twitter_oauth2",
        code="code-3",
        state=authorize(client, "twitter_oauth2", process="connect"),
    )
    assert response.status_code == 302
    assert not SocialAccount.objects.filter(uid="999").exists()
    assert any("already connected" in str(m) for m in get_messages(response.wsgi_request))


def test_cancelled_sign_in_returns_to_login_with_a_message(client, apps_configured, fake_x):
    state = authorize(client, "twitter_oauth2")
    response = callback(client, "twitter_oauth2", error="access_denied", state=state)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("was cancelled or failed" in m for m in messages)
    assert not User.objects.exists()


def test_x_sign_up_refuses_a_look_alike_of_a_taken_username(client, apps_configured, fake_x):
    User.objects.create(username="chefbot", email="first@example.com")
    fake_x.identity("code-1", uid="556", username="\uff43\uff48\uff45\uff46bot")  # full-width
    state = authorize(client, "twitter_oauth2")
    callback(client, "twitter_oauth2", code="code-1", state=state)
    for name in ("\uff43\uff48\uff45\uff46bot", "CHEFBOT", "\u0441hefbot"):  # last: Cyrillic c
        response = client.post(
            "/accounts/3rdparty/signup/", {"email": "second@example.com", "username": name}
        )
        assert response.status_code == 200, name
        assert response.context["form"].errors["username"], name
    assert not SocialAccount.objects.filter(uid="556").exists()
    assert User.objects.count() == 1
