import pytest
from playwright.sync_api import Page, expect

from accounts.tests.factories import TEST_PASSWORD, UserFactory
from snaps.models import Snap

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_add_a_second_file_and_see_both(page: Page, live_server):
    user = UserFactory()
    page.goto(f"{live_server.url}/accounts/login/?next=/snaps/new/")
    page.fill("input[name=login]", user.username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()

    first = page.get_by_test_id("file-form").first
    first.get_by_label("Name").fill("app.py")
    first.get_by_label("Content").fill("print('first file')\n")
    page.get_by_test_id("add-file").click()  # the vendored script adds it in place
    expect(page.get_by_test_id("file-form")).to_have_count(2)
    second = page.get_by_test_id("file-form").nth(1)
    expect(second.locator("legend")).to_have_text("File 2")
    expect(second.get_by_label("Name")).to_be_focused()
    second.get_by_label("Name").fill("util.js")
    second.get_by_label("Content").fill("export const two = 2;\n")
    page.get_by_role("button", name="Snap", exact=True).click()

    expect(page.get_by_test_id("snap-file")).to_have_count(2)
    expect(page.get_by_test_id("file-name")).to_have_text(["app.py", "util.js"])
    expect(page.locator("#f2-L1")).to_contain_text("export const two = 2;")
    snap = Snap.objects.get()
    assert [f.filename for f in snap.files.all()] == ["app.py", "util.js"]

    # The second file's own line link and raw text.
    page.locator("#f2-L1 a.ln").click()
    assert page.url.endswith("#f2-L1")
    expect(page.locator("#f2-L1")).to_have_class("line selected")
    expect(page.locator("#L1")).not_to_have_class("line selected")
    page.get_by_test_id("file-raw").nth(1).click()
    expect(page.locator("body")).to_have_text("export const two = 2;")
