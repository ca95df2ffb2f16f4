import base64
import hashlib
import re

import pytest
from django.test import Client
from oauth2_provider.models import AccessToken, Application

from mastodon_api.tests.conftest import OOB

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _authorize_params(application, **extra):
    return {
        "response_type": "code",
        "client_id": application.client_id,
        "redirect_uri": OOB,
        "scope": "read write",
        # Mastodon.py sends these literally; they must be ignored.
        "force_login": "False",
        "state": "None",
        "lang": "None",
        **extra,
    }


def _consent(client, application, **extra) -> str:
    """Approve on the consent page; the oob page shows the code."""
    page = client.get("/oauth/authorize", _authorize_params(application, **extra))
    assert page.status_code == 200, page.content
    form = dict(re.findall(r'name="(\w+)" value="([^"]*)"', page.content.decode()))
    form["allow"] = "Authorize"
    answer = client.post("/oauth/authorize/", form)
    assert answer.status_code == 200, answer.content
    return re.search(r'data-testid="oauth-code" value="([^"]+)"', answer.content.decode())[1]


class TestAppRegistration:
    def test_form_post_with_newline_separated_redirect_uris(self, client):
        response = client.post(
            "/api/v1/apps",
            {
                "client_name": "Mastodon.py app",
                "redirect_uris": f"{OOB}\nhttps://a.example/cb",
                "scopes": "read write",
                "website": "https://a.example/",
            },
        )
        assert response.status_code == 200
        body = response.json()
        assert body["redirect_uris"] == [OOB, "https://a.example/cb"]
        assert body["scopes"] == ["read", "write"]
        application = Application.objects.get(client_id=body["client_id"])
        assert application.client_secret != body["client_secret"]  # stored hashed

    def test_json_post_and_trailing_slash(self, client):
        response = client.post(
            "/api/v1/apps/",
            {"client_name": "toot", "redirect_uris": OOB, "scopes": "read write follow"},
            content_type="application/json",
        )
        assert response.status_code == 200
        assert response.json()["name"] == "toot"

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"redirect_uris": OOB}, "client_name"),
            ({"client_name": "x"}, "redirect_uris"),
            ({"client_name": "x", "redirect_uris": "javascript:alert(1)"}, "redirect_uris"),
            ({"client_name": "x", "redirect_uris": "https://a.example/#f"}, "redirect_uris"),
            ({"client_name": "x", "redirect_uris": OOB, "scopes": "read admin"}, "scopes"),
            ({"client_name": ["x"], "redirect_uris": OOB}, "client_name"),
        ],
    )
    def test_bad_registration_is_422_naming_the_field(self, client, body, field):
        response = client.post("/api/v1/apps", body, content_type="application/json")
        assert response.status_code == 422
        assert field in response.json()["error"]


class TestCodeFlow:
    def test_consent_then_token_with_the_scopes_asked(self, client, user, registered_app):
        application, secret = registered_app
        client.force_login(user)
        code = _consent(client, application)
        response = Client().post(
            "/oauth/token",
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": OOB,
                "client_id": application.client_id,
                "client_secret": secret,
            },
        )
        assert response.status_code == 200
        body = response.json()
        assert body["scope"] == "read write"
        assert body["token_type"] == "Bearer"
        assert isinstance(body["created_at"], int)
        me = Client().get(
            "/api/v1/apps/verify_credentials", HTTP_AUTHORIZATION=f"Bearer {body['access_token']}"
        )
        assert me.json()["name"] == "Test client"

    def test_consent_page_cannot_be_framed_and_needs_login(self, client, user, registered_app):
        application, _ = registered_app
        anonymous = client.get("/oauth/authorize", _authorize_params(application))
        assert anonymous.status_code == 302
        assert anonymous["Location"].startswith("/accounts/login/")
        client.force_login(user)
        page = client.get("/oauth/authorize/", _authorize_params(application))
        assert page["X-Frame-Options"] == "DENY"
        assert b"Authorise Test client?" in page.content

    def test_consent_post_is_csrf_protected(self, user, registered_app):
        application, _ = registered_app
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        form = {**_authorize_params(application), "allow": "Authorize"}
        assert client.post("/oauth/authorize", form).status_code == 403

    def test_redirect_uri_must_match_exactly(self, client, user, registered_app):
        application, _ = registered_app
        client.force_login(user)
        for uri in ("https://client.example/callback/other", "https://evil.example/callback"):
            page = client.get("/oauth/authorize", _authorize_params(application, redirect_uri=uri))
            assert page.status_code == 400
            assert b"cannot be authorised" in page.content

    def test_scopes_beyond_the_registration_are_refused(self, client, user):
        from mastodon_api import services

        application, _ = services.app_register(name="r", redirect_uris=[OOB], scopes="read")
        client.force_login(user)
        page = client.get("/oauth/authorize", _authorize_params(application, scope="read write"))
        assert b"invalid_scope" in page.content

    def test_pkce_verifier_is_checked(self, client, user, registered_app):
        application, secret = registered_app
        verifier = "v" * 50
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            .decode()
            .rstrip("=")
        )
        client.force_login(user)
        code = _consent(client, application, code_challenge=challenge, code_challenge_method="S256")
        exchange = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": OOB,
            "client_id": application.client_id,
            "client_secret": secret,
        }
        assert (
            Client().post("/oauth/token", {**exchange, "code_verifier": "w" * 50}).status_code
            == 400
        )
        assert (
            Client().post("/oauth/token", {**exchange, "code_verifier": verifier}).status_code
            == 200
        )


class TestOtherGrants:
    def test_client_credentials_gives_an_app_token(self, registered_app):
        application, secret = registered_app
        response = Client().post(
            "/oauth/token/",
            {
                "grant_type": "client_credentials",
                "client_id": application.client_id,
                "client_secret": secret,
                "scope": "read",
            },
        )
        assert response.status_code == 200
        token = response.json()["access_token"]
        app = Client().get("/api/v1/apps/verify_credentials", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert app.status_code == 200
        # An app token has no user: user endpoints refuse it.
        me = Client().get("/api/v1/preferences", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert me.status_code == 403

    def test_password_grant_is_refused(self, user, registered_app):
        application, secret = registered_app
        response = Client().post(
            "/oauth/token",
            {
                "grant_type": "password",
                "username": user.username,
                "password": "whatever",
                "client_id": application.client_id,
                "client_secret": secret,
            },
        )
        assert response.status_code in (400, 401)
        assert "access_token" not in response.json()

    def test_wrong_secret_is_refused(self, registered_app):
        application, _ = registered_app
        response = Client().post(
            "/oauth/token",
            {
                "grant_type": "client_credentials",
                "client_id": application.client_id,
                "client_secret": "no",
            },
        )
        assert response.status_code == 401


class TestRevocation:
    def test_revoked_token_is_refused_at_once(self, user, make_token, registered_app):
        application, secret = registered_app
        token = make_token(user)
        auth = {"HTTP_AUTHORIZATION": f"Bearer {token.token}"}
        assert Client().get("/api/v1/preferences", **auth).status_code == 200
        response = Client().post(
            "/oauth/revoke",
            {"token": token.token, "client_id": application.client_id, "client_secret": secret},
        )
        assert response.json() == {}
        refused = Client().get("/api/v1/preferences", **auth)
        assert refused.status_code == 401
        assert refused.json() == {"error": "The access token is invalid"}

    def test_unknown_token_is_401(self):
        response = Client().get("/api/v1/preferences", HTTP_AUTHORIZATION="Bearer nope")
        assert response.status_code == 401


class TestAuthorisedAppsPage:
    def test_lists_and_revokes(self, client, user, other_user, make_token, registered_app):
        application, _ = registered_app
        token, others = make_token(user), make_token(other_user)
        client.force_login(user)
        page = client.get("/accounts/apps/")
        assert b"Test client" in page.content
        assert b'href="/accounts/apps/"' in page.content  # in the settings navigation
        response = client.post(f"/accounts/apps/{application.pk}/revoke/")
        assert response.status_code == 302
        assert not AccessToken.objects.filter(pk=token.pk).exists()
        assert AccessToken.objects.filter(pk=others.pk).exists()
        assert b"No app has access" in client.get("/accounts/apps/").content

    def test_revoke_needs_post_and_login(self, client, registered_app):
        application, _ = registered_app
        assert client.post(f"/accounts/apps/{application.pk}/revoke/").status_code == 302
        assert client.get("/accounts/apps/").status_code == 302


def test_pkce_is_required_of_public_clients_only(user):
    from mastodon_api.pkce import pkce_required

    public = Application.objects.create(
        name="spa",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=OOB,
        user=user,
    )
    confidential = Application.objects.create(
        name="bot",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=OOB,
        user=user,
    )
    assert pkce_required(public.client_id)
    assert not pkce_required(confidential.client_id)
    assert pkce_required("no-such-client")


class TestSecondFactor:
    def test_consent_needs_the_second_factor_of_the_sites_login(self, client, user, registered_app):
        import pyotp
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

        from accounts.tests.factories import TEST_PASSWORD

        secret = generate_totp_secret()
        TOTP.activate(user, secret)
        application, _ = registered_app
        authorize = client.get("/oauth/authorize", _authorize_params(application))
        login_url = authorize["Location"]
        answer = client.post(login_url, {"login": user.username, "password": TEST_PASSWORD})
        assert answer["Location"].startswith("/accounts/2fa/authenticate/")
        pending = client.get("/oauth/authorize", _authorize_params(application))
        assert pending["Location"].startswith("/accounts/login/")  # not signed in yet
        done = client.post(answer["Location"], {"code": pyotp.TOTP(secret).now()})
        assert done["Location"].startswith("/oauth/authorize")
        assert b"Authorise Test client?" in client.get(done["Location"]).content
