import pytest
from playwright.sync_api import Browser, Page, expect

from accounts.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/?next=/social/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()


def test_a_follows_b_b_posts_a_sees_it(page: Page, browser: Browser, live_server):
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    log_in(page, live_server.url, alice.username)
    page.goto(f"{live_server.url}/u/{bob.username}/")
    page.get_by_role("button", name="Follow").click()
    expect(page.get_by_text("You now follow bob.")).to_be_visible()
    expect(page.get_by_test_id("followers-count")).to_have_text("1 follower")

    bob_page = browser.new_context().new_page()
    log_in(bob_page, live_server.url, bob.username)
    bob_page.fill("textarea[name=content]", "Fresh bread is out of the oven")
    bob_page.get_by_role("button", name="Post").click()
    expect(bob_page.get_by_text("Your post is live.")).to_be_visible()
    bob_page.context.close()

    page.goto(f"{live_server.url}/social/")
    expect(page.get_by_test_id("post").first).to_contain_text("Fresh bread is out of the oven")
    expect(page.get_by_test_id("post").first).to_contain_text("bob")


def test_composer_counts_characters_as_you_type(page: Page, live_server):
    UserFactory(username="carol")
    log_in(page, live_server.url, "carol")
    counter = page.locator("[data-counter-for=id_content]")
    expect(counter).to_have_text("500 characters left")
    page.fill("textarea[name=content]", "line one\nline two")
    expect(counter).to_have_text("483 characters left")
