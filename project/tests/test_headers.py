"""Security headers on every response: CSP, Permissions-Policy, Referrer-Policy, COOP."""

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {name: values for name, *values in parts}


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/api/v1/", "/api/docs/", "/healthz"])
def test_every_page_sends_the_security_headers(client, path):
    response = client.get(path)
    assert response.status_code == 200
    csp = directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-inline'" not in csp["style-src"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = response["Permissions-Policy"]
    assert "camera=()" in permissions and "geolocation=()" in permissions


def test_inline_blocks_carry_the_nonce_of_their_response(client):
    response = client.get("/api/docs/")
    nonce = next(v for v in directives(response)["script-src"] if v.startswith("'nonce-"))
    assert f'<script nonce="{nonce[7:-1]}">' in response.content.decode()


def test_plain_pages_have_no_inline_script_or_handler(client):
    html = client.get("/").content.decode()
    assert "<script>" not in html and "onclick=" not in html and "style=" not in html
