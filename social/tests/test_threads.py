"""Replies and threads: a reply is a post in its author's followers' feeds, counted on
its parent, notifying the parent's author; a thread page shows ancestors and replies
from one query."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from accounts.tests.factories import UserFactory
from social import selectors, services
from social.models import Notification, Post
from social.tests.factories import PostFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def reply(user, parent, content="a reply"):
    return services.post_create(user=user, content=content, in_reply_to_id=parent.pk)


def replies_of(post) -> int:
    post.refresh_from_db()
    return post.reply_count


class TestServices:
    def test_reply_joins_the_thread_counts_and_notifies(self, user, other_user):
        root = PostFactory(user=user)
        first = reply(other_user, root)
        second = reply(user, first)
        assert (first.in_reply_to, first.conversation_id) == (root, root.pk)
        assert (second.in_reply_to, second.conversation_id) == (first, root.pk)
        assert (replies_of(root), replies_of(first)) == (1, 1)
        notification = Notification.objects.get(kind="reply", recipient=user)
        assert (notification.actor, notification.post) == (other_user, first)
        told = Notification.objects.get(kind="reply", recipient=other_user)
        assert (told.actor, told.post) == (user, second)

    def test_reply_to_a_missing_post_is_refused(self, user):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError) as error:
            services.post_create(user=user, content="hi", in_reply_to_id=999999)
        assert "in_reply_to" in error.value.message_dict
        assert not Post.objects.exists()

    def test_deleting_a_reply_uncounts_it_and_the_parent_going_keeps_replies(
        self, committed, user, other_user
    ):
        root = PostFactory(user=user)
        answer = reply(other_user, root)
        committed(services.post_delete, post=answer, by=other_user)
        assert replies_of(root) == 0
        kept, root_id = reply(other_user, root), root.pk
        committed(services.post_delete, post=root, by=user)
        kept.refresh_from_db()
        assert kept.in_reply_to is None and kept.conversation_id == root_id

    @pytest.mark.parametrize("strategy", ["join", "cache", "write"])
    def test_a_reply_reaches_its_authors_followers(
        self, settings, strategy, follow, committed, user, other_user
    ):
        settings.SOCIAL_FEED_STRATEGY = strategy
        follow(user, other_user)
        root = PostFactory(user=UserFactory())
        answer = committed(reply, other_user, root)
        assert [post.pk for post in selectors.feed_page(user)[0]] == [answer.pk]


class TestThread:
    def test_ancestors_and_descendants_in_one_query(self, user, django_assert_num_queries):
        root = PostFactory(user=user, content="root")
        a = reply(user, root, "a")
        b = reply(user, root, "b")
        a1 = reply(user, a, "a1")
        a1x = reply(user, a1, "a1x")
        PostFactory(content="elsewhere")
        with django_assert_num_queries(2):  # the thread and its photos
            thread = selectors.post_thread(a, user)
        assert thread.ancestors == [root]
        assert [(post.pk, depth) for post, depth in thread.descendants] == [
            (a1.pk, 1),
            (a1x.pk, 2),
        ]
        whole = selectors.post_thread(root)
        assert [post.content for post, _ in whole.descendants] == ["a", "a1", "a1x", "b"]
        assert b.pk in {post.pk for post, _ in whole.descendants}

    def test_page_shows_thread_and_reply_form(self, client, user, other_user):
        root = PostFactory(user=other_user, content="the question")
        answer = reply(other_user, root, "the answer")
        client.force_login(user)
        page = client.get(answer.get_absolute_url())
        assertContains(page, "the question")
        assertContains(page, f'name="in_reply_to" value="{answer.pk}"')
        response = client.post(
            reverse("social:post-create"),
            {"content": "thanks\r\n!", "in_reply_to": str(answer.pk)},
        )
        mine = Post.objects.get(user=user)
        assert response["Location"] == f"{answer.get_absolute_url()}#post-{mine.pk}"
        assert mine.in_reply_to == answer and mine.content == "thanks\n!"
        assertContains(client.get(root.get_absolute_url()), "thanks")

    def test_reply_to_a_vanished_post_is_a_form_error(self, client, user):
        client.force_login(user)
        response = client.post(
            reverse("social:post-create"), {"content": "hello?", "in_reply_to": "999999"}
        )
        assertContains(response, "does not exist (any more)")
        assert not Post.objects.exists()

    def test_page_query_count_does_not_grow_with_the_thread(
        self, client, user, django_assert_num_queries
    ):
        root = PostFactory(user=user)
        parent = root
        for n in range(8):
            parent = reply(UserFactory(), parent, f"level {n}")
        client.force_login(user)
        # session, user, the post, the thread, and each one's photos
        with django_assert_num_queries(6):
            client.get(root.get_absolute_url())


class TestApi:
    def test_reply_and_context(self, auth_api_client, user, other_user):
        root = PostFactory(user=other_user)
        response = auth_api_client.post(
            "/api/v1/posts/", {"content": "re", "in_reply_to": root.pk}, format="json"
        )
        assert response.status_code == 201
        assert response.json()["in_reply_to"] == root.pk
        context = auth_api_client.get(f"/api/v1/posts/{response.json()['id']}/context/").json()
        assert [post["id"] for post in context["ancestors"]] == [root.pk]
        assert context["descendants"] == []
        root_context = auth_api_client.get(f"/api/v1/posts/{root.pk}/context/").json()
        assert [post["id"] for post in root_context["descendants"]] == [response.json()["id"]]
        assert auth_api_client.get(f"/api/v1/posts/{root.pk}/").json()["reply_count"] == 1

    @pytest.mark.parametrize("value", [999999, "1", 0, True])
    def test_bad_parent_is_400(self, auth_api_client, value):
        response = auth_api_client.post(
            "/api/v1/posts/", {"content": "re", "in_reply_to": value}, format="json"
        )
        assert response.status_code == 400
        assert "in_reply_to" in response.json()
