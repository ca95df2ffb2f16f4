import time

import pytest
from playwright.sync_api import BrowserType, expect

from snaps.tests.factories import SnapFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_another_site_frames_the_embed_but_not_the_snap_page(
    browser_type: BrowserType, browser_type_launch_args, live_server
):
    snap = SnapFactory(language="python", content="answer = 42\n")
    embed = f"{live_server.url}/snaps/{snap.hash_key}/embed/"
    detail = f"{live_server.url}{snap.get_absolute_url()}"
    # Chrome keeps public sites from framing local ones (Local Network Access); the
    # test's "other site" is public, its server local, so that check is off here only.
    args = [*browser_type_launch_args["args"], "--disable-features=LocalNetworkAccessChecks"]
    browser = browser_type.launch(**{**browser_type_launch_args, "args": args})
    try:
        page = browser.new_page()
        host = (
            f'<iframe id="embed" src="{embed}"></iframe><iframe id="page" src="{detail}"></iframe>'
        )
        page.route(
            "http://blog.example/**",
            lambda route: route.fulfill(status=200, content_type="text/html", body=host),
        )
        page.goto("http://blog.example/post.html")
        framed = page.frame_locator("#embed")
        expect(framed.locator("#L1")).to_contain_text("answer")
        expect(framed.get_by_role("link", name=snap.filename)).to_have_attribute("target", "_blank")
        # The snap page itself refuses to be framed (CSP frame-ancestors 'none').
        blocked = page.locator("#page").element_handle().content_frame()
        deadline = time.monotonic() + 10
        while not blocked.url.startswith("chrome-error:"):  # Chrome's "refused" page
            assert time.monotonic() < deadline, blocked.url
            page.wait_for_timeout(50)
        expect(page.frame_locator("#page").get_by_test_id("snap-name")).to_have_count(0)
    finally:
        browser.close()
