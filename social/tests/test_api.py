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
        with django_assert_num_queries(2):
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
        with django_assert_num_queries(3):  # hidden authors, the feed, the caller's likes
            auth_api_client.get("/api/v1/feed/")


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
        with django_assert_num_queries(3):  # the user, count, one annotated page
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

    def test_renamed_author_shows_at_once(self, auth_api_client, user, follow, post):
        friend = UserFactory(username="before")
        follow(user, friend)
        post(friend)
        auth_api_client.get("/api/v1/feed/")
        friend.username = "after"
        friend.save()
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

    def test_posts_made_outside_the_services_show_too(self, strategy, auth_api_client, user):
        friend = UserFactory()
        FollowFactory(follower=user, followed=friend)
        assert self.contents(auth_api_client) == []
        PostFactory(user=friend, content="from the admin")
        if strategy == "write":  # its store is filled by the services; rebuild_feeds repairs it
            services.feed_rebuild(user_ids=[user.pk])
        assert self.contents(auth_api_client) == ["from the admin"]
