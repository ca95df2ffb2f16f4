import pytest
from playwright.sync_api import Browser, Page, expect

from snaps.models import Snap

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_anonymous_paste_keeps_its_token_in_this_browser_only(
    page: Page, browser: Browser, live_server, settings
):
    settings.SNAPS_ALLOW_ANONYMOUS = True
    page.goto(f"{live_server.url}/snaps/new/")
    page.fill("input[name=files-0-name]", "anon.py")
    page.fill("textarea[name=files-0-content]", "print('no account')\n")
    page.get_by_role("button", name="Snap").click()

    expect(page.get_by_text("Your secret edit/delete token, shown only now")).to_be_visible()
    expect(page.get_by_role("link", name="Edit")).to_be_visible()
    page.reload()
    expect(page.get_by_text("Your secret edit/delete token")).to_have_count(0)
    expect(page.get_by_role("link", name="Edit")).to_be_visible()  # the cookie remembers

    stranger = browser.new_context().new_page()
    stranger.goto(page.url)
    expect(stranger.get_by_test_id("snap-name")).to_have_text("anon.py")
    expect(stranger.get_by_role("link", name="Edit")).to_have_count(0)
    stranger.context.close()

    page.get_by_role("link", name="Delete").click()
    page.get_by_role("button", name="Delete snap").click()
    expect(page.get_by_text("deleted")).to_be_visible()
    assert not Snap.objects.exists()
