import pytest
from playwright.sync_api import Browser, expect

from snaps.tests.factories import SnapFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CODE = "".join(f"line_{n} = {n}\n" for n in range(1, 31)) + "long = '" + "x" * 400 + "'\n"


def test_line_links_ranges_copy_and_wrap(browser: Browser, live_server):
    snap = SnapFactory(language="python", content=CODE)
    ctx = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = ctx.new_page()
    url = f"{live_server.url}{snap.get_absolute_url()}"

    # A link to one line selects it.
    page.goto(f"{url}#L3")
    expect(page.locator("#L3")).to_have_class("line selected")
    expect(page.locator(".line.selected")).to_have_count(1)

    # Click a number, shift-click another: the range is selected and in the address.
    page.locator("#L5 a.ln").click()
    page.locator("#L9 a.ln").click(modifiers=["Shift"])
    assert page.url.endswith("#L5-L9")
    expect(page.locator(".line.selected")).to_have_count(5)
    page.goto(f"{url}#L9-L7")
    page.reload()
    expect(page.locator(".line.selected")).to_have_count(3)

    # Copy takes the code without the line numbers.
    page.get_by_test_id("snap-copy").click()
    expect(page.get_by_test_id("snap-copy")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == CODE

    # Wrap toggles, announced by aria-pressed; the code block is keyboard-reachable.
    wrap = page.get_by_test_id("snap-wrap")
    block = page.locator("#snap-code pre")
    assert page.evaluate("(el) => el.scrollWidth > el.clientWidth", block.element_handle())
    wrap.click()
    expect(wrap).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("(el) => el.scrollWidth <= el.clientWidth", block.element_handle())
    expect(block).to_have_attribute("tabindex", "0")

    # Download is the raw text as an attachment named after the snap.
    with page.expect_download() as download:
        page.get_by_test_id("snap-download").click()
    assert download.value.suggested_filename == snap.filename
    ctx.close()
