import pytest
from mastodon.utility import parse_version_string

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.mark.parametrize("path", ["/api/v1/instance", "/api/v1/instance/"])
def test_v1_instance_names_a_version_mastodon_py_accepts(client, path):
    body = client.get(path).json()
    assert parse_version_string(body["version"]) >= (4, 0, 0)
    assert body["uri"] == "testserver"
    assert body["urls"]["streaming_api"] == "ws://testserver"
    assert body["configuration"]["statuses"]["max_characters"] == 500


@pytest.mark.parametrize("path", ["/api/v2/instance", "/api/v2/instance/"])
def test_v2_instance_answers_beside_drf_v1_only_versioning(client, path, user):
    body = client.get(path).json()
    assert body["domain"] == "testserver"
    assert body["usage"]["users"]["active_month"] == 1
    assert body["configuration"]["urls"]["streaming"].startswith("ws://")


def test_other_v2_paths_are_still_drf_json_404(client):
    response = client.get("/api/v2/snaps/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid version in URL path."}


@pytest.mark.parametrize(
    "path", ["/api/v1/custom_emojis", "/api/v1/announcements/", "/api/v2/filters", "/api/v1/lists"]
)
def test_start_up_endpoints_are_empty_lists(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.json() == []


def test_nodeinfo_is_discovered_from_well_known(client, user):
    links = client.get("/.well-known/nodeinfo").json()["links"]
    assert links[0]["rel"] == "http://nodeinfo.diaspora.software/ns/schema/2.0"
    body = client.get(links[0]["href"]).json()
    assert body["version"] == "2.0"
    assert body["usage"]["users"]["total"] == 1


class TestWebfinger:
    def test_local_account(self, client, user):
        response = client.get(
            "/.well-known/webfinger", {"resource": f"acct:{user.username}@testserver"}
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "application/jrd+json"
        assert response.json()["subject"] == f"acct:{user.username}@testserver"

    @pytest.mark.parametrize(
        "resource", ["acct:nobody@testserver", "acct:{}@elsewhere.example", "", "@"]
    )
    def test_unknown_or_remote_is_404(self, client, user, resource):
        response = client.get(
            "/.well-known/webfinger", {"resource": resource.format(user.username)}
        )
        assert response.status_code == 404


def test_preferences_and_markers_need_a_token(client):
    assert client.get("/api/v1/preferences").status_code == 401
    assert client.get("/api/v1/markers").json() == {"error": "The access token is invalid"}


def test_list_detail_needs_a_token(client):
    assert client.get("/api/v1/lists/3").status_code == 401
