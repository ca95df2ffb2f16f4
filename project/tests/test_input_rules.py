"""The answers hostile input gets, one rule at a time (test_hostile_input.py sweeps every
route for the absence of 5xx; this pins what the 4xx say)."""

import json

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.settings import patched_settings
from rest_framework.test import APIClient

from accounts.tests.factories import TEST_PASSWORD, UserFactory
from photos.models import Album, Photo
from photos.tests.images import image_bytes, upload
from recipes.models import CrossPost
from recipes.tests.factories import RecipeFactory
from snaps.tests.factories import SnapFactory
from social.tests.factories import PostFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

HUGE = 99999999999999999999


@pytest.fixture
def owner_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


class TestUnstorableCharacters:
    @pytest.mark.parametrize(
        "url",
        ["/api/v1/snaps/?search=a%00b", "/api/v1/users/a%00b/followers/", "/api/v1/?x=%00"],
    )
    def test_api_answers_json_400(self, client, url):
        response = client.get(url)
        assert response.status_code == 400
        assert "NUL" in response.json()["detail"]

    def test_web_page_answers_a_400_page(self, client):
        response = client.get("/snaps/u/a%00b/")
        assert response.status_code == 400
        assert b"Bad request" in response.content and b"NUL" in response.content

    def test_form_value_with_nul_is_refused_before_the_database(self, owner_client):
        response = owner_client.post("/recipes/new/", {"title": "a\x00b", "servings": 1})
        assert response.status_code == 400

    def test_cookie_with_octal_nul_is_refused(self, client):
        client.cookies["sessionid"] = "x"
        response = client.get("/", HTTP_COOKIE='sessionid="abcdefgh\\000ijkl"')
        assert response.status_code == 400

    @pytest.mark.parametrize("value", ["a\x00b", "\ud800", "ok\udfffok"])
    def test_json_strings_with_nul_or_lone_surrogate(self, auth_api_client, value):
        body = json.dumps({"content": value})  # json.dumps writes the \\u escapes
        response = auth_api_client.post("/api/v1/posts/", body, content_type="application/json")
        assert response.status_code == 400
        assert "lone surrogate" in response.json()["detail"]

    def test_surrogate_bytes_in_the_query_are_replaced_not_stored(self, client):
        # %ED%A0%80 is not UTF-8: Django decodes it to U+FFFD, which PostgreSQL stores.
        assert client.get("/api/v1/snaps/?search=%ED%A0%80").status_code == 200

    def test_multipart_upload_with_nul_is_refused_by_the_parser(self, auth_api_client):
        # The API's one multipart operation: the middleware leaves /api/ bodies to the
        # parsers, so the upload's own parser must refuse NUL in a form value.
        response = auth_api_client.post(
            "/api/v1/photos/",
            {"photo": upload(image_bytes()), "comment": "a\x00b"},
            format="multipart",
        )
        assert response.status_code == 400
        assert "NUL" in response.json()["detail"]

    def test_basic_auth_username_with_nul_is_a_401(self, client):
        import base64

        credentials = base64.b64encode(b"a\x00b:password").decode()
        response = client.get("/api/v1/users/me/", HTTP_AUTHORIZATION=f"Basic {credentials}")
        assert response.status_code == 401


class TestJsonDepth:
    def test_deep_nesting_is_a_400_naming_the_limit(self, auth_api_client, settings):
        body = "[" * 100_000 + "]" * 100_000
        response = auth_api_client.post("/api/v1/posts/", body, content_type="application/json")
        assert response.status_code == 400
        assert f"deeper than {settings.API_JSON_MAX_DEPTH}" in response.json()["detail"]

    def test_just_past_the_limit_is_refused_and_at_it_accepted(self, auth_api_client, settings):
        settings.API_JSON_MAX_DEPTH = 4
        too_deep = {"content": [[[["x"]]]]}  # object + 4 lists = 5 levels
        at_limit = {"content": [[["x"]]]}
        post = auth_api_client.post
        assert "deeper" in post("/api/v1/posts/", too_deep, format="json").json()["detail"]
        # At the limit the parser lets it through and the serializer judges the value.
        assert post("/api/v1/posts/", at_limit, format="json").json() == {
            "content": ["Not a valid string."]
        }


class TestCharset:
    @pytest.mark.parametrize("charset", ["x-unknown", "zlib", "base64"])
    def test_undecodable_charset_is_a_400(self, client, charset):
        # generic(): post() would itself encode the body with the declared charset.
        response = client.generic(
            "POST",
            "/api/v1/users/",
            b"username=a",
            content_type=f"application/x-www-form-urlencoded; charset={charset}",
        )
        assert response.status_code == 400
        assert "Unsupported charset" in response.json()["detail"]

    def test_form_in_another_text_charset_is_a_400(self, client):
        response = client.post(
            "/accounts/login/",
            "login=a",
            content_type="application/x-www-form-urlencoded; charset=utf-16",
        )
        assert response.status_code == 400


class TestDuplicatesAndNumbers:
    def test_duplicate_networks_make_one_crosspost_each(self, auth_api_client, user, settings):
        settings.FACEBOOK_PAGE_ID, settings.FACEBOOK_PAGE_TOKEN = "1", "token"
        body = {
            "title": "Soup",
            "ingredients": "water",
            "instructions": "boil",
            "servings": 2,
            "share_on": ["facebook", "facebook"],
        }
        response = auth_api_client.post("/api/v1/recipes/", body, format="json")
        assert response.status_code == 201, response.json()
        assert CrossPost.objects.filter(recipe_id=response.json()["id"]).count() == 1

    @pytest.mark.parametrize(
        "url",
        [
            f"/api/v1/users/{HUGE}/",
            f"/api/v1/recipes/{HUGE}/",
            f"/api/v1/posts/{HUGE}/",
            f"/api/v1/photos/{HUGE}/",
            f"/api/v1/repositories/{HUGE}/issues/",
            f"/recipes/{HUGE}/",
        ],
    )
    def test_ids_past_bigint_are_404(self, auth_api_client, url):
        assert auth_api_client.get(url).status_code == 404

    def test_integer_body_fields_out_of_range_are_field_errors(self, auth_api_client):
        body = {"title": "T", "ingredients": "i", "instructions": "s"}
        body |= {"servings": HUGE, "total_time_minutes": -HUGE}
        response = auth_api_client.post("/api/v1/recipes/", body, format="json")
        assert response.status_code == 400
        assert set(response.json()) == {"servings", "total_time_minutes"}

    @pytest.mark.parametrize("query", [f"servings={HUGE}", f"total_time_minutes__lte=-{HUGE}"])
    def test_integer_filters_out_of_range_answer_no_5xx(self, api_client, query):
        RecipeFactory()
        response = api_client.get(f"/api/v1/recipes/?{query}")
        assert response.status_code in (200, 400)
        if response.status_code == 200:
            assert response.json()["results"] == []


class TestPaging:
    @pytest.fixture(autouse=True)
    def snaps(self, db):
        SnapFactory.create_batch(3)

    @pytest.mark.parametrize("page", ["abc", "0", "-1", str(HUGE), "1.5", "99"])
    def test_invalid_page_is_drf_404(self, api_client, page):
        response = api_client.get(f"/api/v1/snaps/?page={page}")
        assert response.status_code == 404
        assert response.json() == {"detail": "Invalid page."}

    @pytest.mark.parametrize(("size", "expected"), [("1000", 100), (str(HUGE), 100), ("7", 7)])
    def test_page_size_is_clamped(self, api_client, size, expected):
        SnapFactory.create_batch(120)
        response = api_client.get(f"/api/v1/snaps/?page_size={size}")
        assert response.status_code == 200
        assert len(response.json()["results"]) == expected

    @pytest.mark.parametrize("size", ["abc", "-5", "0", "1.5", ""])
    def test_page_size_that_is_no_whole_number_from_1_is_a_400(self, api_client, size):
        response = api_client.get(f"/api/v1/snaps/?page_size={size}")
        assert response.status_code == 400
        assert list(response.json()) == ["page_size"]

    def test_web_list_with_bad_page_is_404(self, client):
        assert client.get("/snaps/?page=abc").status_code == 404
        assert client.get(f"/snaps/?page={HUGE}").status_code == 404

    def test_schema_states_the_paging_rules(self):
        schema = SchemaGenerator().get_schema(request=None, public=True)
        parameters = {p["name"]: p for p in schema["paths"]["/api/v1/snaps/"]["get"]["parameters"]}
        assert parameters["page"]["schema"] == {"type": "integer", "minimum": 1}
        assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1}
        assert "Invalid page." in parameters["page"]["description"]
        assert "clamped to 100" in parameters["page_size"]["description"]
        assert "is a 400" in parameters["page_size"]["description"]


def _valid_bodies(user) -> dict[tuple[str, str], tuple[str, dict]]:
    """(schema path, method) -> (URL, a valid body) for every API operation with a body."""
    snap, recipe = SnapFactory(user=user), RecipeFactory(user=user)
    post = PostFactory(user=user)
    recipe_body = {"title": "T", "ingredients": "i", "instructions": "s", "servings": 1}
    snap_body = {"name": "n", "extension": "py", "content": "x = 1\n"}
    album = Album.objects.create(user=user, title="Trip")
    photo = Photo.objects.create(
        user=user, image="photos/x.jpg", width=1, height=1, size=1, sha256="a" * 64,
        status=Photo.Status.READY,
    )  # fmt: skip
    return {
        ("/api/v1/auth/token/", "post"): (
            "/api/v1/auth/token/",
            {"username": user.username, "password": TEST_PASSWORD},
        ),
        ("/api/v1/users/", "post"): (
            "/api/v1/users/",
            {"username": "fresh", "email": "fresh@example.com", "password": "a-long-pass-phrase-7"},
        ),
        ("/api/v1/snaps/", "post"): ("/api/v1/snaps/", snap_body),
        ("/api/v1/snaps/{hash_key}/", "put"): (f"/api/v1/snaps/{snap.hash_key}/", snap_body),
        ("/api/v1/snaps/{hash_key}/", "patch"): (f"/api/v1/snaps/{snap.hash_key}/", {"name": "m"}),
        ("/api/v1/snaps/{hash_key}/fork/", "post"): (
            f"/api/v1/snaps/{snap.hash_key}/fork/",
            {"name": "forked"},
        ),
        ("/api/v1/posts/", "post"): ("/api/v1/posts/", {"content": "hello"}),
        ("/api/v1/posts/{id}/", "patch"): (f"/api/v1/posts/{post.pk}/", {"content": "edited"}),
        ("/api/v1/recipes/", "post"): ("/api/v1/recipes/", recipe_body),
        ("/api/v1/recipes/{id}/", "put"): (f"/api/v1/recipes/{recipe.pk}/", recipe_body),
        ("/api/v1/recipes/{id}/", "patch"): (f"/api/v1/recipes/{recipe.pk}/", {"title": "U"}),
        ("/api/v1/photos/", "post"): ("/api/v1/photos/", {"comment": "c"}),
        **_recipe_bodies(user),
        ("/api/v1/users/me/", "patch"): ("/api/v1/users/me/", {"email_on_follow": False}),
        ("/api/v1/users/me/avatar/", "put"): ("/api/v1/users/me/avatar/", {}),
        ("/api/v1/users/me/deletion/", "post"): (
            "/api/v1/users/me/deletion/",
            {"password": TEST_PASSWORD},
        ),
        ("/api/v1/tokens/", "post"): ("/api/v1/tokens/", {"name": "ci"}),
        ("/api/v1/albums/", "post"): ("/api/v1/albums/", {"title": "New"}),
        ("/api/v1/albums/{id}/", "patch"): (f"/api/v1/albums/{album.pk}/", {"title": "Renamed"}),
        ("/api/v1/albums/{id}/photos/", "post"): (
            f"/api/v1/albums/{album.pk}/photos/",
            {"photo": photo.pk},
        ),
        ("/api/v1/albums/{id}/order/", "put"): (
            f"/api/v1/albums/{album.pk}/order/",
            {"photos": []},
        ),
        # Direct-to-S3 uploads: the body is checked before S3 is (a 404 without it).
        ("/api/v1/photos/uploads/", "post"): ("/api/v1/photos/uploads/", {"size": 100}),
        ("/api/v1/photos/uploads/confirm/", "post"): (
            "/api/v1/photos/uploads/confirm/",
            {"key": f"originals/incoming/{user.pk}/x.jpg"},
        ),
    }


def _recipe_bodies(user) -> dict[tuple[str, str], tuple[str, dict]]:
    from recipes.services import shopping_list_create

    theirs, mine = RecipeFactory(), RecipeFactory(user=user)
    shopping = shopping_list_create(user=user, recipes=[(theirs, 2)])
    item = shopping.items.first()
    return {
        ("/api/v1/recipes/{id}/rating/", "post"): (
            f"/api/v1/recipes/{theirs.pk}/rating/",
            {"stars": 4},
        ),
        ("/api/v1/recipes/{id}/cooked/", "post"): (f"/api/v1/recipes/{theirs.pk}/cooked/", {}),
        ("/api/v1/recipes/import/", "post"): ("/api/v1/recipes/import/", {"paste": "{}"}),
        ("/api/v1/shopping-lists/", "post"): ("/api/v1/shopping-lists/", {"name": "n"}),
        ("/api/v1/shopping-lists/{id}/recipes/", "post"): (
            f"/api/v1/shopping-lists/{shopping.pk}/recipes/",
            {"recipe": theirs.pk, "servings": 2},
        ),
        ("/api/v1/shopping-lists/{id}/items/{item_id}/", "patch"): (
            f"/api/v1/shopping-lists/{shopping.pk}/items/{item.pk}/",
            {"checked": True},
        ),
        ("/api/v1/recipes/{id}/image/", "post"): (f"/api/v1/recipes/{mine.pk}/image/", {}),
        ("/api/v1/recipes/{id}/steps/{number}/image/", "post"): (
            f"/api/v1/recipes/{mine.pk}/steps/1/image/",
            {},
        ),
    }


def _operations_with_a_body(schema) -> set[tuple[str, str]]:
    return {
        (path, method)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "requestBody" in operation
    }


class TestUnknownFields:
    def test_every_request_schema_forbids_unknown_fields(self):
        # With request components split from responses (as the generated clients use).
        with patched_settings({"COMPONENT_SPLIT_REQUEST": True}):
            schema = SchemaGenerator().get_schema(request=None, public=True)
        components = schema["components"]["schemas"]
        for path, method in _operations_with_a_body(schema):
            for media in schema["paths"][path][method]["requestBody"]["content"].values():
                name = media["schema"]["$ref"].rsplit("/", 1)[-1]
                assert components[name].get("additionalProperties") is False, (path, method)

    def test_every_write_rejects_unknown_fields_naming_them(self, user):
        schema = SchemaGenerator().get_schema(request=None, public=True)
        bodies = _valid_bodies(user)
        assert _operations_with_a_body(schema) == set(bodies), "add a valid body for new writes"
        client = APIClient()
        client.force_authenticate(user)
        for (_, method), (url, body) in bodies.items():
            body = {**body, "zz_unknown": 1, "created_on": "2020-01-01"}
            if url == "/api/v1/photos/" or url.endswith("/image/"):
                body["photo" if url == "/api/v1/photos/" else "image"] = upload(image_bytes())
                response = client.post(url, body, format="multipart")
            elif url == "/api/v1/users/me/avatar/":
                body["avatar"] = upload(image_bytes())
                response = client.put(url, body, format="multipart")
            else:
                response = getattr(client, method)(url, body, format="json")
            assert response.status_code == 400, (method, url, response.content)
            errors = response.json()
            assert errors.get("zz_unknown") == ["Unknown field."], (method, url, errors)

    def test_unknown_and_invalid_fields_are_reported_together(self, auth_api_client):
        response = auth_api_client.post(
            "/api/v1/recipes/", {"title": "", "colour": "red"}, format="json"
        )
        assert response.status_code == 400
        errors = response.json()
        assert errors["colour"] == ["Unknown field."]
        assert errors["title"] == ["This field may not be blank."]
        # `ingredients` or `ingredient_rows`: which one is missing is known after the fields
        missing = auth_api_client.post("/api/v1/recipes/", {"title": "t"}, format="json")
        assert "ingredients" in missing.json()

    def test_read_only_field_is_named_as_such(self, auth_api_client, user):
        post = PostFactory(user=user)
        response = auth_api_client.post("/api/v1/posts/", {"content": "x", "id": post.pk})
        assert response.json() == {"id": ["This field is read-only."]}

    def test_blank_required_values_are_field_errors(self, client):
        blank = {"username": "", "email": "", "password": ""}
        response = client.post("/api/v1/users/", blank, content_type="application/json")
        assert response.status_code == 400
        assert set(response.json()) == {"username", "email", "password"}


class TestLongInput:
    def test_long_query_string_is_414(self, client, settings):
        response = client.get("/api/v1/snaps/?q=" + "x" * (settings.REQUEST_MAX_QUERY_STRING_CHARS))
        assert response.status_code == 414
        assert response.json() == {"detail": "The query string is too long."}

    def test_long_header_is_431(self, client):
        response = client.get("/snaps/", HTTP_USER_AGENT="x" * 100_000)
        assert response.status_code == 431

    def test_normal_sized_input_passes(self, client):
        UserFactory()
        assert client.get("/api/v1/snaps/?search=" + "x" * 200).status_code == 200  # the cap


class TestBodySize:
    @pytest.mark.parametrize("length", ["abc", "-5", str(HUGE)])
    def test_odd_content_length_is_no_5xx(self, client, length):
        for url in ("/api/v1/users/", "/accounts/login/"):
            response = client.generic(
                "POST",
                url,
                b"username=a",
                content_type="application/x-www-form-urlencoded",
                CONTENT_LENGTH=length,
            )
            assert response.status_code < 500, (url, length)

    def test_body_past_the_upload_limit_is_a_4xx(self, client, settings):
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
        body = json.dumps({"content": "x" * 2000})
        for url in ("/api/v1/posts/", "/api/v1/users/"):
            assert 400 <= client.post(url, body, content_type="application/json").status_code < 500
        form = {"login": "x" * 2000, "password": "p"}
        assert client.post("/accounts/login/", form).status_code == 413
