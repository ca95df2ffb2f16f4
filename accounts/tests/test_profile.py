import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from photos.services import photo_process, photo_upload
from photos.tests.images import image_bytes, upload
from recipes.tests.factories import RecipeFactory
from snaps.tests.factories import SnapFactory
from social.tests.factories import FollowFactory, PostFactory

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
    # session, viewer, person, 2 follow counts, is-following, block and mute, the posts'
    # count, page and its photos, the stream's photo cards, snaps and their files, recipes
    # and their tags, photos
    with django_assert_num_queries(17):
        client.get(reverse("profile", args=[user.username]))


@pytest.mark.parametrize("items", [1, 5])
def test_profile_query_count_is_fixed_for_visitors(client, user, django_assert_num_queries, items):
    for _ in range(items):
        fill(user)
    # person, 2 follow counts, the posts' count, page and its photos, the stream's photo
    # cards, snaps and their files, recipes and their tags
    with django_assert_num_queries(11):
        client.get(reverse("profile", args=[user.username]))


class TestOneProfilePerPerson:
    def test_shows_the_accounts_profile_and_the_social_page_in_one(self, client, user, other_user):
        user.display_name, user.bio, user.website = (
            "Ada L.",
            "Counts things.",
            "https://ada.example/",
        )
        user.save()
        FollowFactory(follower=other_user, followed=user)
        PostFactory(user=user, content="a post on the profile")
        client.force_login(other_user)
        response = client.get(reverse("profile", args=[user.username]))
        for text in (
            "<h1>Ada L.</h1>", "Counts things.", 'href="https://ada.example/"',
            "a post on the profile", ">Unfollow</button>", ">Mute</button>", ">Block</button>",
            f'href="/social/u/{user.username}/followers/"',
            f'href="/social/u/{user.username}/following/"',
            f'href="/snaps/u/{user.username}/"', f'href="/recipes/?user={user.username}"',
            f'href="/social/u/{user.username}/rss/"',
        ):  # fmt: skip
            assertContains(response, text)
        assert response.context["counts"] == {"followers": 1, "following": 0}

    def test_posts_page_with_the_existing_paging(self, client, user):
        for n in range(25):
            PostFactory(user=user, content=f"numbered post {n:02d}")
        first = client.get(reverse("profile", args=[user.username]))
        assert len(first.context["posts"]) == 20
        assertContains(first, 'rel="next"')
        second = client.get(reverse("profile", args=[user.username]), {"page": 2})
        assert len(second.context["posts"]) == 5
        assertContains(second, "numbered post 00")

    def test_old_social_address_redirects_permanently_with_the_query(self, client, user):
        response = client.get(f"/social/u/{user.username}/?page=2&x=%C3%A9")
        assert response.status_code == 301
        assert response["Location"] == f"/u/{user.username}/?page=2&x=%C3%A9"
        assert client.get("/social/u/ghost/", follow=True).status_code == 404

    def test_links_everywhere_point_to_the_one_page(self, client, user, other_user):
        from social import services

        post = services.post_create(user=other_user, content=f"hi @{user.username}")
        client.force_login(user)
        pages = [
            client.get(post.get_absolute_url()),  # the user chip and the mention
            client.get(reverse("social:people")),
            client.get(reverse("social:feed")),
            client.get(reverse("social:notifications")),
        ]
        for page in pages:
            assertContains(page, f'href="/u/{other_user.username}/"' if page is not pages[2]
                           else f'href="/u/{user.username}/"')  # fmt: skip
            assertNotContains(page, 'href="/social/u/' + other_user.username + '/"')
        from social.serializers import UserSummarySerializer

        assert UserSummarySerializer(user).data["url"] == f"/u/{user.username}/"


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
