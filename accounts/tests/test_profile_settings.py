"""Profiles: display name, bio, website and avatar, on the web and through the API."""

from io import BytesIO

import pytest
from django.urls import reverse
from PIL import Image
from pytest_django.asserts import assertContains, assertNotContains

from accounts.tests.factories import UserFactory
from photos.albums import album_add_photo, album_create
from photos.services import photo_upload
from photos.tests.images import exif_with_gps_and_orientation, image_bytes, upload
from recipes.tests.factories import RecipeFactory
from snaps.tests.factories import SnapFactory
from social.tests.factories import PostFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def big_jpeg_with_gps() -> bytes:
    return image_bytes("JPEG", size=(1200, 900), exif=exif_with_gps_and_orientation(1))


class TestProfileSettingsPage:
    def test_saves_profile_and_avatar_resized_without_metadata(self, client, user):
        client.force_login(user)
        response = client.post(
            reverse("account-profile"),
            {
                "display_name": "  Ada L.  ",
                "bio": "Counts things.",
                "website": "https://ada.example/",
                "avatar": upload(big_jpeg_with_gps(), "me.jpg", "image/jpeg"),
            },
        )
        assert response.status_code == 302
        user.refresh_from_db()
        assert (user.display_name, user.bio, user.website) == (
            "Ada L.",
            "Counts things.",
            "https://ada.example/",
        )
        with user.avatar.open("rb") as stored, Image.open(stored) as image:
            assert max(image.size) == 640
            assert not image.getexif()
        assert "me" not in user.avatar.name  # a random name, never the client's

    def test_refuses_unsafe_website_and_keeps_the_old_profile(self, client, user):
        client.force_login(user)
        response = client.post(
            reverse("account-profile"),
            {"display_name": "Eve", "bio": "", "website": "javascript:alert(1)"},
        )
        assert response.status_code == 200
        assert response.context["form"].errors["website"]
        user.refresh_from_db()
        assert user.display_name == "" and user.website == ""

    def test_refuses_a_file_that_is_not_an_image(self, client, user):
        client.force_login(user)
        response = client.post(
            reverse("account-profile"),
            {"display_name": "", "bio": "", "website": "", "avatar": upload(b"GIF89a nope")},
        )
        assert response.status_code == 200
        assert response.context["form"].errors["avatar"]
        user.refresh_from_db()
        assert not user.avatar

    def test_replacing_the_avatar_removes_the_old_file(
        self, client, user, django_capture_on_commit_callbacks
    ):
        client.force_login(user)
        fields = {"display_name": "", "bio": "", "website": ""}
        client.post(reverse("account-profile"), {**fields, "avatar": upload(image_bytes())})
        user.refresh_from_db()
        old = user.avatar.name
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("account-profile"), {**fields, "avatar": upload(image_bytes())})
        user.refresh_from_db()
        assert user.avatar.name != old
        assert not user.avatar.storage.exists(old)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("account-profile"), {**fields, "remove_avatar": "on"})
        user.refresh_from_db()
        assert not user.avatar

    def test_needs_login(self, client):
        response = client.get(reverse("account-profile"))
        assert response.status_code == 302 and reverse("account_login") in response["Location"]


class TestUserChip:
    def test_apps_show_display_name_and_avatar_linking_to_the_profile(
        self, client, user, django_capture_on_commit_callbacks
    ):
        user.display_name = "Grace H."
        user.save()
        SnapFactory(user=user, name="chip_snap")
        PostFactory(user=user, content="chip post")
        recipe = RecipeFactory(user=user, title="Chip pie")
        with django_capture_on_commit_callbacks(execute=True):  # processed in the worker
            photo = photo_upload(user=user, file=upload(image_bytes("PNG", size=(40, 30))))
        album = album_create(user=user, title="Chips")
        album_add_photo(album=album, photo=photo, by=user)
        profile_url = reverse("profile", args=[user.username])
        client.force_login(UserFactory())  # photos are for members
        for url in (
            reverse("home"),
            reverse("snaps:list"),
            recipe.get_absolute_url(),
            reverse("recipes:list"),
            photo.get_absolute_url(),
            album.get_absolute_url(),
            reverse("photos:stream"),
        ):
            response = client.get(url)
            assertContains(response, "Grace H.", msg_prefix=url)
            assertContains(response, f'href="{profile_url}"', msg_prefix=url)
        for url in (reverse("profile", args=[user.username]), reverse("social:people")):
            assertContains(client.get(url), "Grace H.", msg_prefix=url)

    def test_profile_page_shows_bio_and_only_safe_website(self, client, user):
        user.bio = "Hello <b>there</b>"
        user.website = "https://grace.example/"
        user.save()
        response = client.get(reverse("profile", args=[user.username]))
        assertContains(response, "Hello &lt;b&gt;there&lt;/b&gt;")
        assertContains(response, 'href="https://grace.example/"')
        user.website = "javascript:alert(1)"  # e.g. written by the admin
        user.save()
        assertNotContains(client.get(reverse("profile", args=[user.username])), "javascript:")

    def test_snap_list_query_count_does_not_grow_with_authors(self, client):
        def queries() -> int:
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as captured:
                assert client.get(reverse("snaps:list")).status_code == 200
            return len(captured)

        for _ in range(2):
            SnapFactory(user=UserFactory(display_name="someone", avatar="avatars/a.png"))
        few = queries()
        for _ in range(8):
            SnapFactory(user=UserFactory(display_name="someone", avatar="avatars/a.png"))
        assert queries() == few


class TestMeApi:
    def test_get_and_patch_profile_fields(self, api_client, user):
        api_client.force_authenticate(user)
        response = api_client.patch(
            "/api/v1/users/me/",
            {"display_name": "Ada", "bio": "Hi", "website": "https://ada.example/"},
        )
        assert response.status_code == 200, response.json()
        body = response.json()
        assert (body["display_name"], body["bio"], body["website"], body["avatar"]) == (
            "Ada",
            "Hi",
            "https://ada.example/",
            None,
        )
        assert api_client.get("/api/v1/users/me/").json()["display_name"] == "Ada"

    @pytest.mark.parametrize(
        "fields",
        [
            {"website": "javascript:alert(1)"},
            {"website": "//evil.example/"},
            {"display_name": "x" * 51},
            {"bio": "x" * 501},
            {"avatar": "https://example.com/a.png"},
        ],
    )
    def test_patch_refuses_bad_values_with_400(self, api_client, user, fields):
        api_client.force_authenticate(user)
        response = api_client.patch("/api/v1/users/me/", fields)
        assert response.status_code == 400
        assert set(response.json()) & (set(fields) | {"non_field_errors"})
        user.refresh_from_db()
        assert user.website == "" and user.display_name == "" and user.bio == ""

    def test_avatar_upload_and_delete(self, api_client, user, django_capture_on_commit_callbacks):
        api_client.force_authenticate(user)
        response = api_client.put(
            "/api/v1/users/me/avatar/",
            {"avatar": upload(big_jpeg_with_gps(), "a.jpg", "image/jpeg")},
            format="multipart",
        )
        assert response.status_code == 200, response.json()
        assert response.json()["avatar"].startswith("http://testserver/media/avatars/")
        user.refresh_from_db()
        name = user.avatar.name
        with user.avatar.open("rb") as stored:
            assert max(Image.open(BytesIO(stored.read())).size) == 640
        with django_capture_on_commit_callbacks(execute=True):
            assert api_client.delete("/api/v1/users/me/avatar/").status_code == 204
        user.refresh_from_db()
        assert not user.avatar and not user.avatar.storage.exists(name)

    def test_avatar_upload_refuses_non_images(self, api_client, user):
        api_client.force_authenticate(user)
        response = api_client.put(
            "/api/v1/users/me/avatar/", {"avatar": upload(b"not an image")}, format="multipart"
        )
        assert response.status_code == 400 and "avatar" in response.json()

    def test_avatar_needs_authentication(self, api_client):
        response = api_client.put(
            "/api/v1/users/me/avatar/", {"avatar": upload(image_bytes())}, format="multipart"
        )
        assert response.status_code == 401


class TestPublicProfileApi:
    def test_anyone_reads_a_members_profile(self, api_client, user, django_assert_num_queries):
        user.display_name, user.bio, user.website = "Grace H.", "Hi", "https://grace.example/"
        user.save()
        with django_assert_num_queries(1):
            response = api_client.get(f"/api/v1/users/{user.username}/profile/")
        assert response.status_code == 200
        assert response.json() == {
            "username": user.username,
            "display_name": "Grace H.",
            "shown_name": "Grace H.",
            "bio": "Hi",
            "website": "https://grace.example/",
            "avatar": None,
            "date_joined": response.json()["date_joined"],
            "profile_url": f"http://testserver/u/{user.username}/",
        }

    def test_unknown_and_deactivated_members_are_404(self, api_client, user):
        assert api_client.get("/api/v1/users/nobody/profile/").status_code == 404
        user.is_active = False  # being deleted
        user.save()
        response = api_client.get(f"/api/v1/users/{user.username}/profile/")
        assert response.status_code == 404 and "detail" in response.json()

    def test_posts_carry_the_authors_display_name_and_avatar(self, api_client, user):
        user.display_name, user.avatar = "Grace H.", "avatars/g.png"
        user.save()
        PostFactory(user=user, content="hello")
        author = api_client.get("/api/v1/posts/").json()["results"][0]["user"]
        assert author["display_name"] == "Grace H."
        assert author["avatar"] == "http://testserver/media/avatars/g.png"
