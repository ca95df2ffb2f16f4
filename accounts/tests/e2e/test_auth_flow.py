import pytest
from playwright.sync_api import Page, expect

from accounts.tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_sign_up_log_out_log_in_shows_name_in_menu(page: Page, live_server):
    page.goto(f"{live_server.url}/accounts/signup/")
    page.fill("input[name=email]", "grace@example.com")
    page.fill("input[name=username]", "grace")
    page.fill("input[name=password1]", TEST_PASSWORD)
    page.fill("input[name=password2]", TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    menu = page.get_by_test_id("user-menu")
    expect(menu).to_contain_text("grace")

    menu.get_by_role("button", name="Log out").click()
    expect(menu).to_contain_text("Log in")
    expect(menu).not_to_contain_text("grace")

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "grace")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    expect(menu).to_contain_text("grace")
