import base64
import io
import re

import pytest
from django.core.files.storage import default_storage
from PIL import Image
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.factories import TEST_PASSWORD, UserFactory
from photos.models import Photo
from photos.services import photo_process, photo_upload
from photos.storage import originals_storage
from photos.tests.images import (
    GPS_IFD,
    ORIENTATION,
    exif_with_gps_and_orientation,
    image_bytes,
    png_claiming_size,
    upload,
)
from project.paginators import BoundedCountPaginator

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

PHOTOS = "/api/v1/photos/"


def stored_files() -> list[str]:
    return [
        name
        for storage in (default_storage, originals_storage())
        for folder in ("photos", "photos/thumbnails")
        for name in (storage.listdir(folder)[1] if storage.exists(folder) else [])
    ]


def basic(client: APIClient, username: str, password: str = TEST_PASSWORD) -> APIClient:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    client.credentials(HTTP_AUTHORIZATION=f"Basic {token}")
    return client


@pytest.fixture
def you(api_client):
    user = UserFactory(username="you")
    return basic(api_client, "you"), user


# --- the book's tests (ch. 5), ported -------------------------------------------------


class TestBookUsers:
    def test_create_user(self, api_client):
        # The book posted a form; the API takes JSON (one request type in the schema).
        fields = {"username": "you", "email": "you@example.com", "password": "foobar-long-enough"}
        form = api_client.post("/api/v1/users/", fields, format="multipart")
        assert form.status_code == 415
        assert "multipart/form-data" in form.json()["detail"]
        response = api_client.post("/api/v1/users/", fields, format="json")
        assert response.status_code == 201
        user = User.objects.get(username="you")
        assert response["Location"] == f"http://testserver/api/v1/users/{user.id}/"
        assert type(response["Location"]) is str
        assert response.json() == {
            "id": user.id, "username": "you", "email": "you@example.com",
            "date_joined": response.json()["date_joined"], "email_on_follow": True,
            "email_on_mention": True, "email_on_reply": True, "email_on_like": False,
            "unread_notifications": 0,
            "display_name": "", "bio": "", "website": "", "avatar": None,
        }  # fmt: skip
        assert user.check_password("foobar-long-enough")

    def test_create_invalid_user(self, api_client):
        response = api_client.post("/api/v1/users/", {"email": "you@example.com"})
        assert response.status_code == 400
        assert response.json()["username"] == ["This field is required."]

    def test_get_own_user_authenticated(self, api_client):
        authed = UserFactory(username="authed")
        response = basic(api_client, "authed").get(f"/api/v1/users/{authed.id}/")
        assert response.status_code == 200
        assert response.json()["id"] == authed.id

    def test_get_user_unauthenticated(self, api_client):
        authed = UserFactory()
        response = api_client.get(f"/api/v1/users/{authed.id}/")
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Basic")

    def test_get_other_user(self, api_client):
        # The book answered 403; 404 does not reveal that the account exists (issue 14).
        alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
        assert basic(api_client, "bob").get(f"/api/v1/users/{alice.id}/").status_code == 404
        assert basic(api_client, "alice").get(f"/api/v1/users/{bob.id}/").status_code == 404


class TestBookPhotos:
    def test_unauthenticated_upload(self, api_client):
        response = api_client.post(
            PHOTOS, {"file": upload(b"A test file.", "test.png")}, format="multipart"
        )
        assert response.status_code == 401
        assert not Photo.objects.exists()

    def test_authenticated_upload(self, you):
        client, user = you
        response = client.post(PHOTOS, {"photo": upload(image_bytes())}, format="multipart")
        assert response.status_code == 201
        photo = Photo.objects.get()
        assert response["Location"] == f"http://testserver/api/v1/photos/{photo.id}/"
        assert type(response["Location"]) is str  # wsgiref (runserver) insists on it
        assert photo.user == user

    def test_upload_with_comment(self, you):
        client, _ = you
        response = client.post(
            PHOTOS,
            {"photo": upload(image_bytes()), "comment": "What an inspiring photo!"},
            format="multipart",
        )
        assert response.status_code == 201
        assert response.json()["comment"] == "What an inspiring photo!"
        assert Photo.objects.get().comment == "What an inspiring photo!"


# --- users API beyond the book --------------------------------------------------------


class TestUsers:
    def test_duplicate_username_and_email_are_409(self, api_client):
        UserFactory(username="taken", email="taken@example.com")
        for data in (
            {"username": "TAKEN", "email": "new@example.com", "password": "a-good-password-1"},
            {"username": "fresh", "email": "Taken@Example.com", "password": "a-good-password-1"},
        ):
            response = api_client.post("/api/v1/users/", data)
            assert response.status_code == 409
            assert "already exists" in response.json()["detail"]
        assert User.objects.count() == 1

    @pytest.mark.parametrize(
        "data",
        [
            {
                "username": "ok",
                "email": "ok@example.com",
                "password": "a-good-password-1",
                "is_staff": True,
            },
            {"username": "ok", "email": "not-an-email", "password": "a-good-password-1"},
            {"username": "bad name!", "email": "ok@example.com", "password": "a-good-password-1"},
            {"username": "ok", "email": "ok@example.com", "password": "123"},
            {"username": "ok", "email": "ok@example.com"},
        ],
    )
    def test_bad_or_extra_fields_are_400(self, api_client, data):
        response = api_client.post("/api/v1/users/", data, format="json")
        assert response.status_code == 400
        assert not User.objects.filter(username="ok").exists()

    def test_extra_field_is_named(self, api_client):
        response = api_client.post(
            "/api/v1/users/",
            {
                "username": "ok",
                "email": "ok@example.com",
                "password": "a-good-password-1",
                "is_staff": True,
            },
            format="json",
        )
        assert response.json() == {"is_staff": ["Unknown field."]}

    def test_missing_user_is_404(self, you):
        client, _ = you
        assert client.get("/api/v1/users/999999/").status_code == 404

    def test_wrong_password_is_401(self, api_client, user):
        assert (
            basic(api_client, user.username, "wrong").get(f"/api/v1/users/{user.id}/").status_code
            == 401
        )

    def test_token_auth_works_too(self, api_client, user):
        from accounts.services import api_token_create

        key = api_token_create(user=user, name="test").key
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        assert api_client.get(f"/api/v1/users/{user.id}/").status_code == 200


# --- uploads --------------------------------------------------------------------------


class TestUpload:
    def test_response_fields_and_stored_file(self, you):
        client, _ = you
        response = client.post(
            PHOTOS,
            {"photo": upload(image_bytes(size=(900, 300)), "../../x.php")},
            format="multipart",
        )
        assert response.status_code == 201
        body = response.json()
        assert set(body) == {
            "id", "url", "page", "status", "error", "owner", "comment", "alt_text", "blurhash",
            "image", "image_webp", "display_width", "display_height",
            "thumbnail", "thumbnail_webp", "thumbnail_side",
            "original", "width", "height", "size", "sha256", "exif", "album", "created_on",
        }  # fmt: skip
        assert (body["width"], body["height"], body["owner"], body["comment"]) == (
            900,
            300,
            "you",
            "",
        )
        photo = Photo.objects.get()
        # Stored as it came, privately; nothing is served until the worker made the files.
        assert re.fullmatch(r"photos/[0-9a-f]{32}\.png", photo.original.name)
        assert originals_storage().exists(photo.original.name)
        assert not default_storage.exists(photo.original.name)
        assert body["status"] == "processing"
        assert body["image"] is body["thumbnail"] is body["image_webp"] is None
        assert body["page"] == f"http://testserver/photos/{photo.pk}/"
        assert body["original"] == f"http://testserver/api/v1/photos/{photo.pk}/original/"

    def test_processed_at_commit_into_square_thumbnail_and_display_size(
        self, you, django_capture_on_commit_callbacks
    ):
        client, _ = you
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                PHOTOS,
                {"photo": upload(image_bytes("JPEG", size=(2400, 1200)), "big.jpg")},
                format="multipart",
            )
        assert response.json()["status"] == "processing"  # the request only stored it
        body = client.get(response["Location"]).json()  # processed after the commit
        assert body["status"] == "ready"
        assert (body["display_width"], body["display_height"], body["thumbnail_side"]) == (
            1920, 960, 640,
        )  # fmt: skip
        assert body["blurhash"]
        photo = Photo.objects.get()
        for name, fmt, size in [
            (photo.thumbnail.name, "JPEG", (640, 640)),
            (photo.thumbnail_webp.name, "WEBP", (640, 640)),
            (photo.image.name, "JPEG", (1920, 960)),
            (photo.image_webp.name, "WEBP", (1920, 960)),
        ]:
            with default_storage.open(name) as stored, Image.open(stored) as served:
                assert (served.format, served.size) == (fmt, size)

    def test_format_comes_from_content_not_name(self, you):
        client, _ = you
        response = client.post(
            PHOTOS, {"photo": upload(image_bytes("JPEG"), "cat.png")}, format="multipart"
        )
        assert response.status_code == 201
        assert Photo.objects.get().original.name.endswith(".jpg")

    def test_exif_orientation_applied_and_gps_stripped_from_every_served_file(
        self, you, django_capture_on_commit_callbacks
    ):
        client, _ = you
        data = image_bytes("JPEG", size=(40, 20), exif=exif_with_gps_and_orientation(6))
        with Image.open(io.BytesIO(data)) as original:
            assert original.getexif().get_ifd(GPS_IFD)  # the test image really has GPS data
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(PHOTOS, {"photo": upload(data, "gps.jpg")}, format="multipart")
        body = client.get(response["Location"]).json()
        assert (body["width"], body["height"]) == (20, 40)
        photo = Photo.objects.get()
        for field in (photo.image, photo.image_webp, photo.thumbnail, photo.thumbnail_webp):
            with default_storage.open(field.name) as stored, Image.open(stored) as image:
                exif = image.getexif()
                assert ORIENTATION not in exif
                assert not exif.get_ifd(GPS_IFD)
                assert not image.info.get("exif") and not image.info.get("xmp")
        assert (photo.display_width, photo.display_height) == (20, 40)
        # Only the owner gets the original back, GPS and all.
        original = client.get(body["original"])
        assert original.status_code == 200
        assert b"".join(original.streaming_content) == data
        assert "attachment" in original["Content-Disposition"]

    @pytest.mark.parametrize("fmt", ["PNG", "GIF", "WEBP"])
    def test_other_allowed_formats(self, you, fmt):
        client, _ = you
        response = client.post(
            PHOTOS, {"photo": upload(image_bytes(fmt), f"x.{fmt.lower()}")}, format="multipart"
        )
        assert response.status_code == 201

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"A test file.", "not a JPEG, PNG, GIF, WebP, AVIF or HEIC"),
            (b"", "empty"),
            (image_bytes("JPEG", size=(64, 64))[:100], "truncated or corrupt"),
            (image_bytes("BMP"), "Unsupported image type BMP"),
            (image_bytes("TIFF"), "Unsupported image type TIFF"),
            (png_claiming_size(100_000, 100_000), "too large"),
        ],
        ids=["not-an-image", "empty", "truncated", "bmp", "tiff", "decompression-bomb"],
    )
    def test_bad_files_are_400_with_a_clear_message(self, you, data, message):
        client, _ = you
        response = client.post(PHOTOS, {"photo": upload(data, "x.png")}, format="multipart")
        assert response.status_code == 400
        assert message in " ".join(response.json()["photo"])
        assert not Photo.objects.exists()
        assert stored_files() == []

    def test_oversized_file_is_400(self, you, settings):
        settings.PHOTOS_MAX_UPLOAD_BYTES = 1000
        client, _ = you
        response = client.post(
            PHOTOS, {"photo": upload(b"\x89PNG" + b"0" * 5000)}, format="multipart"
        )
        assert response.status_code == 400
        assert "larger than 0.001 MB" in response.json()["photo"][0]

    def test_body_far_over_the_limit_is_refused_before_reading(self, you, settings):
        settings.PHOTOS_MAX_UPLOAD_BYTES = 1000
        client, _ = you
        response = client.post(
            PHOTOS, {"photo": upload(b"\x89PNG" + b"0" * 100_000)}, format="multipart"
        )
        assert response.status_code == 400
        assert response.json() == {"photo": ["The photo is larger than 0.001 MB."]}
        assert not Photo.objects.exists()

    def test_pixel_limit_is_400(self, you, settings):
        settings.PHOTOS_MAX_PIXELS = 100
        client, _ = you
        response = client.post(
            PHOTOS, {"photo": upload(image_bytes(size=(20, 20)))}, format="multipart"
        )
        assert response.status_code == 400
        assert "too large: 20x20 pixels" in response.json()["photo"][0]

    def test_missing_photo_and_unknown_field_are_400(self, you):
        client, _ = you
        assert client.post(PHOTOS, {"comment": "no file"}, format="multipart").json()["photo"]
        response = client.post(
            PHOTOS, {"photo": upload(image_bytes()), "user": 1}, format="multipart"
        )
        assert response.json() == {"user": ["Unknown field."]}
        assert not Photo.objects.exists()

    def test_json_body_is_415(self, you):
        client, _ = you
        assert client.post(PHOTOS, {"photo": "x"}, format="json").status_code == 415

    def test_database_failure_leaves_no_orphan_file(self, user, monkeypatch):
        from django.db import DatabaseError

        def fail(*args, **kwargs):
            raise DatabaseError("down")

        monkeypatch.setattr(Photo, "save", fail)
        with pytest.raises(DatabaseError):
            photo_upload(user=user, file=upload(image_bytes()))
        assert stored_files() == []


# --- reading and deleting -------------------------------------------------------------


def make_photos(user, count: int, *, process: bool = True) -> list[Photo]:
    """Uploaded and (unless told otherwise) processed, as the worker would."""
    photos = [
        photo_upload(user=user, file=upload(image_bytes()), comment=f"#{i}") for i in range(count)
    ]
    if process:
        for photo in photos:
            photo_process(photo_id=photo.pk)
            photo.refresh_from_db()
    return photos


class TestList:
    def test_anonymous_is_401(self, api_client):
        assert api_client.get(PHOTOS).status_code == 401

    def test_only_own_newest_first_with_page_and_limit(self, you):
        client, user = you
        mine = make_photos(user, 5)
        make_photos(UserFactory(), 2)
        body = client.get(PHOTOS, {"limit": 2, "page": 2}).json()
        assert (body["count"], body["count_is_lower_bound"]) == (5, False)
        assert [p["id"] for p in body["results"]] == [mine[2].id, mine[1].id]
        assert "page=3" in body["next"]

    def test_page_past_the_end_is_404_json(self, you):
        client, user = you
        make_photos(user, 1)
        response = client.get(PHOTOS, {"page": 9})
        assert response.status_code == 404
        assert response.json()["detail"]

    @pytest.mark.parametrize("count", [1, 12])
    def test_query_count_is_fixed(self, you, django_assert_num_queries, count):
        client, user = you
        make_photos(user, count)
        with django_assert_num_queries(4):  # basic-auth user, its two-factor check, count, page
            client.get(PHOTOS)

    def test_a_long_stream_is_counted_only_past_the_page(self, you, monkeypatch):
        client, user = you
        Photo.objects.bulk_create(
            Photo(user=user, image=f"photos/{i}.jpg", width=1, height=1, size=1, sha256=f"{i:064x}")
            for i in range(30)
        )
        monkeypatch.setattr(BoundedCountPaginator, "count_ahead", 5)
        first = client.get(PHOTOS, {"limit": 10}).json()
        assert (first["count"], first["count_is_lower_bound"]) == (15, True)
        last = client.get(PHOTOS, {"limit": 10, "page": 3}).json()
        assert (len(last["results"]), last["next"]) == (10, None)
        assert (last["count"], last["count_is_lower_bound"]) == (30, False)

    def test_user_stream(self, you):
        client, _ = you
        other = UserFactory(username="other")
        theirs = make_photos(other, 2)
        body = client.get("/api/v1/users/other/photos/").json()
        assert [p["id"] for p in body["results"]] == [theirs[1].id, theirs[0].id]
        assert client.get("/api/v1/users/ghost/photos/").status_code == 404


class TestListCache:
    """A cached page of photos is served until one of them changes, then never again."""

    @staticmethod
    def ids(client, url=PHOTOS) -> list[int]:
        return [photo["id"] for photo in client.get(url).json()["results"]]

    def test_repeat_read_needs_only_the_login(self, you, django_assert_num_queries):
        client, user = you
        make_photos(user, 3)
        client.get(PHOTOS)
        with django_assert_num_queries(2):  # basic auth checks the password (and 2FA) every time
            assert len(self.ids(client)) == 3

    def test_upload_delete_and_thumbnail_show_at_once(
        self, you, django_capture_on_commit_callbacks
    ):
        client, _ = you
        assert self.ids(client) == []
        response = client.post(PHOTOS, {"photo": upload(image_bytes())}, format="multipart")
        photo_id = response.json()["id"]
        assert self.ids(client) == [photo_id]
        assert client.get(PHOTOS).json()["results"][0]["thumbnail"] is None
        with django_capture_on_commit_callbacks(execute=True):
            photo_process(photo_id=photo_id)
        assert client.get(PHOTOS).json()["results"][0]["thumbnail"]
        assert client.delete(f"{PHOTOS}{photo_id}/").status_code == 204
        assert self.ids(client) == []

    def test_user_stream_follows_changes_too(self, you):
        client, _ = you
        other = UserFactory(username="other")
        assert self.ids(client, "/api/v1/users/other/photos/") == []
        (theirs,) = make_photos(other, 1)
        assert self.ids(client, "/api/v1/users/other/photos/") == [theirs.id]

    def test_renamed_owner_shows_at_once(self, you):
        client, user = you
        make_photos(user, 1)
        client.get(PHOTOS)
        user.username = "renamed"
        user.save()
        basic(client, "renamed")
        assert client.get(PHOTOS).json()["results"][0]["owner"] == "renamed"

    def test_other_owners_keep_their_cache(self, you, django_assert_num_queries):
        client, _ = you
        client.get(PHOTOS)
        make_photos(UserFactory(), 1)
        with django_assert_num_queries(2):  # basic auth: user + two-factor check
            assert self.ids(client) == []


class TestDetailAndDelete:
    def test_retrieve_own(self, you):
        client, user = you
        (photo,) = make_photos(user, 1)
        assert client.get(f"{PHOTOS}{photo.id}/").json()["id"] == photo.id

    def test_others_photo_is_404_and_untouched(self, you):
        client, _ = you
        (photo,) = make_photos(UserFactory(), 1)
        assert client.get(f"{PHOTOS}{photo.id}/").status_code == 404
        assert client.delete(f"{PHOTOS}{photo.id}/").status_code == 404
        assert client.get(f"{PHOTOS}{photo.id}/original/").status_code == 404
        assert default_storage.exists(photo.image.name)
        assert Photo.objects.filter(pk=photo.pk).exists()

    def test_delete_own_removes_files(self, you, django_capture_on_commit_callbacks):
        client, user = you
        with django_capture_on_commit_callbacks(execute=True):
            (photo,) = make_photos(user, 1)
        assert len(stored_files()) == 5  # original, two display files, two thumbnails
        with django_capture_on_commit_callbacks(execute=True):
            assert client.delete(f"{PHOTOS}{photo.id}/").status_code == 204
        assert not Photo.objects.exists()
        assert stored_files() == []

    def test_patch_is_405(self, you):
        client, user = you
        (photo,) = make_photos(user, 1)
        assert client.patch(f"{PHOTOS}{photo.id}/", {"comment": "x"}).status_code == 405

    def test_unknown_version_is_404(self, you):
        client, _ = you
        assert client.get("/api/v2/photos/").status_code == 404
