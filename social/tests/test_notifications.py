"""Notifications: stored once per piece of news, counted on the user row for the
navigation, read one by one or all at once, on the web and the API, and e-mailed per
kind when the user wants it, throttled."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accounts.tests.factories import UserFactory
from social import services
from social.models import Notification
from social.tests.factories import PostFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

NOTIFICATIONS_URL = reverse("social:notifications")
LIKE = Notification.Kind.LIKE


def unread(user) -> int:
    user.refresh_from_db()
    return user.unread_notifications


class TestCreate:
    def test_follow_notifies_the_followed_user_and_counts_it(self, follow, user, other_user):
        follow(other_user, user)
        notification = Notification.objects.get()
        assert (notification.recipient, notification.actor) == (user, other_user)
        assert notification.kind == Notification.Kind.FOLLOW
        assert unread(user) == 1
        assert unread(other_user) == 0

    def test_same_unread_news_is_not_repeated(self, committed, user, other_user):
        post = PostFactory(user=user)
        for _ in range(3):
            committed(
                services.notification_create,
                recipient=user,
                actor=other_user,
                kind=LIKE,
                post=post,
            )
        assert Notification.objects.count() == 1
        assert unread(user) == 1

    def test_own_actions_are_not_news(self, user):
        assert services.notification_create(recipient=user, actor=user, kind=LIKE) is None
        assert not Notification.objects.exists()

    def test_deleting_the_post_recounts_unread(self, committed, user, other_user):
        post = PostFactory(user=user)
        services.notification_create(recipient=user, actor=other_user, kind=LIKE, post=post)
        assert unread(user) == 1
        committed(services.post_delete, post=post, by=user)
        assert unread(user) == 0
        assert not Notification.objects.exists()


class TestMarkRead:
    def test_one_then_all(self, user):
        actors = UserFactory.create_batch(3)
        made = [
            services.notification_create(recipient=user, actor=actor, kind="follow")
            for actor in actors
        ]
        assert services.notification_mark_read(notification=made[0], by=user) is True
        assert services.notification_mark_read(notification=made[0], by=user) is False
        assert unread(user) == 2
        assert services.notification_mark_all_read(user=user) == 2
        assert unread(user) == 0
        assert not Notification.objects.filter(read_on__isnull=True).exists()

    def test_someone_elses_notification_is_untouched(self, user, other_user):
        made = services.notification_create(recipient=user, actor=other_user, kind="follow")
        assert services.notification_mark_read(notification=made, by=other_user) is False
        assert unread(user) == 1


class TestWeb:
    def test_nav_shows_the_unread_count_without_a_query(
        self, client, user, other_user, django_assert_num_queries
    ):
        client.force_login(user)
        with django_assert_num_queries(2):  # session + user, as without notifications
            page = client.get(reverse("account-preferences"))
        assertNotContains(page, 'data-testid="unread-count"')
        services.notification_create(recipient=user, actor=other_user, kind="follow")
        with django_assert_num_queries(2):
            page = client.get(reverse("account-preferences"))
        assertContains(page, '<span class="badge" data-testid="unread-count">1<span')

    def test_page_lists_and_marks_read(self, client, user, other_user):
        post = PostFactory(user=user, content="<i>my</i> post")
        made = services.notification_create(recipient=user, actor=other_user, kind=LIKE, post=post)
        client.force_login(user)
        page = client.get(NOTIFICATIONS_URL)
        assertContains(page, f"{other_user.username}</strong></a>\n        liked your post")
        assertContains(page, "&lt;i&gt;my&lt;/i&gt; post")
        assertContains(page, "Mark all read")
        response = client.post(reverse("social:notification-read", args=[made.pk]))
        assert response.status_code == 302
        assert unread(user) == 0
        assertNotContains(client.get(NOTIFICATIONS_URL), "Mark all read")

    def test_mark_all_read_redirects_back_safely(self, client, user, other_user):
        services.notification_create(recipient=user, actor=other_user, kind="follow")
        client.force_login(user)
        url = reverse("social:notifications-read-all")
        response = client.post(url, {"next": "https://evil.example/"})
        assert response["Location"] == NOTIFICATIONS_URL
        assert unread(user) == 0

    def test_other_users_notification_is_404_and_login_is_required(self, client, user, other_user):
        made = services.notification_create(recipient=other_user, actor=user, kind="follow")
        assert client.get(NOTIFICATIONS_URL).status_code == 302
        client.force_login(user)
        response = client.post(reverse("social:notification-read", args=[made.pk]))
        assert response.status_code == 404
        assert client.get(reverse("social:notification-read", args=[made.pk])).status_code == 405

    def test_page_query_count_is_fixed(self, client, user, django_assert_num_queries):
        for actor in UserFactory.create_batch(5):
            services.notification_create(
                recipient=user, actor=actor, kind=LIKE, post=PostFactory(user=user)
            )
        client.force_login(user)
        with django_assert_num_queries(4):  # session, user, count, one joined page
            client.get(NOTIFICATIONS_URL)


class TestApi:
    def test_list_filter_and_mark_read(self, auth_api_client, user, other_user):
        post = PostFactory(user=user)
        liked = services.notification_create(recipient=user, actor=other_user, kind=LIKE, post=post)
        services.notification_create(recipient=user, actor=other_user, kind="follow")
        body = auth_api_client.get("/api/v1/users/me/notifications/").json()
        assert [item["kind"] for item in body["results"]] == ["follow", "like"]
        assert body["results"][1]["post"]["id"] == post.pk
        assert body["results"][1]["actor"]["username"] == other_user.username
        assert body["results"][0]["post"] is None

        response = auth_api_client.post(f"/api/v1/users/me/notifications/{liked.pk}/read/")
        assert response.status_code == 200
        assert response.json()["is_read"] is True
        unread_only = auth_api_client.get(
            "/api/v1/users/me/notifications/", {"unread": "true"}
        ).json()
        assert [item["kind"] for item in unread_only["results"]] == ["follow"]
        assert auth_api_client.post("/api/v1/users/me/notifications/read/").json() == {"marked": 1}
        assert unread(user) == 0

    @pytest.mark.parametrize("query", [{"unread": "yes"}, {"kind": "reblog"}, {"unread": ""}])
    def test_bad_filters_are_400(self, auth_api_client, query):
        assert auth_api_client.get("/api/v1/users/me/notifications/", query).status_code == 400

    def test_anonymous_is_401_and_others_are_404(self, api_client, auth_api_client, other_user):
        made = services.notification_create(
            recipient=other_user, actor=UserFactory(), kind="follow"
        )
        assert api_client.get("/api/v1/users/me/notifications/").status_code == 401
        response = auth_api_client.post(f"/api/v1/users/me/notifications/{made.pk}/read/")
        assert response.status_code == 404

    def test_list_query_count_is_fixed(self, auth_api_client, user, django_assert_num_queries):
        for actor in UserFactory.create_batch(4):
            services.notification_create(
                recipient=user, actor=actor, kind=LIKE, post=PostFactory(user=user)
            )
        with django_assert_num_queries(2):  # count, one joined page (token auth is cached)
            auth_api_client.get("/api/v1/users/me/notifications/")


class TestEmail:
    def test_each_kind_follows_its_preference(self, committed):
        actor = UserFactory(username="alice")
        wants = UserFactory(email_on_like=True)
        refuses = UserFactory(email_on_mention=False)
        committed(
            services.notification_create,
            recipient=wants,
            actor=actor,
            kind=LIKE,
            post=PostFactory(user=wants, content="liked words"),
        )
        committed(services.notification_create, recipient=refuses, actor=actor, kind="mention")
        assert [message.to for message in mail.outbox] == [[wants.email]]
        assert mail.outbox[0].subject == f"alice liked your post on {settings.SITE_NAME}"
        assert "liked words" in mail.outbox[0].body
        assert reverse("account-preferences") in mail.outbox[0].body

    def test_likes_are_not_mailed_by_default(self, committed):
        recipient = UserFactory()
        committed(
            services.notification_create,
            recipient=recipient,
            actor=UserFactory(),
            kind=LIKE,
            post=PostFactory(user=recipient),
        )
        assert mail.outbox == []

    def test_throttled_per_actor_and_kind(self, committed):
        recipient, actor = UserFactory(), UserFactory()
        for _ in range(3):
            post = PostFactory(user=actor)
            committed(
                services.notification_create,
                recipient=recipient,
                actor=actor,
                kind="reply",
                post=post,
            )
        committed(services.notification_create, recipient=recipient, actor=actor, kind="mention")
        assert len(mail.outbox) == 2  # one reply, one mention
        assert Notification.objects.filter(kind="reply").count() == 3  # all in the app

    def test_preferences_page_and_api_set_each_kind(self, client, auth_api_client, user):
        client.force_login(user)
        page = client.get(reverse("account-preferences"))
        for name in ("email_on_mention", "email_on_reply", "email_on_like"):
            assertContains(page, f'name="{name}"')
        client.post(reverse("account-preferences"), {"email_on_like": "on"})
        user.refresh_from_db()
        assert (user.email_on_follow, user.email_on_mention, user.email_on_like) == (
            False,
            False,
            True,
        )
        response = auth_api_client.patch(
            "/api/v1/users/me/", {"email_on_reply": False}, format="json"
        )
        assert response.json()["email_on_reply"] is False
        assert response.json()["email_on_like"] is True
