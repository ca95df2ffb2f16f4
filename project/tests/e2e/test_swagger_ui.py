"""Swagger UI (/api/docs/) runs operations with its default content type: the token
call gets a token, and an authorised call answers as that user."""

import json
import re

import pytest
from playwright.sync_api import Page, expect

from accounts.tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def try_it_out(page: Page, operation_id: str, body: dict | None = None):
    """Open an operation, fill its request body, Execute; return its live response."""
    block = page.locator(f"[id$='-{operation_id}']").first
    block.locator(".opblock-summary").first.click()
    block.get_by_role("button", name="Try it out").click()
    if body is not None:
        block.locator("textarea.body-param__text").fill(json.dumps(body))
    block.get_by_role("button", name="Execute").click()
    return block.locator(".live-responses-table .response").first


def test_token_then_an_authorised_call_from_swagger_ui(page: Page, live_server, user):
    page.goto(f"{live_server.url}/api/docs/")

    response = try_it_out(
        page, "auth_token_create", {"username": user.username, "password": TEST_PASSWORD}
    )
    expect(response.locator(".response-col_status")).to_have_text("200")
    body = response.locator(".response-col_description pre").first
    expect(body).to_contain_text('"token"')
    token = re.search(r'"token":\s*"(\w+)"', body.inner_text()).group(1)

    page.get_by_role("button", name="Authorize").first.click()
    dialog = page.locator(".modal-ux")
    scheme = dialog.locator(".auth-container").filter(has_text="tokenAuth")
    scheme.locator("input").fill(f"Token {token}")
    scheme.locator("button.authorize").click()
    expect(scheme).to_contain_text("Authorized")  # the credentials were taken
    dialog.locator("button.btn-done").first.click()

    response = try_it_out(page, "users_me_retrieve")
    expect(response.locator(".response-col_status")).to_have_text("200")
    expect(response.locator(".response-col_description pre").first).to_contain_text(
        f'"username": "{user.username}"'
    )
