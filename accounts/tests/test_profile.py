import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from photos.services import photo_process, photo_upload
from photos.tests.images import image_bytes, upload
from recipes.tests.factories import RecipeFactory
from snaps.tests.factories import SnapFactory
from social.tests.factories import PostFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def fill(person):
    SnapFactory(user=person, name="public_snap")
    SnapFactory(user=person, name="secret_snap", private=True)
    PostFactory(user=person, content="hello from the profile")
    RecipeFactory(user=person, title="Profile pie")
    photo = photo_upload(user=person, file=upload(image_bytes()), comment="profile photo")
    photo_process(photo_id=photo.pk)  # what the worker does; unprocessed ones are not shown


def test_profile_shows_everything_a_visitor_may_see(client, user, other_user):
    fill(user)
    client.force_login(other_user)
    response = client.get(reverse("profile", args=[user.username]))
    for text in ("public_snap", "hello from the profile", "Profile pie", 'alt="profile photo"'):
        assertContains(response, text)
    assertNotContains(response, "secret_snap")


def test_owner_sees_own_private_snaps(client, user):
    fill(user)
    client.force_login(user)
    assertContains(client.get(reverse("profile", args=[user.username])), "secret_snap")


def test_anonymous_sees_no_photos(client, user):
    fill(user)
    response = client.get(reverse("profile", args=[user.username]))
    assertNotContains(response, 'alt="profile photo"')
    assertContains(response, "to see photos")


def test_unknown_user_is_404(client):
    assert client.get(reverse("profile", args=["ghost"])).status_code == 404


@pytest.mark.parametrize("items", [1, 5])
def test_profile_query_count_is_fixed(client, user, other_user, django_assert_num_queries, items):
    for _ in range(items):
        fill(user)
    client.force_login(other_user)
    # session, viewer, person, 2 follow counts, is-following, snaps and their files, posts,
    # recipes and their tags, photos
    with django_assert_num_queries(12):
        client.get(reverse("profile", args=[user.username]))


def test_home_shows_recent_activity(client, user):
    fill(user)
    response = client.get("/")
    assertContains(response, "public_snap")
    assertContains(response, "hello from the profile")
    assertContains(response, "Profile pie")
    assertNotContains(response, "secret_snap")


@pytest.mark.parametrize("items", [1, 5])
def test_home_query_count_is_fixed(client, django_assert_num_queries, user, items):
    for _ in range(items):
        fill(user)
    with django_assert_num_queries(5):  # snaps and their files, posts, recipes and their tags
        client.get("/")


def test_menu_links_to_own_profile(client, user):
    client.force_login(user)
    assertContains(client.get("/"), f'href="/u/{user.username}/"')
