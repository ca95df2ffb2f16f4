"""Every kind of page works under the Content-Security-Policy: no violation is reported.

Chromium reports each blocked script, style, handler or eval both on the console and as
a `securitypolicyviolation` event; both are collected (the listener is an init script,
which the page's CSP does not govern)."""

import pytest
from playwright.sync_api import Page, expect

from accounts.tests.factories import TEST_PASSWORD, UserFactory
from snaps.tests.factories import SnapFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
      + ` at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


@pytest.fixture
def csp_page(page: Page):
    console: list[str] = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    page.add_init_script(LISTEN)

    def violations() -> list[str]:
        return console + page.evaluate("window.__cspViolations || []")

    page.violations = violations
    return page


def visit(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, url
    policy = response.headers["content-security-policy"]
    script_src = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    page.wait_for_load_state("networkidle")


def sign_in(page: Page, base: str, user, next_url: str = "/") -> None:
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.fill("input[name=login]", user.username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{base}{next_url}")


def test_site_pages_report_no_violation(csp_page: Page, live_server):
    snap = SnapFactory()
    for path in ("/", snap.get_absolute_url(), "/accounts/login/"):
        visit(csp_page, f"{live_server.url}{path}")
        assert csp_page.violations() == [], path
    # The share link's select-on-click comes from static/js/site.js, not an inline handler.
    visit(csp_page, f"{live_server.url}{snap.get_absolute_url()}")
    csp_page.get_by_test_id("share-url").click()
    assert csp_page.evaluate(
        "(() => { const i = document.getElementById('share-url');"
        " return i.selectionEnd - i.selectionStart === i.value.length && i.value.length > 0; })()"
    )
    assert csp_page.violations() == []


def test_admin_index_and_a_change_form_report_no_violation(csp_page: Page, live_server):
    admin = UserFactory(is_staff=True, is_superuser=True)
    snap = SnapFactory(user=admin)
    sign_in(csp_page, live_server.url, admin, next_url="/admin/")
    expect(csp_page.locator("#site-name")).to_be_visible()
    assert csp_page.violations() == []
    visit(csp_page, f"{live_server.url}/admin/snaps/snap/{snap.pk}/change/")
    expect(csp_page.locator("#snap_form")).to_be_visible()
    # The admin's own scripts ran (its jQuery namespace is set up by jquery.init.js).
    assert csp_page.evaluate("typeof window.django === 'object' && !!window.django.jQuery")
    assert csp_page.violations() == []


def test_browsable_api_root_reports_no_violation(csp_page: Page, live_server):
    user = UserFactory()
    sign_in(csp_page, live_server.url, user)
    visit(csp_page, f"{live_server.url}/api/v1/")
    expect(csp_page.locator(".response-info")).to_be_visible()
    assert csp_page.evaluate("typeof window.jQuery === 'function'")  # its scripts ran
    assert csp_page.violations() == []


def test_swagger_ui_renders_its_operations_without_violation(csp_page: Page, live_server):
    visit(csp_page, f"{live_server.url}/api/docs/")
    expect(csp_page.locator(".opblock").first).to_be_visible(timeout=15_000)
    assert csp_page.violations() == []
