import pytest
from playwright.sync_api import Browser, Page, expect

from accounts.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_create_a_snap_and_open_its_share_link(page: Page, browser: Browser, live_server):
    user = UserFactory()
    page.goto(f"{live_server.url}/accounts/login/?next=/snaps/new/")
    page.fill("input[name=login]", user.username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()

    page.fill("input[name=files-0-name]", "fizzbuzz")
    page.fill("input[name=files-0-extension]", "py")
    page.fill("textarea[name=files-0-content]", "for i in range(1, 16):\n    print(i)\n")
    page.check("input[name=visibility][value=unlisted]")
    page.get_by_role("button", name="Snap").click()

    expect(page.get_by_text("Snap created.")).to_be_visible()
    share_url = page.get_by_test_id("share-url").input_value()
    assert share_url.startswith(f"{live_server.url}/snaps/")

    # A visitor with only the link (no session) sees the highlighted code.
    visitor = browser.new_context().new_page()
    visitor.goto(share_url)
    expect(visitor.get_by_test_id("snap-name")).to_have_text("fizzbuzz.py")
    expect(visitor.get_by_test_id("snap-code").locator(".k").first).to_have_text("for")
    visitor.context.close()


def test_the_language_picker_takes_a_name_and_is_remembered(page: Page, live_server):
    user = UserFactory()
    page.goto(f"{live_server.url}/accounts/login/?next=/snaps/new/")
    page.fill("input[name=login]", user.username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()

    language = page.get_by_label("Language")
    expect(language).to_have_attribute("list", "language-list")
    assert page.locator("#language-list option").count() > 500
    page.fill("input[name=files-0-name]", "main")
    language.fill("Rust")
    page.fill("textarea[name=files-0-content]", "fn main() {}\n")
    page.get_by_role("button", name="Snap").click()
    expect(page.get_by_test_id("snap-name")).to_have_text("main.rs")
    expect(page.get_by_test_id("snap-file")).to_contain_text("Rust")  # each file's language

    page.goto(f"{live_server.url}/snaps/new/")
    expect(page.get_by_label("Language")).to_have_value("rust")
