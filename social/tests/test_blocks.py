"""Blocks and mutes, under every feed strategy."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accounts.tests.factories import UserFactory
from social import selectors, services
from social.models import Follow, Notification
from social.tests.factories import PostFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

STRATEGIES = ["join", "cache", "write"]


def feed_ids(user) -> list[int]:
    return [post.pk for post in selectors.feed_page(user, limit=100)[0]]


class TestBlock:
    def test_block_ends_follows_both_ways_and_refuses_new_ones(self, committed, user, other_user):
        Follow.objects.create(follower=user, followed=other_user)
        Follow.objects.create(follower=other_user, followed=user)
        assert committed(services.block_create, blocker=user, blocked=other_user) is True
        assert not Follow.objects.exists()
        with pytest.raises(ValidationError, match="cannot follow"):
            services.follow_create(follower=other_user, followed=user)
        with pytest.raises(ValidationError, match="unblock them first"):
            services.follow_create(follower=user, followed=other_user)

    def test_blocked_user_cannot_see_reply_or_mention(self, client, user, other_user):
        post = PostFactory(user=user, content="not for you")
        services.block_create(blocker=user, blocked=other_user)
        client.force_login(other_user)
        assert client.get(post.get_absolute_url()).status_code == 404
        assertNotContains(client.get(reverse("profile", args=[user.username])), "not for you")
        with pytest.raises(ValidationError):
            services.post_create(user=other_user, content="hey", in_reply_to_id=post.pk)
        services.post_create(user=other_user, content=f"hey @{user.username}")
        assert not Notification.objects.filter(recipient=user).exists()
        assert client.post(reverse("social:post-like", args=[post.pk])).status_code == 404

    def test_blocked_users_replies_leave_the_thread(self, user, other_user):
        root = PostFactory(user=user)
        services.post_create(user=other_user, content="reply", in_reply_to_id=root.pk)
        services.block_create(blocker=user, blocked=other_user)
        assert selectors.post_thread(root, user).descendants == []

    def test_self_block_is_refused(self, user):
        with pytest.raises(ValidationError):
            services.block_create(blocker=user, blocked=user)

    def test_unblock_allows_following_again(self, user, other_user):
        services.block_create(blocker=user, blocked=other_user)
        assert services.block_delete(blocker=user, blocked=other_user) is True
        assert services.follow_create(follower=other_user, followed=user) is True


@pytest.mark.parametrize("strategy", STRATEGIES)
class TestFeedsHideAtReadTime:
    def test_muted_posts_already_fanned_out_vanish(self, settings, strategy, follow, post, user):
        settings.SOCIAL_FEED_STRATEGY = strategy
        loud, friend = UserFactory(), UserFactory()
        follow(user, loud)
        follow(user, friend)
        kept = post(friend, "kept")
        for n in range(30):
            post(loud, f"noise {n}")
        services.mute_create(muter=user, muted=loud)
        assert feed_ids(user) == [kept.pk]
        # and paging across many hidden posts still reaches the older ones
        collected, cursor = [], None
        while True:
            posts, cursor = selectors.feed_page(user, before=cursor, limit=5)
            collected += [p.pk for p in posts]
            if cursor is None:
                break
        assert collected == [kept.pk]
        services.mute_delete(muter=user, muted=loud)
        assert len(feed_ids(user)) == 31

    def test_blocker_posts_leave_the_blocked_users_feed(
        self, settings, strategy, follow, post, committed, user, other_user
    ):
        settings.SOCIAL_FEED_STRATEGY = strategy
        follow(other_user, user)
        post(user, "mine")
        committed(services.block_create, blocker=user, blocked=other_user)
        assert feed_ids(other_user) == []


class TestMute:
    def test_muted_users_notifications_stop(self, user, other_user):
        services.mute_create(muter=user, muted=other_user)
        services.post_create(user=other_user, content=f"@{user.username}")
        services.follow_create(follower=other_user, followed=user)  # a mute does not refuse
        assert not Notification.objects.exists()

    def test_api_feed_cache_is_dropped_on_mute(self, auth_api_client, user, follow, post):
        friend = UserFactory()
        follow(user, friend)
        post(friend)
        assert len(auth_api_client.get("/api/v1/feed/").json()["results"]) == 1
        services.mute_create(muter=user, muted=friend)
        assert auth_api_client.get("/api/v1/feed/").json()["results"] == []


class TestWebAndApi:
    def test_profile_buttons_and_list_page(self, client, user, other_user):
        client.force_login(user)
        profile = reverse("profile", args=[other_user.username])
        assertContains(client.get(profile), ">Block</button>")
        client.post(reverse("social:block", args=[other_user.username]), {"next": profile})
        client.post(reverse("social:mute", args=[other_user.username]))
        page = client.get(profile)
        assertContains(page, ">Unblock</button>")
        assertContains(page, ">Unmute</button>")
        listing = client.get(reverse("social:blocked-muted"))
        assert listing.content.decode().count(other_user.username) >= 2
        client.post(reverse("social:unblock", args=[other_user.username]))
        client.post(reverse("social:unmute", args=[other_user.username]))
        assertContains(client.get(reverse("social:blocked-muted")), "You block nobody.")

    def test_self_block_is_a_message(self, client, user):
        client.force_login(user)
        response = client.post(reverse("social:block", args=[user.username]), follow=True)
        assertContains(response, "You cannot block yourself.")

    def test_api_block_mute_lists(self, auth_api_client, other_user):
        url = f"/api/v1/users/{other_user.username}/"
        assert auth_api_client.post(url + "block/").status_code == 201
        assert auth_api_client.post(url + "block/").status_code == 200
        assert auth_api_client.post(url + "mute/").status_code == 201
        blocks = auth_api_client.get("/api/v1/users/me/blocks/").json()["results"]
        assert [person["username"] for person in blocks] == [other_user.username]
        assert len(auth_api_client.get("/api/v1/users/me/mutes/").json()["results"]) == 1
        assert auth_api_client.delete(url + "block/").status_code == 204
        assert auth_api_client.delete(url + "mute/").status_code == 204
        assert auth_api_client.get("/api/v1/users/me/blocks/").json()["results"] == []

    def test_api_errors(self, api_client, auth_api_client, user):
        assert api_client.post(f"/api/v1/users/{user.username}/block/").status_code == 401
        assert auth_api_client.post(f"/api/v1/users/{user.username}/block/").status_code == 400
        assert auth_api_client.post("/api/v1/users/nobody/mute/").status_code == 404
