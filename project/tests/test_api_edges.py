"""The edges of /api/ that Django, not DRF, used to answer: unknown URLs, oversized
bodies, slash-less paths, and the browsable API's sign-in for anonymous browsers."""

import pytest
from django.http import HttpResponse
from rest_framework.test import APIClient

from photos.tests.images import image_bytes, upload
from project.apiedges import as_json_error

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

ME = "/api/v1/users/me/"
SIGN_UP = {"username": "newbie", "email": "newbie@example.com", "password": "a-long-passphrase"}


def assert_json_error(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    return body


class TestBrowsableApiSignIn:
    def test_anonymous_browser_gets_a_log_in_link_and_no_basic_challenge(self, client):
        response = client.get(ME, HTTP_ACCEPT="text/html")
        assert response.status_code == 401
        assert not response["WWW-Authenticate"].startswith("Basic")
        assert response["Content-Type"].startswith("text/html")
        assert b'href="/api-auth/login/?next=/api/v1/users/me/">Log in</a>' in response.content

    def test_log_in_link_leads_to_the_sites_login_and_back(self, client):
        response = client.get("/api-auth/login/", {"next": ME})
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=%2Fapi%2Fv1%2Fusers%2Fme%2F"

    def test_scripts_in_a_browser_get_no_basic_challenge_either(self, client):
        # Swagger UI's calls: a Basic challenge would pop up the browser's dialog.
        response = client.get(ME, HTTP_ACCEPT="application/json", HTTP_SEC_FETCH_MODE="cors")
        assert_json_error(response, 401)
        assert response["WWW-Authenticate"] == "Token"

    def test_json_client_gets_401_with_basic_challenge(self, api_client):
        response = api_client.get(ME)
        assert_json_error(response, 401)
        assert response["WWW-Authenticate"] == 'Basic realm="api"'

    def test_signed_in_browser_can_log_out_from_the_browsable_api(self, client, user):
        client.force_login(user)
        page = client.get(ME, HTTP_ACCEPT="text/html")
        assert page.status_code == 200
        assert b'action="/api-auth/logout/?next=/api/v1/users/me/"' in page.content
        response = client.post("/api-auth/logout/?next=/api/v1/users/me/")
        assert response.status_code == 302 and response["Location"] == ME
        assert client.get(ME).status_code == 401

    def test_browsable_api_posts_json(self, client, user):
        client.force_login(user)
        page = client.get("/api/v1/snaps/", HTTP_ACCEPT="text/html")
        assert b'id="id__content_type"' in page.content
        assert b'value="application/json"' in page.content


@pytest.mark.parametrize("debug", [True, False])
class TestUnknownUrls:
    @pytest.mark.parametrize(
        "url", ["/api/v1/nope/", "/api/v1/nope", "/api/nope/", "/api/v1/snaps/x/y/"]
    )
    def test_unknown_url_is_a_json_404(self, settings, api_client, debug, url):
        settings.DEBUG = debug
        assert_json_error(api_client.get(url), 404)
        assert_json_error(api_client.post(url, {"a": 1}, format="json"), 404)

    def test_unknown_version_is_a_json_404(self, settings, api_client, debug):
        settings.DEBUG = debug
        assert_json_error(api_client.get("/api/v2/snaps/"), 404)

    def test_pages_outside_the_api_keep_their_html_404(self, settings, client, debug):
        settings.DEBUG = debug
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        assert response["Content-Type"].startswith("text/html")


class TestRequestLimits:
    def test_body_over_the_limit_is_a_json_413_naming_it(self, settings, api_client):
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
        payload = {**SIGN_UP, "username": "x" * 2000}
        body = assert_json_error(api_client.post("/api/v1/users/", payload, format="json"), 413)
        assert body["detail"] == "Request body exceeds the limit of 1000 bytes."

    def test_body_over_the_limit_with_debug_on(self, settings, auth_api_client):
        settings.DEBUG = True
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
        payload = {"title": "t", "content": "x" * 2000}
        response = auth_api_client.post("/api/v1/snaps/", payload, format="json")
        assert "1000 bytes" in assert_json_error(response, 413)["detail"]

    def test_too_many_fields_is_a_json_413(self, settings, auth_api_client):
        settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
        fields = {f"field{n}": "x" for n in range(6)}
        response = auth_api_client.post(
            "/api/v1/photos/", {"photo": upload(image_bytes()), **fields}, format="multipart"
        )
        assert (
            assert_json_error(response, 413)["detail"] == "Too many fields: at most 3 per request."
        )

    def test_too_many_files_is_a_json_413(self, settings, auth_api_client):
        settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
        files = {f"photo{n}": upload(image_bytes(), f"{n}.png") for n in range(3)}
        response = auth_api_client.post("/api/v1/photos/", files, format="multipart")
        assert (
            assert_json_error(response, 413)["detail"] == "Too many files: at most 2 per request."
        )

    def test_form_bodies_are_refused_with_415(self, api_client):
        response = api_client.post("/api/v1/users/", SIGN_UP, format="multipart")
        assert "multipart/form-data" in assert_json_error(response, 415)["detail"]


@pytest.mark.unit
@pytest.mark.parametrize("status", [400, 404, 405, 413, 414, 500, 503])
def test_django_html_errors_under_the_api_become_json(status):
    html = HttpResponse(b"<h1>Error</h1>", status=status, content_type="text/html")
    html["Retry-After"] = "5"
    response = as_json_error(html)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "5"
    assert response.content.startswith(b'{"detail": "')


@pytest.mark.parametrize("debug", [True, False])
class TestSlashLessUrls:
    def test_sign_up_without_the_slash(self, settings, api_client, debug):
        settings.DEBUG = debug
        response = api_client.post("/api/v1/users", SIGN_UP, format="json")
        assert response.status_code == 201, response.content
        assert response["Location"].endswith(f"/api/v1/users/{response.json()['id']}/")

    def test_photo_upload_without_the_slash(self, settings, debug, user):
        settings.DEBUG = debug
        client = APIClient()
        client.force_authenticate(user)
        response = client.post(
            "/api/v1/photos", {"photo": upload(image_bytes())}, format="multipart"
        )
        assert response.status_code == 201, response.content
        assert client.get(f"/api/v1/photos/{response.json()['id']}").status_code == 200

    def test_list_without_the_slash_keeps_its_query(self, settings, api_client, debug):
        settings.DEBUG = debug
        response = api_client.get("/api/v1/snaps", {"page_size": 5})
        assert response.status_code == 200
        assert response.json()["results"] == []


@pytest.mark.integration
@pytest.mark.django_db
def test_signed_in_browser_logs_out_with_a_plain_form(client, user):
    # No inline onclick (DRF's own link has one, which the CSP blocks): a real form.
    client.force_login(user)
    page = client.get(ME, HTTP_ACCEPT="text/html").content.decode()
    assert 'action="/api-auth/logout/?next=/api/v1/users/me/"' in page
    assert "onclick" not in page
    response = client.post("/api-auth/logout/?next=/api/v1/users/me/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
