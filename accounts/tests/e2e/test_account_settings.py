"""The Settings area in a real browser: sign up, profile and avatar, posting in two apps
(a follower sees both in their timeline), an API token, TOTP, an export, and deleting the
account, after which nothing of it is reachable."""

import io
import re
import zipfile

import pyotp
import pytest
import requests
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, Page, expect

from accounts.tests.factories import TEST_PASSWORD, UserFactory
from photos.tests.images import image_bytes
from social import services as social_services

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_sign_up_profile_token_totp_export_delete(
    page: Page, browser: Browser, live_server, settings, mailoutbox
):
    # Optional verification: two-factor needs a verified address (allauth's rule, so an
    # impostor cannot lock the address's owner out).
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    base = live_server.url
    page.goto(f"{base}/accounts/signup/")
    page.fill("input[name=email]", "ada@example.com")
    page.fill("input[name=username]", "ada")
    page.fill("input[name=password1]", TEST_PASSWORD)
    page.fill("input[name=password2]", TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    expect(page.get_by_test_id("user-menu")).to_contain_text("ada")
    expect(page.get_by_test_id("email-unverified")).to_be_visible()
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mailoutbox[-1].body)
    page.goto(f"{base}{link.group(1)}")
    page.locator("main form button[type=submit]").last.click()
    expect(page.get_by_test_id("email-unverified")).to_have_count(0)

    # Profile and avatar, reached from the navigation's one Settings link.
    page.get_by_test_id("user-menu").get_by_role("link", name="Settings").click()
    expect(page.locator("h1")).to_have_text("Profile")
    page.fill("input[name=display_name]", "Ada Lovelace")
    page.fill("textarea[name=bio]", "First programmer.")
    page.fill("input[name=website]", "https://ada.example/")
    page.set_input_files(
        "input[name=avatar]",
        files=[{"name": "me.png", "mimeType": "image/png", "buffer": image_bytes(size=(900, 700))}],
    )
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash")).to_contain_text("Your profile was saved")
    expect(page.get_by_alt_text("Your avatar")).to_be_visible()
    page.goto(f"{base}/u/ada/")
    expect(page.locator("h1")).to_have_text("Ada Lovelace")
    expect(page.get_by_test_id("profile-bio")).to_have_text("First programmer.")

    # Post in two apps; a follower sees both in their timeline.
    follower = UserFactory()
    ada = get_user_model().objects.get(username="ada")
    social_services.follow_create(follower=follower, followed=ada)
    page.goto(f"{base}/social/")
    page.fill("textarea[name=content]", "Hello from Ada")
    page.get_by_role("button", name="Post").click()
    expect(page.locator(".flash")).to_contain_text("Your post is live")
    page.goto(f"{base}/snaps/new/")
    page.fill("input[name=files-0-name]", "engine.py")
    page.fill("textarea[name=files-0-content]", "print('the analytical engine')\n")
    page.check("input[name=visibility][value=public]")
    page.get_by_role("button", name="Snap").click()
    expect(page.get_by_text("Snap created.")).to_be_visible()
    reader = browser.new_context().new_page()
    reader.goto(f"{base}/accounts/login/?next=/social/")
    reader.fill("input[name=login]", follower.username)
    reader.fill("input[name=password]", TEST_PASSWORD)
    reader.locator("form button[type=submit]").last.click()
    expect(reader.get_by_test_id("post").first).to_contain_text("Hello from Ada")
    expect(reader.locator("[data-testid=activity][data-kind=snap]")).to_contain_text("engine.py")
    reader.context.close()

    # An API token, shown once, that works.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    page.get_by_role("navigation", name="Settings").get_by_role("link", name="API tokens").click()
    page.fill("input[name=name]", "laptop")
    page.get_by_role("button", name="Create token").click()
    key = page.get_by_test_id("new-token").input_value()
    expect(page.get_by_role("button", name="Copy")).to_be_visible()
    me = requests.get(f"{base}/api/v1/users/me/", headers={"Authorization": f"Token {key}"})
    assert me.json()["display_name"] == "Ada Lovelace"
    page.reload()
    expect(page.get_by_test_id("token-list")).to_contain_text("laptop")
    assert key not in page.content()

    # TOTP: the code computed from the secret the page shows.
    page.get_by_role("navigation", name="Settings").get_by_role("link", name="Two-factor").click()
    page.get_by_role("link", name="Activate").click()
    # allauth asks for the password again: sign-up is no recent password check.
    page.fill("input[name=password]", TEST_PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    secret = page.locator("#authenticator_secret").input_value()
    page.fill("input[name=code]", pyotp.TOTP(secret).now())
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("body")).to_contain_text("Recovery Codes")
    refused = requests.post(
        f"{base}/api/v1/auth/token/", json={"username": "ada", "password": TEST_PASSWORD}
    )
    assert refused.status_code == 400 and "otp_code" in refused.json()

    # Export: the zip behind the signed link holds the account.
    page.goto(f"{base}/accounts/data/")
    page.get_by_role("button", name="Prepare my export").click()
    page.reload()
    link = page.get_by_test_id("export-download").get_attribute("href")
    archive = zipfile.ZipFile(io.BytesIO(requests.get(f"{base}{link}").content))
    assert "account.json" in archive.namelist() and "avatar.jpg" in archive.namelist()

    # Delete the account: nothing of it is reachable afterwards.
    page.get_by_role("navigation", name="Settings").get_by_role(
        "link", name="Delete account"
    ).click()
    page.fill("input[name=password]", TEST_PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.locator(".flash")).to_contain_text("being deleted")
    expect(page.get_by_test_id("user-menu")).to_contain_text("Log in")
    assert requests.get(f"{base}/u/ada/").status_code == 404
    assert requests.get(f"{base}{link}").status_code == 404
    gone = requests.get(f"{base}/api/v1/users/me/", headers={"Authorization": f"Token {key}"})
    assert gone.status_code == 401
