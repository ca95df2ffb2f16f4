"""E-mails name the configured site, and optional verification shows a banner until
the address is confirmed."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

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
