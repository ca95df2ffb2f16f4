from datetime import timedelta

import pytest
from django.utils import timezone

from snaps.models import Snap
from snaps.tests.factories import SnapFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

LIST_URL = "/api/v1/snaps/"


def detail_url(snap: Snap) -> str:
    return f"{LIST_URL}{snap.hash_key}/"


class TestRead:
    def test_anonymous_lists_public_snaps_with_all_fields(self, api_client):
        snap = SnapFactory()
        SnapFactory(private=True)
        SnapFactory(unlisted=True)
        SnapFactory(expired=True)
        response = api_client.get(LIST_URL)
        assert response.status_code == 200
        body = response.json()
        assert body["count"] == 1
        item = body["results"][0]
        assert item["hash_key"] == snap.hash_key
        assert item["user"] == snap.user.username
        assert item["url"] == f"http://testserver/api/v1/snaps/{snap.hash_key}/"
        assert item["raw_url"] == f"http://testserver/snaps/{snap.hash_key}/raw/"
        assert set(item) >= {
            "name",
            "extension",
            "content",
            "visibility",
            "expires_at",
            "created_on",
        }

    def test_list_includes_the_callers_own_private_snaps(self, auth_api_client, user):
        mine = SnapFactory(user=user, private=True)
        SnapFactory(private=True)
        keys = [s["hash_key"] for s in auth_api_client.get(LIST_URL).json()["results"]]
        assert keys == [mine.hash_key]

    def test_retrieve_public_and_unlisted_anonymously(self, api_client):
        for snap in (SnapFactory(), SnapFactory(unlisted=True)):
            assert api_client.get(detail_url(snap)).status_code == 200

    def test_private_of_others_is_404(self, api_client):
        response = api_client.get(detail_url(SnapFactory(private=True)))
        assert response.status_code == 404
        assert response.json()["detail"]

    def test_filters_by_user_and_extension_and_searches(self, api_client, user):
        target = SnapFactory(user=user, extension="rs", name="parser", content="fn main() {}")
        SnapFactory(user=user, extension="py")
        SnapFactory(extension="rs")
        by_user_ext = api_client.get(LIST_URL, {"user": user.username, "extension": "RS"}).json()
        assert [s["hash_key"] for s in by_user_ext["results"]] == [target.hash_key]
        searched = api_client.get(LIST_URL, {"search": "parser"}).json()
        assert [s["hash_key"] for s in searched["results"]] == [target.hash_key]

    def test_page_size_is_capped_at_100(self, api_client):
        SnapFactory.create_batch(3)
        body = api_client.get(LIST_URL, {"page_size": 1000}).json()
        assert body["count"] == 3 and len(body["results"]) == 3

    @pytest.mark.parametrize("count", [1, 25])
    def test_list_query_count_is_constant(self, api_client, django_assert_num_queries, count):
        SnapFactory.create_batch(count)
        with django_assert_num_queries(4):  # + tags
            api_client.get(LIST_URL)


class TestCreate:
    def test_requires_authentication_unless_anonymous_snaps_are_allowed(self, api_client, settings):
        settings.SNAPS_ALLOW_ANONYMOUS = False
        response = api_client.post(LIST_URL, {"name": "a", "extension": "py", "content": "x"})
        assert response.status_code == 401
        assert not Snap.objects.exists()

    def test_creates_a_snap_owned_by_the_caller(self, auth_api_client, user):
        expires = timezone.now() + timedelta(days=2)
        response = auth_api_client.post(
            LIST_URL,
            {"name": "a", "extension": ".Py", "content": "  x = 1\n", "visibility": "unlisted",
             "expires_at": expires.isoformat()},
        )  # fmt: skip
        assert response.status_code == 201, response.json()
        snap = Snap.objects.get()
        assert (
            snap.user == user
            and snap.first_file.extension == "py"
            and snap.first_file.content == "  x = 1\n"
        )
        assert response.json()["hash_key"] == snap.hash_key
        assert response.json()["user"] == user.username

    def test_extension_and_language_are_optional_and_guessed(self, auth_api_client):
        response = auth_api_client.post(
            LIST_URL, {"name": "main.go", "content": "package main\n"}, format="json"
        )
        assert response.status_code == 201, response.json()
        assert (response.json()["language"], response.json()["extension"]) == ("go", "go")

    def test_language_is_normalised_to_its_alias(self, auth_api_client):
        response = auth_api_client.post(
            LIST_URL, {"name": "a", "language": "Rust", "content": "x"}, format="json"
        )
        assert response.status_code == 201, response.json()
        assert Snap.objects.get().first_file.language == "rust"

    def test_unknown_language_is_a_400(self, auth_api_client):
        response = auth_api_client.post(
            LIST_URL, {"name": "a", "language": "klingon", "content": "x"}, format="json"
        )
        assert response.status_code == 400
        assert response.json() == {"language": ["Unknown language."]}
        assert not Snap.objects.exists()

    def test_owner_and_key_cannot_be_forged(self, auth_api_client, user, other_user):
        response = auth_api_client.post(
            LIST_URL,
            {"name": "a", "extension": "py", "content": "x", "user": other_user.username,
             "hash_key": "f" * 40},
        )  # fmt: skip
        # Read-only fields are refused by name (project.serializers.StrictFieldsMixin).
        assert response.status_code == 400
        assert response.json() == {
            "user": ["This field is read-only."],
            "hash_key": ["This field is read-only."],
        }
        assert not Snap.objects.exists()

    @pytest.mark.parametrize(
        ("field", "value"),
        [("name", "n" * 129), ("extension", "e" * 13), ("extension", "../x"),
         ("content", ""), ("content", "   "), ("visibility", "secret"),
         ("expires_at", "2001-01-01T00:00:00Z"), ("expires_at", "not a date"), ("name", "a\nb")],
    )  # fmt: skip
    def test_bad_input_is_400_naming_the_field(self, auth_api_client, field, value):
        data = {"name": "a", "extension": "py", "content": "x"} | {field: value}
        response = auth_api_client.post(LIST_URL, data)
        assert response.status_code == 400
        assert field in response.json()
        assert not Snap.objects.exists()

    def test_oversized_content_is_400(self, auth_api_client, settings):
        settings.SNAPS_MAX_CONTENT_CHARS = 10
        response = auth_api_client.post(
            LIST_URL, {"name": "a", "extension": "py", "content": "x" * 11}
        )
        assert response.status_code == 400
        assert "too long" in response.json()["content"][0]

    def test_malformed_json_is_400(self, auth_api_client):
        response = auth_api_client.generic(
            "POST", LIST_URL, "{not json", content_type="application/json"
        )
        assert response.status_code == 400
        assert "detail" in response.json()


class TestUpdateDelete:
    def test_owner_updates(self, auth_api_client, user):
        snap = SnapFactory(user=user)
        response = auth_api_client.patch(
            detail_url(snap), {"name": "renamed", "visibility": "private"}
        )
        assert response.status_code == 200
        snap.refresh_from_db()
        assert snap.first_file.name == "renamed" and snap.visibility == "private"

    def test_other_user_gets_403_on_public_snap(self, auth_api_client):
        snap = SnapFactory()
        assert auth_api_client.patch(detail_url(snap), {"name": "x"}).status_code == 403
        assert auth_api_client.delete(detail_url(snap)).status_code == 403
        snap.refresh_from_db()
        assert snap.first_file.name != "x"

    def test_other_user_gets_404_on_private_snap(self, auth_api_client):
        snap = SnapFactory(private=True)
        assert auth_api_client.delete(detail_url(snap)).status_code == 404
        assert Snap.objects.filter(pk=snap.pk).exists()

    def test_owner_deletes(self, auth_api_client, user):
        snap = SnapFactory(user=user)
        assert auth_api_client.delete(detail_url(snap)).status_code == 204
        assert not Snap.objects.exists()

    def test_anonymous_cannot_delete(self, api_client):
        snap = SnapFactory()
        assert api_client.delete(detail_url(snap)).status_code == 401
        assert Snap.objects.filter(pk=snap.pk).exists()


class TestSchema:
    """X-Snap-Token is a documented header of exactly the operations that read it."""

    def test_the_token_header_is_on_the_operations_that_accept_it_only(self, api_client):
        schema = api_client.get("/api/schema/", {"format": "json"}).json()

        def takes_token(path: str, method: str) -> bool:
            parameters = schema["paths"][path][method].get("parameters", [])
            return any(p["in"] == "header" and p["name"] == "X-Snap-Token" for p in parameters)

        detail = "/api/v1/snaps/{hash_key}/"
        assert all(takes_token(detail, m) for m in ("get", "put", "patch", "delete"))
        header = next(
            p for p in schema["paths"][detail]["delete"]["parameters"] if p["in"] == "header"
        )
        assert header["schema"]["type"] == "string" and not header.get("required", False)
        others = [
            (path, method)
            for path, operations in schema["paths"].items()
            for method in operations
            if method in ("get", "put", "patch", "post", "delete") and path != detail
        ]
        assert ("/api/v1/snaps/", "post") in others
        assert [op for op in others if takes_token(*op)] == []
