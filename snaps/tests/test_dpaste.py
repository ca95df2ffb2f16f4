"""dpaste's `POST /api/`, answered as dpaste documents it, so its clients work unchanged.

The curl calls are those of dpaste's API documentation, run against a live server."""

import json
import subprocess
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from project.throttling import ScopedRateThrottle
from snaps.models import Snap

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

API = "/api/"


@pytest.fixture(autouse=True)
def allowed(settings):
    settings.SNAPS_ALLOW_ANONYMOUS = True


def post(client, **fields):
    return client.post(API, fields)


class TestFormats:
    def test_default_is_the_url_in_double_quotes(self, client):
        response = post(client, content="print('hi')", lexer="python")
        assert response.status_code == 200
        snap = Snap.objects.get()
        assert response.content.decode() == f'"http://testserver{snap.get_absolute_url()}"'
        assert (
            snap.user is None
            and snap.visibility == "unlisted"
            and snap.first_file.language == "python"
        )
        assert response["X-Snap-Token"]

    def test_url_is_the_url_and_a_newline(self, client):
        body = post(client, content="x", format="url").content.decode()
        assert body == f"http://testserver{Snap.objects.get().get_absolute_url()}\n"

    def test_json_has_url_content_and_lexer(self, client):
        response = post(client, content="SELECT 1;", lexer="sql", format="json")
        assert response["Content-Type"] == "application/json"
        data = json.loads(response.content)
        assert data == {
            "url": f"http://testserver{Snap.objects.get().get_absolute_url()}",
            "content": "SELECT 1;",
            "lexer": "sql",
        }

    def test_unknown_format_falls_back_to_default(self, client):
        assert post(client, content="x", format="xml").content.decode().startswith('"http')

    def test_answers_are_never_html(self, client):
        response = post(client, content="<script>alert(1)</script>", format="url")
        assert response["Content-Type"].startswith("text/plain")


class TestFields:
    def test_lexer_defaults_to_python(self, client):
        post(client, content="x")
        assert Snap.objects.get().first_file.language == "python"

    def test_filename_decides_when_lexer_is_empty(self, client):
        post(client, content="fn main() {}", lexer="", filename="src/main.rs")
        snap = Snap.objects.get()
        assert (snap.first_file.name, snap.first_file.language, snap.filename) == (
            "main.rs",
            "rust",
            "main.rs",
        )

    def test_unknown_filename_is_plain_text(self, client):
        post(client, content="x", lexer="", filename="notes.unknownext")
        assert Snap.objects.get().first_file.language == "text"

    def test_expiry_choices(self, client):
        post(client, content="a", expires="onetime")
        post(client, content="b", expires="never")
        post(client, content="c", expires="3600")
        post(client, content="d")
        by_content = {s.first_file.content: s for s in Snap.objects.all()}
        assert by_content["a"].burn_after_reading
        assert by_content["b"].expires_at is None and not by_content["b"].burn_after_reading
        in_an_hour = by_content["c"].expires_at - timezone.now()
        assert timedelta(minutes=59) < in_an_hour <= timedelta(hours=1)
        assert by_content["d"].expires_at - timezone.now() > timedelta(hours=23)


class TestErrors:
    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({}, "No content given"),
            ({"content": "   "}, "No content given"),
            ({"content": "x", "lexer": "", "filename": ""}, "No lexer or filename given."),
            ({"content": "x", "lexer": "klingon"}, 'Invalid lexer choice "klingon" given.'),
            ({"content": "x", "expires": "forever"}, 'Invalid expire choice "forever" given.'),
            ({"content": "a\x00b"}, "Null characters are not allowed."),
        ],
    )
    def test_bad_input_is_a_plain_400_and_creates_nothing(self, client, fields, message):
        response = client.post(API, fields)
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/plain")
        assert response.content.decode().startswith(message)
        assert not Snap.objects.exists()

    def test_too_long_is_a_400(self, client, settings):
        settings.SNAPS_MAX_CONTENT_CHARS = 10
        response = post(client, content="x" * 11)
        assert response.status_code == 400 and b"too long" in response.content

    def test_off_when_anonymous_snaps_are(self, client, settings):
        settings.SNAPS_ALLOW_ANONYMOUS = False
        assert post(client, content="x").status_code == 403
        assert not Snap.objects.exists()

    def test_throttled_with_the_anonymous_snaps(self, client, monkeypatch):
        rates = {**ScopedRateThrottle.THROTTLE_RATES, "snaps-anonymous": "1/hour"}
        monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)
        assert post(client, content="x").status_code == 200
        assert post(client, content="y").status_code == 429

    def test_a_session_is_ignored_no_csrf_needed(self, user):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        assert post(client, content="x").status_code == 200
        assert Snap.objects.get().user is None  # never on the signed-in user's behalf

    def test_get_is_a_json_405(self, client):
        response = client.get(API)
        assert response.status_code == 405 and response.json() == {"detail": "Method Not Allowed."}

    def test_the_v1_api_is_untouched(self, api_client):
        assert api_client.get("/api/v1/snaps/").status_code == 200


@pytest.mark.django_db(transaction=True)
class TestDocumentedCurlCalls:
    """dpaste's documentation: `curl -F "format=url" -F "content=<-" https://dpaste.org/api/`
    (stdin), and the same with `-F "lexer=..."`, `-F "expires=..."`, `--data-urlencode`."""

    def curl(self, live_server, *args: str, stdin: str = "") -> str:
        result = subprocess.run(
            ["curl", "-sS", "--fail-with-body", *args, f"{live_server.url}/api/"],
            input=stdin, capture_output=True, text=True, check=True, timeout=30,
        )  # fmt: skip
        return result.stdout

    def test_pipe_a_file_and_get_its_url(self, live_server):
        out = self.curl(live_server, "-F", "format=url", "-F", "content=<-", stdin="print(1)\n")
        snap = Snap.objects.get()
        assert out == f"{live_server.url}{snap.get_absolute_url()}\n"
        assert snap.first_file.content == "print(1)\n"

    def test_lexer_expiry_and_json(self, live_server):
        out = self.curl(live_server, "-F", "content=SELECT 1;", "-F", "lexer=sql",
                        "-F", "expires=onetime", "-F", "format=json")  # fmt: skip
        assert json.loads(out)["lexer"] == "sql"
        assert Snap.objects.get().burn_after_reading

    def test_urlencoded_default_format(self, live_server):
        out = self.curl(live_server, "--data-urlencode", "content=a & b", "-d", "lexer=text")
        assert out == f'"{live_server.url}{Snap.objects.get().get_absolute_url()}"'
