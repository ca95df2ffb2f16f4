"""Platform-wide security rules: nobody touches another user's content, every web form
needs its CSRF token, and logins are throttled."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.services import api_token_create
from accounts.tests.factories import TEST_PASSWORD, UserFactory
from photos.models import Photo
from photos.services import photo_upload
from photos.tests.images import image_bytes, upload
from recipes.models import Recipe
from recipes.tests.factories import RecipeFactory
from snaps.models import Snap
from snaps.tests.factories import SnapFactory
from social.models import Follow, Post
from social.tests.factories import PostFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def make_snap(owner):
    return SnapFactory(user=owner)


def make_post(owner):
    return PostFactory(user=owner)


def make_photo(owner):
    return photo_upload(user=owner, file=upload(image_bytes()))


def make_recipe(owner):
    return RecipeFactory(user=owner)


# (factory, model, web delete URL, API detail URL, API update payload or None)
CONTENT = {
    "snap": (
        make_snap,
        Snap,
        lambda o: f"/snaps/{o.hash_key}/delete/",
        lambda o: f"/api/v1/snaps/{o.hash_key}/",
        {"name": "hijacked"},
    ),
    "post": (
        make_post,
        Post,
        lambda o: f"/social/posts/{o.pk}/delete/",
        lambda o: f"/api/v1/posts/{o.pk}/",
        {"content": "hijacked"},
    ),
    "photo": (
        make_photo,
        Photo,
        lambda o: f"/photos/{o.pk}/delete/",
        lambda o: f"/api/v1/photos/{o.pk}/",
        None,
    ),
    "recipe": (
        make_recipe,
        Recipe,
        lambda o: f"/recipes/{o.pk}/delete/",
        lambda o: f"/api/v1/recipes/{o.pk}/",
        {"title": "hijacked"},
    ),
}


@pytest.mark.parametrize("kind", CONTENT)
def test_nobody_deletes_another_users_content_on_the_web(client, kind):
    make, model, web_delete, _, _ = CONTENT[kind]
    owner, intruder = UserFactory(), UserFactory()
    item = make(owner)
    client.force_login(intruder)
    assert client.post(web_delete(item)).status_code == 404
    assert model.objects.filter(pk=item.pk).exists()


@pytest.mark.parametrize("kind", CONTENT)
def test_nobody_changes_or_deletes_another_users_content_through_the_api(kind):
    make, model, _, api_detail, update = CONTENT[kind]
    owner, intruder = UserFactory(), UserFactory()
    item = make(owner)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=intruder, name='test').key}")
    assert api.delete(api_detail(item)).status_code in (403, 404)
    if update is not None:
        assert api.patch(api_detail(item), update).status_code in (403, 404)
    item.refresh_from_db()
    assert model.objects.filter(pk=item.pk).exists()
    if update is not None:
        # (A snap's `name` is its first file's, as the API reads it.)
        kept = item.first_file if isinstance(item, Snap) else item
        assert all(getattr(kept, field) != value for field, value in update.items())


@pytest.mark.parametrize("kind", CONTENT)
def test_anonymous_cannot_delete_through_the_api(api_client, kind):
    make, model, _, api_detail, _ = CONTENT[kind]
    item = make(UserFactory())
    assert api_client.delete(api_detail(item)).status_code == 401
    assert model.objects.filter(pk=item.pk).exists()


def _forms(owner, other):
    """Every state-changing web form of the site: (URL, data)."""
    snap, post, photo, recipe = (
        make_snap(owner),
        make_post(owner),
        make_photo(owner),
        make_recipe(owner),
    )
    return [
        (
            "/snaps/new/",
            {
                "name": "a",
                "extension": "py",
                "content": "x",
                "visibility": "public",
                "expires_in": "never",
            },
        ),
        (f"/snaps/{snap.hash_key}/delete/", {}),
        ("/social/posts/new/", {"content": "hello"}),
        (f"/social/posts/{post.pk}/delete/", {}),
        (f"/social/u/{other.username}/follow/", {}),
        (f"/social/u/{other.username}/unfollow/", {}),
        (f"/social/posts/{post.pk}/edit/", {"content": "changed"}),
        (f"/social/posts/{post.pk}/like/", {}),
        (f"/social/posts/{post.pk}/unlike/", {}),
        (f"/social/posts/{post.pk}/boost/", {}),
        (f"/social/posts/{post.pk}/unboost/", {}),
        (f"/social/u/{other.username}/block/", {}),
        (f"/social/u/{other.username}/mute/", {}),
        ("/social/notifications/read/", {}),
        ("/photos/", {"comment": "x"}),
        (f"/photos/{photo.pk}/delete/", {}),
        ("/recipes/new/", {"title": "t", "ingredients": "i", "instructions": "s"}),
        (f"/recipes/{recipe.pk}/edit/", {"title": "t", "ingredients": "i", "instructions": "s"}),
        (f"/recipes/{recipe.pk}/delete/", {}),
        ("/accounts/logout/", {}),
        (
            "/accounts/password/change/",
            {
                "oldpassword": TEST_PASSWORD,
                "password1": "n3w-Passw0rd!",
                "password2": "n3w-Passw0rd!",
            },
        ),
    ]


def test_every_web_form_requires_its_csrf_token():
    owner, other = UserFactory(), UserFactory()
    forms = _forms(owner, other)
    counts = [
        Snap.objects.count(),
        Post.objects.count(),
        Photo.objects.count(),
        Recipe.objects.count(),
    ]
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    for url, data in forms:
        assert client.post(url, data).status_code == 403, url
    assert [
        Snap.objects.count(),
        Post.objects.count(),
        Photo.objects.count(),
        Recipe.objects.count(),
    ] == counts
    assert not Follow.objects.exists()
    assert client.session.get("_auth_user_id") == str(owner.pk)  # logout refused too


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/signup/"])
def test_anonymous_forms_require_csrf_too(url):
    response = Client(enforce_csrf_checks=True).post(url, {"login": "x", "password": "y"})
    assert response.status_code == 403


def test_api_token_login_is_throttled(api_client, user, monkeypatch):
    from project.throttling import ScopedRateThrottle

    monkeypatch.setattr(
        ScopedRateThrottle,
        "THROTTLE_RATES",
        {**ScopedRateThrottle.THROTTLE_RATES, "auth-token": "3/minute"},
    )
    codes = [
        api_client.post(
            "/api/v1/auth/token/", {"username": user.username, "password": "wrong"}
        ).status_code
        for _ in range(4)
    ]
    assert codes == [400, 400, 400, 429]
    response = api_client.post(
        "/api/v1/auth/token/", {"username": user.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 429
    assert "detail" in response.json()


def test_session_cookie_is_http_only_and_api_errors_are_json(client, user):
    response = client.post("/accounts/login/", {"login": user.username, "password": TEST_PASSWORD})
    assert response.cookies["sessionid"]["httponly"]
    assert client.get("/api/v1/nope/")["Content-Type"].startswith("application/json")
