"""E-mails name the configured site, and optional verification shows a banner until
the address is confirmed."""

import base64
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accounts.tests.factories import UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

SIGN_UP = {
    "username": "newbie",
    "email": "newbie@example.org",
    "password1": "a-long-enough-passphrase",
    "password2": "a-long-enough-passphrase",
}


@pytest.fixture
def site(settings):
    settings.SITE_URL = "https://blueprints.test"
    settings.SITE_NAME = "Blueprints Test"


def test_password_reset_mail_names_the_site_not_example_com(client, user, site):
    client.post(reverse("account_reset_password"), {"email": user.email})
    message = mail.outbox[0]
    assert message.subject.startswith("[Blueprints Test] ")
    assert "example.com]" not in message.subject
    assert "Blueprints Test" in message.body and "from example.com" not in message.body


def test_mail_domain_follows_site_url(settings):
    from accounts.adapters import configured_site

    settings.SITE_URL = "https://blueprints.example.net:8443/"
    assert configured_site().domain == "blueprints.example.net:8443"


class TestOptionalVerification:
    def test_sign_up_sends_a_confirmation_and_shows_a_banner_until_confirmed(
        self, client, settings, site
    ):
        settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
        response = client.post(reverse("account_signup"), SIGN_UP)
        assert response.status_code == 302  # signed in: optional lets them in
        message = mail.outbox[-1]
        assert message.subject.startswith("[Blueprints Test] ")
        assert "blueprints.test" in message.body
        page = client.get(reverse("home"))
        assertContains(page, 'data-testid="email-unverified"')
        link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", message.body)
        assert client.post(link.group(1)).status_code == 302
        assertNotContains(client.get(reverse("home")), 'data-testid="email-unverified"')

    def test_no_banner_when_verification_is_off(self, client, user, settings):
        settings.ACCOUNT_EMAIL_VERIFICATION = "none"
        client.force_login(user)
        assertNotContains(client.get(reverse("home")), 'data-testid="email-unverified"')


API_SIGN_UP = {
    "username": "apinewbie",
    "email": "ApiNewbie@example.org",
    "password": "a-long-enough-passphrase",
}


class TestVerificationThroughTheApi:
    """The API's sign-up records the address and sends the confirmation as the web's does;
    with mandatory verification, the password gets into the API only once confirmed."""

    def sign_up(self, api_client, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = api_client.post("/api/v1/users/", API_SIGN_UP, format="json")
        assert response.status_code == 201, response.json()

    def confirm(self, client):
        link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", mail.outbox[-1].body)
        assert client.post(link.group(1)).status_code == 302

    def exchange(self, api_client):
        credentials = {"username": API_SIGN_UP["username"], "password": API_SIGN_UP["password"]}
        return api_client.post("/api/v1/auth/token/", credentials, format="json")

    def test_optional_sends_a_confirmation_naming_the_site(
        self, api_client, client, settings, site, django_capture_on_commit_callbacks
    ):
        settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
        self.sign_up(api_client, django_capture_on_commit_callbacks)
        message = mail.outbox[-1]
        assert message.to == [API_SIGN_UP["email"].lower()]
        assert message.subject.startswith("[Blueprints Test] ")
        assert self.exchange(api_client).status_code == 200  # optional: not required
        self.confirm(client)
        assert EmailAddress.objects.get(email="apinewbie@example.org").verified

    def test_mandatory_keeps_the_password_out_of_the_api_until_confirmed(
        self, api_client, client, settings, site, django_capture_on_commit_callbacks
    ):
        settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
        self.sign_up(api_client, django_capture_on_commit_callbacks)
        refused = self.exchange(api_client)
        assert refused.status_code == 400
        assert "Confirm your e-mail address" in refused.json()["non_field_errors"][0]
        raw = base64.b64encode(f"{API_SIGN_UP['username']}:{API_SIGN_UP['password']}".encode())
        basic = api_client.get("/api/v1/users/me/", HTTP_AUTHORIZATION=f"Basic {raw.decode()}")
        assert basic.status_code == 401 and "Confirm" in basic.json()["detail"]
        self.confirm(client)
        assert self.exchange(api_client).status_code == 200

    def test_off_sends_nothing_but_records_the_address(
        self, api_client, settings, django_capture_on_commit_callbacks
    ):
        settings.ACCOUNT_EMAIL_VERIFICATION = "none"
        self.sign_up(api_client, django_capture_on_commit_callbacks)
        assert mail.outbox == []
        address = EmailAddress.objects.get(user__username="apinewbie")
        assert address.primary and not address.verified


def test_notification_mail_names_the_site(site, django_capture_on_commit_callbacks):
    from social.services import follow_create

    follower, followed = UserFactory(username="alice"), UserFactory(username="bob")
    with django_capture_on_commit_callbacks(execute=True):
        follow_create(follower=follower, followed=followed)
    assert mail.outbox[-1].subject == "alice now follows you on Blueprints Test"
    assert "https://blueprints.test/u/alice/" in mail.outbox[-1].body
