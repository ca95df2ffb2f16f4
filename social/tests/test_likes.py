"""Likes: one per user and post, counted without a query per post, the author told."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from accounts.tests.factories import UserFactory
from social import services
from social.models import Like, Notification, Post
from social.tests.factories import PostFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def likes(post: Post) -> int:
    post.refresh_from_db()
    return post.like_count


class TestServices:
    def test_like_counts_once_and_notifies_the_author(self, user, other_user):
        post = PostFactory(user=other_user)
        assert services.like_create(user=user, post=post) is True
        assert services.like_create(user=user, post=post) is False
        assert likes(post) == 1
        notification = Notification.objects.get()
        assert (notification.kind, notification.actor, notification.post) == ("like", user, post)

    def test_unlike_is_idempotent_and_never_below_zero(self, user):
        post = PostFactory()
        services.like_create(user=user, post=post)
        assert services.like_delete(user=user, post=post) is True
        assert services.like_delete(user=user, post=post) is False
        assert likes(post) == 0

    def test_deleting_a_liker_or_a_like_in_the_admin_keeps_the_count(self, user):
        post = PostFactory()
        liker = UserFactory()
        services.like_create(user=liker, post=post)
        services.like_create(user=user, post=post)
        liker.delete()
        assert likes(post) == 1
        Like.objects.filter(user=user).delete()
        assert likes(post) == 0

    def test_deleting_a_liked_post_works(self, user, committed):
        post = PostFactory(user=user)
        for liker in UserFactory.create_batch(3):
            services.like_create(user=liker, post=post)
        committed(services.post_delete, post=post, by=user)
        assert not Like.objects.exists()


class TestWeb:
    def test_like_and_unlike_buttons(self, client, user, other_user):
        post = PostFactory(user=other_user)
        client.force_login(user)
        response = client.post(reverse("social:post-like", args=[post.pk]), follow=True)
        assertContains(response, 'aria-pressed="true"')
        assertContains(response, "1 like<")
        client.post(reverse("social:post-unlike", args=[post.pk]))
        assert likes(post) == 0

    def test_anonymous_sees_counts_but_no_button(self, client):
        post = PostFactory()
        services.like_create(user=UserFactory(), post=post)
        page = client.get(post.get_absolute_url())
        assertContains(page, "1 like<")
        assert b'data-testid="like-button"' not in page.content

    def test_unknown_post_is_404_and_get_is_405(self, client, user):
        client.force_login(user)
        assert client.post(reverse("social:post-like", args=[999999])).status_code == 404
        post = PostFactory()
        assert client.get(reverse("social:post-like", args=[post.pk])).status_code == 405

    def test_feed_shows_own_likes_in_fixed_queries(
        self, client, user, follow, post, django_assert_num_queries
    ):
        friends = UserFactory.create_batch(4)
        for friend in friends:
            follow(user, friend)
            services.like_create(user=user, post=post(friend))
        client.force_login(user)
        # session, user, hidden authors, feed, its photos, likes, the composer's photos
        with django_assert_num_queries(7):
            page = client.get(reverse("social:feed"))
        assert page.content.decode().count('aria-pressed="true"') == 4


class TestApi:
    def test_like_201_then_200_unlike_204(self, auth_api_client, other_user):
        post = PostFactory(user=other_user)
        url = f"/api/v1/posts/{post.pk}/like/"
        first = auth_api_client.post(url)
        assert first.status_code == 201
        assert (first.json()["like_count"], first.json()["liked_by_you"]) == (1, True)
        assert auth_api_client.post(url).status_code == 200
        assert auth_api_client.delete(url).status_code == 204
        assert auth_api_client.delete(url).status_code == 204
        assert likes(post) == 0

    def test_anonymous_401_unknown_404(self, api_client, auth_api_client):
        post = PostFactory()
        assert api_client.post(f"/api/v1/posts/{post.pk}/like/").status_code == 401
        assert auth_api_client.post("/api/v1/posts/999999/like/").status_code == 404

    def test_feed_shows_counts_and_own_likes_at_once(self, auth_api_client, user, follow, post):
        friend = UserFactory()
        follow(user, friend)
        made = post(friend)
        assert auth_api_client.get("/api/v1/feed/").json()["results"][0]["like_count"] == 0
        services.like_create(user=user, post=made)
        item = auth_api_client.get("/api/v1/feed/").json()["results"][0]
        assert (item["like_count"], item["liked_by_you"]) == (1, True)

    def test_post_list_has_likes_without_n_plus_one(
        self, auth_api_client, user, django_assert_num_queries
    ):
        for made in PostFactory.create_batch(5):
            services.like_create(user=user, post=made)
        with django_assert_num_queries(3):  # count, one annotated page, its photos
            body = auth_api_client.get("/api/v1/posts/").json()
        assert all(item["liked_by_you"] and item["like_count"] == 1 for item in body["results"])
