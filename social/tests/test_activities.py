"""One activity stream: a person's public snaps, photos, albums and recipes reach their
followers' timelines through the feed strategies, and leave them when private or gone."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accounts.tests.factories import UserFactory
from photos import albums as album_services
from photos import services as photo_services
from photos.tests.images import image_bytes, upload
from recipes import services as recipe_services
from recipes.models import Recipe
from recipes.tests.factories import DATA as RECIPE
from snaps import services as snap_services
from snaps.models import Snap
from social import selectors
from social.feeds import STRATEGIES
from social.models import Post

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def stream(user, **kwargs) -> list[tuple[str, str]]:
    """(kind, title or text) of each entry of the user's timeline, newest first."""
    posts, _ = selectors.feed_page(user, limit=100, **kwargs)
    return [(p.kind, p.activity["title"] if p.activity else p.content) for p in posts]


@pytest.fixture
def snap(committed):
    def make(user, name="hello.py", **fields):
        fields = {"content": "print('hi')", "visibility": Snap.Visibility.PUBLIC, **fields}
        return committed(snap_services.snap_create, user=user, name=name, **fields)

    return make


@pytest.fixture
def pair(follow):
    reader, author = UserFactory(), UserFactory()
    follow(reader, author)
    return reader, author


@pytest.mark.parametrize("strategy", sorted(STRATEGIES))
class TestEveryStrategy:
    @pytest.fixture(autouse=True)
    def _strategy(self, settings, strategy):
        settings.SOCIAL_FEED_STRATEGY = strategy

    def test_public_items_of_every_app_reach_followers(self, pair, post, snap, committed):
        reader, author = pair
        post(author, "words")
        snap(author, "code.py")
        photo = committed(
            photo_services.photo_upload,
            user=author,
            file=upload(image_bytes()),
            comment="sunset",
            alt_text="a red sky",
        )
        committed(photo_services.photo_process, photo_id=photo.pk)  # processed: now public
        committed(album_services.album_create, user=author, title="Holidays")
        committed(recipe_services.recipe_create, user=author, **RECIPE)
        assert stream(reader) == [
            ("recipe", RECIPE["title"]),
            ("album", "Holidays"),
            ("photo", "sunset"),
            ("snap", "code.py"),
            ("post", "words"),
        ]
        assert stream(reader, kind="snap") == [("snap", "code.py")]
        assert stream(reader, kind="post") == [("post", "words")]

    def test_private_or_deleted_items_vanish(self, pair, snap, committed):
        reader, author = pair
        made = snap(author, "soon private.py")
        doomed = snap(author, "soon gone.py")
        snap(author, "never.py", visibility=Snap.Visibility.PRIVATE)
        snap(author, "once.py", burn_after_reading=True)
        recipe = committed(recipe_services.recipe_create, user=author, **RECIPE)
        assert [kind for kind, _ in stream(reader)] == ["recipe", "snap", "snap"]
        committed(
            snap_services.snap_update, snap=made, by=author, visibility=Snap.Visibility.PRIVATE
        )
        committed(snap_services.snap_delete, snap=doomed, by=author)
        committed(
            recipe_services.recipe_update,
            recipe=recipe,
            by=author,
            visibility=Recipe.Visibility.PRIVATE,
        )
        assert stream(reader) == []
        assert not Post.objects.exclude(kind="post").exists()
        committed(
            snap_services.snap_update, snap=made, by=author, visibility=Snap.Visibility.PUBLIC
        )
        assert stream(reader) == [("snap", "soon private.py")]

    def test_an_item_hidden_without_withdrawal_is_still_never_shown(self, pair, snap):
        reader, author = pair
        made = snap(author)
        Snap.objects.filter(pk=made.pk).update(visibility=Snap.Visibility.PRIVATE)
        assert stream(reader) == []


def test_album_deletion_and_anonymous_snaps(pair, snap, committed):
    reader, author = pair
    album = committed(album_services.album_create, user=author, title="Gone soon")
    committed(album_services.album_delete, album=album, by=author)
    committed(snap_services.snap_create_anonymous, name="a.py", content="x")
    assert stream(reader) == []


def test_a_timeline_page_costs_one_query_per_kind_shown(
    settings, pair, snap, committed, django_assert_num_queries
):
    settings.SOCIAL_FEED_STRATEGY = "join"
    reader, author = pair
    for n in range(3):
        snap(author, f"s{n}.py")
        committed(album_services.album_create, user=author, title=f"a{n}")
    # hidden authors, the page, its posts' photos, the likes and boosts of the reader,
    # snaps and their files' heads, albums
    with django_assert_num_queries(7):
        posts, _ = selectors.feed_page(reader)
    assert len(posts) == 6


class TestWeb:
    def test_timeline_and_profile_show_the_mixed_stream_and_filter_it(
        self, client, pair, post, snap
    ):
        reader, author = pair
        post(author, "plain words")
        snap(author, "shared.py")
        client.force_login(reader)
        feed = client.get(reverse("social:feed"))
        assertContains(feed, 'data-kind="snap"')
        assertContains(feed, "shared.py")
        assertContains(feed, "plain words")
        only_snaps = client.get(reverse("social:feed"), {"kind": "snap"})
        assertContains(only_snaps, "shared.py")
        assertNotContains(only_snaps, "plain words")
        profile = client.get(reverse("profile", args=[author.username]))
        assertContains(profile, "shared.py")
        assertContains(profile, "plain words")
        posts_only = client.get(reverse("profile", args=[author.username]), {"kind": "post"})
        stream = posts_only.content.decode().split('data-testid="profile-posts"')[1]
        assert "plain words" in stream and "shared.py" not in stream  # (recent snaps aside)


class TestApi:
    def test_feed_entries_carry_kind_and_activity(self, auth_api_client, user, follow, snap):
        author = UserFactory()
        follow(user, author)
        snap(author, "api.py")
        url = reverse("api:feed", kwargs={"version": "v1"})
        (entry,) = auth_api_client.get(url, {"kind": "snap"}).json()["results"]
        assert entry["kind"] == "snap"
        assert entry["activity"]["title"] == "api.py"
        assert entry["activity"]["url"].startswith("/snaps/")
        assert auth_api_client.get(url, {"kind": "post"}).json()["results"] == []

    def test_unknown_kind_is_400(self, auth_api_client):
        response = auth_api_client.get(reverse("api:feed", kwargs={"version": "v1"}), {"kind": "x"})
        assert response.status_code == 400
        assert "kind" in response.json()

    def test_post_lists_leave_activities_out(self, api_client, follow, snap):
        snap(UserFactory(), "not a post.py")
        response = api_client.get(reverse("api:post-list", kwargs={"version": "v1"}))
        assert response.json()["results"] == []
