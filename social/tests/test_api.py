import pytest

from accounts.tests.factories import UserFactory
from social import services
from social.models import Follow, Post
from social.tests.factories import FollowFactory, PostFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


class TestPosts:
    def test_create_requires_auth(self, api_client):
        assert api_client.post("/api/v1/posts/", {"content": "hi"}).status_code == 401
        assert not Post.objects.exists()

    def test_create_and_read_back(self, auth_api_client, user):
        response = auth_api_client.post("/api/v1/posts/", {"content": "  hi there "})
        assert response.status_code == 201
        body = response.json()
        assert body["content"] == "hi there"
        assert body["user"]["username"] == user.username
        assert auth_api_client.get(body["url"]).json()["id"] == body["id"]

    @pytest.mark.parametrize("content", ["", "   ", "x" * 501])
    def test_bad_content_is_400(self, auth_api_client, content):
        response = auth_api_client.post("/api/v1/posts/", {"content": content})
        assert response.status_code == 400
        assert "content" in response.json()
        assert not Post.objects.exists()

    def test_missing_content_is_400(self, auth_api_client):
        assert auth_api_client.post("/api/v1/posts/", {}).status_code == 400

    def test_list_filters_by_user_newest_first(self, api_client, user):
        old, new = PostFactory(user=user), PostFactory(user=user)
        PostFactory()
        body = api_client.get("/api/v1/posts/", {"user": user.username}).json()
        assert [p["id"] for p in body["results"]] == [new.id, old.id]

    @pytest.mark.parametrize("count", [1, 15])
    def test_list_query_count_is_fixed(self, api_client, django_assert_num_queries, count):
        PostFactory.create_batch(count)
        with django_assert_num_queries(3):  # count, page, the page's photos
            api_client.get("/api/v1/posts/")

    def test_only_author_deletes_edits_only_by_patch(self, auth_api_client, user):
        mine, theirs = PostFactory(user=user), PostFactory()
        assert auth_api_client.delete(f"/api/v1/posts/{theirs.pk}/").status_code == 403
        assert auth_api_client.put(f"/api/v1/posts/{mine.pk}/", {"content": "x"}).status_code == 405
        assert (
            auth_api_client.patch(f"/api/v1/posts/{mine.pk}/", {"content": "x"}).status_code == 200
        )
        assert auth_api_client.delete(f"/api/v1/posts/{mine.pk}/").status_code == 204
        assert list(Post.objects.all()) == [theirs]


class TestFeed:
    def test_requires_auth(self, api_client):
        assert api_client.get("/api/v1/feed/").status_code == 401

    def test_cursor_pagination_walks_the_whole_feed(self, auth_api_client, user):
        friend = UserFactory()
        FollowFactory(follower=user, followed=friend)
        made = [PostFactory(user=friend if i % 2 else user).id for i in range(5)]
        PostFactory()  # a stranger
        seen, url = [], "/api/v1/feed/?page_size=2"
        while url:
            body = auth_api_client.get(url).json()
            seen += [p["id"] for p in body["results"]]
            url = body["next"]
        assert seen == list(reversed(made))

    def test_bad_cursor_is_400(self, auth_api_client):
        response = auth_api_client.get("/api/v1/feed/", {"cursor": "%%%"})
        assert response.status_code == 400
        assert response.json() == {"detail": "Invalid cursor."}

    @pytest.mark.parametrize("count", [1, 15])
    def test_query_count_is_fixed(self, auth_api_client, user, django_assert_num_queries, count):
        for friend in UserFactory.create_batch(count):
            FollowFactory(follower=user, followed=friend)
            PostFactory(user=friend)
        with django_assert_num_queries(4):  # hidden authors, the feed, its photos, the likes
            auth_api_client.get("/api/v1/feed/")


@pytest.mark.parametrize("strategy", ["join", "cache", "write"])
class TestFeedPositions:
    """Mastodon's max_id / since_id / min_id, and `prev` for polling what is new."""

    @pytest.fixture(autouse=True)
    def _strategy(self, settings, strategy):
        settings.SOCIAL_FEED_STRATEGY = strategy

    @staticmethod
    def ids(body) -> list[int]:
        return [p["id"] for p in body["results"]]

    def test_max_since_and_min_id(self, auth_api_client, user, follow, post):
        friend = UserFactory()
        follow(user, friend)
        made = [post(friend if i % 2 else user, f"p{i}").pk for i in range(6)]
        get = lambda **q: auth_api_client.get("/api/v1/feed/", q).json()  # noqa: E731
        assert self.ids(get(max_id=made[3], page_size=2)) == [made[2], made[1]]
        assert self.ids(get(since_id=made[1], page_size=2)) == [made[5], made[4]]
        assert self.ids(get(min_id=made[1], page_size=2)) == [made[3], made[2]]
        assert self.ids(get(min_id=made[1], since_id=made[4])) == made[5:1:-1]
        assert self.ids(get(since_id=made[1], max_id=made[4])) == [made[3], made[2]]

    def test_polling_prev_brings_only_what_is_new(self, auth_api_client, user, follow, post):
        friend = UserFactory()
        follow(user, friend)
        first = post(friend, "first")
        body = auth_api_client.get("/api/v1/feed/").json()
        assert self.ids(body) == [first.pk]
        assert "min_id=" in body["prev"]
        nothing_new = auth_api_client.get(body["prev"]).json()
        assert nothing_new["results"] == []
        assert nothing_new["prev"] == body["prev"]  # poll the same link again
        second, third = post(friend, "second"), post(user, "third")
        newer = auth_api_client.get(body["prev"]).json()
        assert self.ids(newer) == [third.pk, second.pk]
        assert self.ids(auth_api_client.get(newer["prev"]).json()) == []
        older = auth_api_client.get(newer["next"]).json()
        assert self.ids(older) == [first.pk]

    @pytest.mark.parametrize(
        ("query", "field"),
        [
            ({"max_id": "x"}, "max_id"),
            ({"since_id": "0"}, "since_id"),
            ({"min_id": "-1"}, "min_id"),
            ({"min_id": "9" * 30}, "min_id"),
            ({"max_id": "999999"}, "max_id"),  # no such post
        ],
    )
    def test_bad_post_ids_are_400_naming_the_field(self, auth_api_client, query, field):
        response = auth_api_client.get("/api/v1/feed/", query)
        assert response.status_code == 400
        assert list(response.json()) == [field]

    def test_polling_is_cached_and_query_count_fixed(
        self, strategy, auth_api_client, user, post, django_assert_num_queries
    ):
        made = post(user, "mine")
        auth_api_client.get("/api/v1/feed/")  # warm: `cache` keeps the merge, `write` its set
        # the min_id post's position, the hidden authors, then the (empty) page: SQL for `join`
        with django_assert_num_queries({"join": 3, "cache": 2, "write": 2}[strategy]):
            auth_api_client.get("/api/v1/feed/", {"min_id": made.pk})
        with django_assert_num_queries(0):
            auth_api_client.get("/api/v1/feed/", {"min_id": made.pk})


def test_feed_positions_are_in_the_schema(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/feed/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"max_id", "since_id", "min_id", "cursor", "page_size"} <= names
    page = schema["components"]["schemas"]["FeedPage"]
    assert set(page["properties"]) == {"next", "prev", "results"}


class TestFollow:
    def url(self, person, tail="follow"):
        return f"/api/v1/users/{person.username}/{tail}/"

    def test_follow_201_then_200_then_unfollow_204_idempotent(
        self, auth_api_client, user, other_user
    ):
        first = auth_api_client.post(self.url(other_user))
        assert first.status_code == 201
        assert first.json()["is_followed_by_you"] is True
        assert first.json()["followers_count"] == 1
        assert auth_api_client.post(self.url(other_user)).status_code == 200
        assert Follow.objects.count() == 1
        assert auth_api_client.delete(self.url(other_user)).status_code == 204
        assert auth_api_client.delete(self.url(other_user)).status_code == 204
        assert not Follow.objects.exists()

    def test_self_follow_is_400(self, auth_api_client, user):
        response = auth_api_client.post(self.url(user))
        assert response.status_code == 400
        assert response.json() == {"non_field_errors": ["You cannot follow yourself."]}
        assert not Follow.objects.exists()

    def test_anonymous_is_401(self, api_client, other_user):
        assert api_client.post(self.url(other_user)).status_code == 401

    def test_unknown_user_is_404_json(self, auth_api_client):
        response = auth_api_client.post("/api/v1/users/ghost/follow/")
        assert response.status_code == 404
        assert "detail" in response.json()

    def test_followers_and_following_lists(self, api_client, user):
        fans = UserFactory.create_batch(3)
        for fan in fans:
            FollowFactory(follower=fan, followed=user)
        body = api_client.get(self.url(user, "followers")).json()
        assert body["count"] == 3
        assert {p["username"] for p in body["results"]} == {f.username for f in fans}
        assert (
            api_client.get(self.url(fans[0], "following")).json()["results"][0]["username"]
            == user.username
        )

    @pytest.mark.parametrize("count", [1, 10])
    def test_list_query_count_is_fixed(
        self, auth_api_client, user, django_assert_num_queries, count
    ):
        for fan in UserFactory.create_batch(count):
            FollowFactory(follower=fan, followed=user)
        with django_assert_num_queries(4):  # the user, count, the page, its follower counts
            auth_api_client.get(self.url(user, "followers"))


@pytest.mark.parametrize("strategy", ["join", "cache", "write"])
class TestFeedCache:
    """A cached feed page is served until something it shows changes, then never again."""

    @pytest.fixture(autouse=True)
    def _strategy(self, settings, strategy):
        settings.SOCIAL_FEED_STRATEGY = strategy

    @staticmethod
    def contents(client) -> list[str]:
        return [post["content"] for post in client.get("/api/v1/feed/").json()["results"]]

    def test_repeat_read_is_served_from_cache(
        self, auth_api_client, user, follow, post, django_assert_num_queries
    ):
        friend = UserFactory()
        follow(user, friend)
        post(friend, "hello")
        assert self.contents(auth_api_client) == ["hello"]
        with django_assert_num_queries(0):
            assert self.contents(auth_api_client) == ["hello"]

    def test_followee_post_and_delete_show_at_once(
        self, auth_api_client, user, follow, post, committed
    ):
        friend = UserFactory()
        follow(user, friend)
        assert self.contents(auth_api_client) == []
        made = post(friend, "new from friend")
        assert self.contents(auth_api_client) == ["new from friend"]
        committed(services.post_delete, post=made, by=friend)
        assert self.contents(auth_api_client) == []

    def test_follow_and_unfollow_show_at_once(self, auth_api_client, user, follow, unfollow, post):
        friend = UserFactory()
        post(friend, "older post")
        assert self.contents(auth_api_client) == []
        follow(user, friend)
        assert self.contents(auth_api_client) == ["older post"]
        unfollow(user, friend)
        assert self.contents(auth_api_client) == []

    def test_own_post_shows_at_once(self, auth_api_client, user, post):
        assert self.contents(auth_api_client) == []
        post(user, "mine")
        assert self.contents(auth_api_client) == ["mine"]

    def test_renamed_author_shows_at_once(self, auth_api_client, user, follow, post, committed):
        friend = UserFactory(username="before")
        follow(user, friend)
        post(friend)
        auth_api_client.get("/api/v1/feed/")
        friend.username = "after"
        committed(friend.save)
        names = [
            p["user"]["username"] for p in auth_api_client.get("/api/v1/feed/").json()["results"]
        ]
        assert names == ["after"]

    def test_other_readers_keep_their_cache(self, auth_api_client, post, django_assert_num_queries):
        stranger = UserFactory()
        assert self.contents(auth_api_client) == []
        post(stranger, "not followed by anyone")
        with django_assert_num_queries(0):
            assert self.contents(auth_api_client) == []

    def test_posts_made_outside_the_services_show_too(self, auth_api_client, user, committed):
        friend = UserFactory()
        FollowFactory(follower=user, followed=friend)
        assert self.contents(auth_api_client) == []
        committed(PostFactory, user=friend, content="from the admin")
        assert self.contents(auth_api_client) == ["from the admin"]

    def test_edits_made_outside_the_services_show_too(self, auth_api_client, user, committed):
        friend = UserFactory()
        FollowFactory(follower=user, followed=friend)
        made = committed(PostFactory, user=friend, content="first draft")
        assert self.contents(auth_api_client) == ["first draft"]
        made.content = "second draft"
        committed(made.save)
        assert self.contents(auth_api_client) == ["second draft"]
