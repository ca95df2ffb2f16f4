"""Two-factor authentication (allauth.mfa, TOTP, security keys + recovery codes): the
web login asks for a second factor, and the password alone no longer gets into the API.
The browser side of security keys is in e2e/test_security_keys.py."""

import base64
import json
import re

import pyotp
import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.webauthn.internal.auth import WebAuthn
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.tests.factories import TEST_PASSWORD
from accounts.tests.webauthn import registration_credential

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture
def secret(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def exchange(api_client, user, **extra):
    return api_client.post(
        TOKEN_URL, {"username": user.username, "password": TEST_PASSWORD, **extra}
    )


class TestTokenExchange:
    def test_without_2fa_the_password_is_enough(self, api_client, user):
        assert exchange(api_client, user).status_code == 200

    def test_with_2fa_the_password_alone_is_refused_with_a_clear_400(
        self, api_client, user, secret
    ):
        response = exchange(api_client, user)
        assert response.status_code == 400
        assert "two-factor" in response.json()["otp_code"][0]
        assert not user.api_tokens.exists()

    def test_with_2fa_a_current_code_gets_a_token_once(self, api_client, user, secret):
        code = pyotp.TOTP(secret).now()
        response = exchange(api_client, user, otp_code=code)
        assert response.status_code == 200, response.json()
        assert user.api_tokens.count() == 1
        replay = exchange(api_client, user, otp_code=code)  # a used code is spent
        assert replay.status_code == 400 and "otp_code" in replay.json()

    def test_wrong_code_is_refused(self, api_client, user, secret):
        response = exchange(api_client, user, otp_code="000000")
        assert response.status_code == 400 and "otp_code" in response.json()
        assert not user.api_tokens.exists()

    def test_a_recovery_code_works_once(self, api_client, user, secret):
        code = RecoveryCodes.activate(user).get_unused_codes()[0]
        assert exchange(api_client, user, otp_code=code).status_code == 200
        assert exchange(api_client, user, otp_code=code).status_code == 400

    def test_wrong_password_says_nothing_about_2fa(self, api_client, user, secret):
        response = api_client.post(TOKEN_URL, {"username": user.username, "password": "bad"})
        assert response.status_code == 400 and "otp_code" not in response.json()


class TestBasicAuth:
    def basic(self, user) -> APIClient:
        client = APIClient()
        raw = base64.b64encode(f"{user.username}:{TEST_PASSWORD}".encode()).decode()
        client.credentials(HTTP_AUTHORIZATION=f"Basic {raw}")
        return client

    def test_basic_auth_is_refused_for_2fa_accounts(self, user, secret):
        response = self.basic(user).get("/api/v1/users/me/")
        assert response.status_code == 401
        assert "two-factor" in response.json()["detail"]

    def test_basic_auth_still_works_without_2fa(self, user):
        assert self.basic(user).get("/api/v1/users/me/").status_code == 200


class TestWebLogin:
    def test_login_asks_for_the_code(self, client, user, secret):
        response = client.post(
            reverse("account_login"), {"login": user.username, "password": TEST_PASSWORD}
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_authenticate")
        assert client.get(reverse("account-profile")).status_code == 302  # not yet in
        response = client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(secret).now()})
        assert response.status_code == 302
        assert client.get(reverse("account-profile")).status_code == 200

    def test_two_factor_page_is_in_the_settings_area(self, client, user):
        client.force_login(user)
        response = client.get(reverse("mfa_index"))
        assert response.status_code == 200
        assert reverse("account-tokens").encode() in response.content


@pytest.fixture
def security_key(user) -> Authenticator:
    """A registered key as allauth stores it (the ceremony itself runs in a browser, see
    e2e/test_security_keys.py)."""
    return WebAuthn.add(user, "Blue key", registration_credential()).instance


class TestSecurityKeys:
    def test_a_key_alone_keeps_the_password_from_getting_a_token(
        self, api_client, user, security_key
    ):
        response = exchange(api_client, user)
        assert response.status_code == 400 and "otp_code" in response.json()
        assert not user.api_tokens.exists()

    def test_a_key_alone_keeps_http_basic_out(self, user, security_key):
        response = TestBasicAuth().basic(user).get("/api/v1/users/me/")
        assert response.status_code == 401 and "two-factor" in response.json()["detail"]

    def test_with_a_key_a_recovery_code_still_gets_a_token(self, api_client, user, security_key):
        code = RecoveryCodes.activate(user).get_unused_codes()[0]
        assert exchange(api_client, user, otp_code=code).status_code == 200

    def test_login_with_a_key_goes_to_the_second_factor_page(self, client, user, security_key):
        response = client.post(
            reverse("account_login"), {"login": user.username, "password": TEST_PASSWORD}
        )
        assert response["Location"] == reverse("mfa_authenticate")
        page = client.get(reverse("mfa_authenticate"))
        assert b"Use a security key" in page.content
        options = json.loads(
            re.search(rb'id="js_data" type="application/json">(.*?)</script>', page.content).group(
                1
            )
        )
        assert options["request_options"]["publicKey"]["challenge"]
        assert client.get(reverse("account-profile")).status_code == 302  # not in yet

    def test_add_page_names_the_site_and_runs_only_static_scripts(self, client, user, settings):
        settings.SITE_NAME = "Blueprints Test"
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        client.force_login(user)
        client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
        response = client.get(reverse("mfa_add_webauthn"))
        assert response.status_code == 200
        data = json.loads(
            re.search(
                rb'id="js_data" type="application/json">(.*?)</script>', response.content
            ).group(1)
        )
        rp = data["creation_options"]["publicKey"]["rp"]
        assert rp == {"id": "testserver", "name": "Blueprints Test"}
        # The CSP allows no inline code; every script here is a static file or JSON data.
        policy = response["Content-Security-Policy"]
        script_src = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
        assert "'self'" in script_src and "unsafe-inline" not in script_src
        scripts = re.findall(rb"<script([^>]*)>", response.content)
        assert scripts and all(
            b'src="/static/' in attrs or b'type="application/json"' in attrs for attrs in scripts
        ), scripts
        assert b'src="/static/mfa/js/webauthn.js"' in response.content

    def test_the_key_pages_are_in_the_settings_area(self, client, user, security_key):
        client.force_login(user)
        response = client.get(reverse("mfa_list_webauthn"))
        assert response.status_code == 200
        assert reverse("account-tokens").encode() in response.content
        assert reverse("mfa_remove_webauthn", args=[security_key.pk]).encode() in response.content
