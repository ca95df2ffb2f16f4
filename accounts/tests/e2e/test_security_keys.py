"""Security keys (WebAuthn, allauth.mfa) in a real browser, with Chromium's virtual
authenticator standing in for the key: register one, log out, log in with the password
and the key. The pages pass axe and report no Content-Security-Policy violation."""

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from playwright.sync_api import Page, expect

from accounts.tests.factories import TEST_PASSWORD, UserFactory
from project.tests.e2e.test_accessibility import AXE, RUN_AXE
from project.tests.e2e.test_csp import LISTEN

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def add_virtual_authenticator(page: Page) -> None:
    """A USB security key that is always present and verifies its user (CDP WebAuthn)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    page.cdp = cdp  # kept alive with the page: the authenticator lives in this session


def check_page(page: Page, what: str) -> None:
    page.evaluate(AXE)
    assert page.evaluate(RUN_AXE) == [], what
    assert page.locator("h1").count() == 1, what
    assert page.evaluate("window.__cspViolations") == [], what


def log_in_with_password(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.locator("main form button[type=submit]").last.click()


def test_register_a_key_log_out_log_in_with_password_and_key(page: Page, live_server):
    base = live_server.url
    # Two-factor needs a verified address (allauth's rule).
    user = UserFactory(username="kim")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    page.add_init_script(LISTEN)
    add_virtual_authenticator(page)
    log_in_with_password(page, base, "kim")
    expect(page.get_by_test_id("user-menu")).to_contain_text("kim")

    # Settings → Two-factor → Security keys → Add; the page's script (allauth's static
    # JS under the CSP) asks the authenticator and posts the credential.
    page.get_by_test_id("user-menu").get_by_role("link", name="Settings").click()
    page.get_by_role("navigation", name="Settings").get_by_role("link", name="Two-factor").click()
    check_page(page, "two-factor index")
    page.get_by_role("link", name="Add", exact=True).click()
    # allauth asks for the password again before any change to the second factors.
    expect(page.locator("h1")).to_have_text("Confirm Access")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("h1")).to_have_text("Add a security key")
    check_page(page, "add form")
    page.fill("input[name=name]", "Blue key")
    page.get_by_role("button", name="Add this key").click()
    # The first key also makes recovery codes (allauth), shown next.
    expect(page.locator("body")).to_contain_text("Recovery Codes")
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.WEBAUTHN).count() == 1

    page.goto(f"{base}/accounts/2fa/webauthn/")
    expect(page.get_by_test_id("webauthn-list")).to_contain_text("Blue key")
    check_page(page, "key list")

    # The password alone no longer gets an API token.
    refused = requests.post(
        f"{base}/api/v1/auth/token/", json={"username": "kim", "password": TEST_PASSWORD}
    )
    assert refused.status_code == 400 and "otp_code" in refused.json()

    page.get_by_test_id("user-menu").get_by_role("button", name="Log out").click()
    expect(page.get_by_test_id("user-menu")).to_contain_text("Log in")

    # Password, then the key as the second factor.
    log_in_with_password(page, base, "kim")
    expect(page.locator("h1")).to_have_text("Two-Factor Authentication")
    expect(page.get_by_test_id("user-menu")).to_contain_text("Log in")  # not in yet
    check_page(page, "second-factor page")
    page.get_by_role("button", name="Use a security key").click()
    expect(page.get_by_test_id("user-menu")).to_contain_text("kim")
    assert Authenticator.objects.get(type=Authenticator.Type.WEBAUTHN).last_used_at is not None

    # Removing the key: the list is empty again.
    page.goto(f"{base}/accounts/2fa/webauthn/")
    page.get_by_role("link", name="Remove Blue key").click()
    expect(page.locator("h1")).to_have_text("Confirm Access")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    check_page(page, "remove confirmation")
    page.get_by_role("button", name="Remove").click()
    expect(page.locator("main")).to_contain_text("No security keys")
    assert not Authenticator.objects.filter(type=Authenticator.Type.WEBAUTHN).exists()
