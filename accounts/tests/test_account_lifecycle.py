"""Delete my account and export my data: every app's content, through the web and API."""

import io
import json
import zipfile

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import DataExport, User
from accounts.services import api_token_create, user_export_signed_url
from accounts.tests.factories import TEST_PASSWORD, UserFactory
from photos.services import photo_process, photo_upload
from photos.tests.images import image_bytes, upload
from recipes.models import CrossPost
from recipes.tests.factories import RecipeFactory
from snaps.tests.factories import SnapFactory
from social.tests.factories import FollowFactory, PostFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def world(user, other_user, client):
    """A user with something in every app, and the URLs where it all shows."""
    user.bio = "Deletable me"
    user.save()
    snap = SnapFactory(user=user, name="farewell", content="print('bye')\n")
    private = SnapFactory(user=user, name="secret", private=True)
    post = PostFactory(user=user, content="last words")
    FollowFactory(follower=other_user, followed=user)
    FollowFactory(follower=user, followed=other_user)
    photo = photo_upload(user=user, file=upload(image_bytes()), comment="me at the sea")
    photo_process(photo_id=photo.pk)  # its task waits for a commit that never comes
    photo.refresh_from_db()
    recipe = RecipeFactory(
        user=user, title="Goodbye pie", ingredients="flour\nbutter", servings=4,
        total_time_minutes=45,
    )  # fmt: skip
    CrossPost.objects.create(recipe=recipe, provider="twitter", text="Goodbye pie https://x/1")
    token = api_token_create(user=user, name="script")
    client.force_login(user)
    web = [
        reverse("profile", args=[user.username]),
        reverse("snaps:user", args=[user.username]),
        snap.get_absolute_url(),
        snap.get_raw_url(),
        private.get_absolute_url(),
        post.get_absolute_url(),
        recipe.get_absolute_url(),
    ]
    api = [
        f"/api/v1/snaps/{snap.hash_key}/",
        f"/api/v1/posts/{post.pk}/",
        f"/api/v1/recipes/{recipe.pk}/",
        f"/api/v1/users/{user.username}/photos/",
        f"/api/v1/users/{user.username}/followers/",
    ]
    return {
        "user": user, "token": token, "web": web, "api": api, "photo": photo,
        "files": [f.name for f in (photo.original, photo.image, photo.thumbnail_webp) if f],
        "snap": snap, "recipe": recipe,
    }  # fmt: skip


def assert_all_gone(world, other_user):
    user = world["user"]
    assert not User.objects.filter(pk=user.pk).exists()
    visitor = Client()
    visitor.force_login(other_user)
    for url in world["web"]:
        assert visitor.get(url).status_code == 404, url
    api = APIClient()
    api.force_authenticate(other_user)
    for url in world["api"]:
        assert api.get(url).status_code == 404, url
    storage = world["photo"].image.storage
    for name in world["files"]:
        assert name and not storage.exists(name), name
    assert not CrossPost.objects.filter(recipe_id=world["recipe"].pk).exists()
    token = APIClient()
    token.credentials(HTTP_AUTHORIZATION=f"Token {world['token'].key}")
    assert token.get("/api/v1/users/me/").status_code == 401
    # Their follows went too: the other user follows nobody and has no follower.
    assert api.get(f"/api/v1/users/{other_user.username}/following/").json()["results"] == []


class TestDeleteAccount:
    def test_every_url_they_had_is_gone(
        self, world, client, other_user, django_capture_on_commit_callbacks
    ):
        for url in world["web"]:  # all reachable before
            assert client.get(url).status_code == 200, url
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("account-delete"), {"password": TEST_PASSWORD})
        assert response.status_code == 302
        assert client.get(reverse("account-profile")).status_code == 302  # signed out
        assert_all_gone(world, other_user)

    def test_wrong_password_changes_nothing(self, world, client):
        response = client.post(reverse("account-delete"), {"password": "nope"})
        assert response.status_code == 200
        assert response.context["form"].errors["password"]
        world["user"].refresh_from_db()
        assert world["user"].is_active
        assert client.get(reverse("account-profile")).status_code == 200

    def test_other_sessions_stop_at_once(self, world, client):
        elsewhere = Client()
        elsewhere.force_login(world["user"])
        client.post(reverse("account-delete"), {"password": TEST_PASSWORD})  # task not run
        assert elsewhere.get(reverse("account-profile")).status_code == 302
        assert not Client().login(username=world["user"].username, password=TEST_PASSWORD)
        # Their profile is gone at once too, on the web and in the API.
        name = world["user"].username
        assert Client().get(reverse("profile", args=[name])).status_code == 404
        assert APIClient().get(f"/api/v1/users/{name}/profile/").status_code == 404

    def test_through_the_api(self, world, other_user, django_capture_on_commit_callbacks):
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {world['token'].key}")
        assert api.post("/api/v1/users/me/deletion/", {"password": "bad"}).status_code == 400
        assert api.post("/api/v1/users/me/deletion/", {}).status_code == 400
        with django_capture_on_commit_callbacks(execute=True):
            response = api.post("/api/v1/users/me/deletion/", {"password": TEST_PASSWORD})
        assert response.status_code == 202
        assert_all_gone(world, other_user)

    def test_the_task_is_idempotent_and_refuses_active_accounts(self, user):
        from accounts.services import user_delete

        with pytest.raises(Exception, match="not asked"):
            user_delete(user_id=user.pk)
        assert User.objects.filter(pk=user.pk).exists()
        User.objects.filter(pk=user.pk).update(is_active=False)
        assert user_delete(user_id=user.pk) is True
        assert user_delete(user_id=user.pk) is False


def read_zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


class TestExport:
    def test_web_export_holds_every_app(self, world, client, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(reverse("account-data")).status_code == 302
        page = client.get(reverse("account-data"))
        link = page.context["download_url"]
        assert link
        anonymous = Client()  # the signed link is the credential
        response = anonymous.get(link)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/zip"
        archive = read_zip(response)
        names = set(archive.namelist())
        snap = world["snap"]
        assert f"snaps/{snap.hash_key}/{snap.filename}" in names
        assert archive.read(f"snaps/{snap.hash_key}/{snap.filename}") == b"print('bye')\n"
        account = json.loads(archive.read("account.json"))
        assert account["bio"] == "Deletable me"
        assert account["api_tokens"][0]["name"] == "script"
        assert world["token"].key not in archive.read("account.json").decode()
        posts = json.loads(archive.read("social/posts.json"))
        assert [p["content"] for p in posts] == ["last words"]
        photo = world["photo"]
        with photo.original.open("rb") as original:  # as uploaded
            assert archive.read(f"photos/{photo.pk}.png") == original.read()
        recipe = json.loads(archive.read(f"recipes/{world['recipe'].pk}.jsonld"))
        assert recipe["@context"] == "https://schema.org" and recipe["@type"] == "Recipe"
        assert recipe["name"] == "Goodbye pie" and recipe["recipeIngredient"] == ["flour", "butter"]
        assert recipe["totalTime"] == "PT45M" and recipe["recipeYield"] == "4"
        crossposts = json.loads(archive.read("recipes/crossposts.json"))
        assert crossposts[0]["provider"] == "twitter"

    def test_link_expires_and_cannot_be_forged(self, world, client, settings, monkeypatch,
                                               django_capture_on_commit_callbacks):  # fmt: skip
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("account-data"))
        export = DataExport.objects.get(user=world["user"])
        link = user_export_signed_url(export)
        assert Client().get(link).status_code == 200
        forged = reverse("account-export-download", args=[f"{export.pk + 1}:abc:def"])
        assert Client().get(forged).status_code == 404
        settings.ACCOUNT_EXPORT_LINK_SECONDS = 60
        real_time = signing.time.time
        monkeypatch.setattr(signing.time, "time", lambda: real_time() + 61)
        assert Client().get(link).status_code == 404

    def test_a_new_export_replaces_the_old_one(
        self, world, client, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("account-data"))
        first = DataExport.objects.get(user=world["user"])
        old_link, old_file = user_export_signed_url(first), first.file.name
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("account-data"))
        assert DataExport.objects.filter(user=world["user"]).count() == 1
        assert Client().get(old_link).status_code == 404
        assert not first.file.storage.exists(old_file)

    def test_through_the_api(self, world, django_capture_on_commit_callbacks):
        api = APIClient()
        api.force_authenticate(world["user"])
        assert api.get("/api/v1/users/me/export/").status_code == 404
        with django_capture_on_commit_callbacks(execute=True):
            started = api.post("/api/v1/users/me/export/")
        assert started.status_code == 202 and started.json()["status"] == "pending"
        body = api.get("/api/v1/users/me/export/").json()
        assert body["status"] == "ready" and body["size"] > 0
        response = Client().get(body["download_url"].removeprefix("http://testserver"))
        assert "account.json" in read_zip(response).namelist()

    def test_another_users_export_is_not_listed(self, world):
        api = APIClient()
        api.force_authenticate(UserFactory())
        assert api.get("/api/v1/users/me/export/").status_code == 404

    def test_deleting_the_account_deletes_its_exports(
        self, world, client, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("account-data"))
        export = DataExport.objects.get(user=world["user"])
        link, name = user_export_signed_url(export), export.file.name
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("account-delete"), {"password": TEST_PASSWORD})
        assert Client().get(link).status_code == 404
        assert not export.file.storage.exists(name)
