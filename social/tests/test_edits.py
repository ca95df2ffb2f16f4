"""Editing keeps the history, shown on the post; deleting leaves no feed showing it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from pytest_django.asserts import assertContains

from accounts.tests.factories import UserFactory
from social import selectors, services
from social.feeds import STRATEGIES
from social.models import Notification, PostEdit
from social.tests.factories import PostFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


class TestService:
    def test_edit_keeps_each_earlier_text(self, user):
        post = services.post_create(user=user, content="first #old")
        services.post_update(post=post, by=user, content="second #new")
        services.post_update(post=post, by=user, content="third\r\n#new")
        post.refresh_from_db()
        assert post.content == "third\n#new" and post.edited_on is not None
        history = selectors.post_history(post)
        assert [edit.content for edit in history] == ["second #new", "first #old"]
        assert history[-1].written_on == post.created_on
        assert list(post.tags.values_list("name", flat=True)) == ["new"]

    def test_unchanged_text_is_no_edit_and_others_cannot_edit(self, user, other_user):
        post = PostFactory(user=user, content="same")
        services.post_update(post=post, by=user, content=" same ")
        assert not PostEdit.objects.exists()
        with pytest.raises(PermissionDenied):
            services.post_update(post=post, by=other_user, content="mine now")

    def test_only_newly_mentioned_people_are_notified(self, user):
        bob, carol = UserFactory(username="bob"), UserFactory(username="carol")
        post = services.post_create(user=user, content="@bob hi")
        Notification.objects.update(read_on=post.created_on)  # bob read it
        services.post_update(post=post, by=user, content="@bob @carol hi")
        told = Notification.objects.filter(kind="mention").values_list("recipient", flat=True)
        assert sorted(told) == sorted([bob.pk, carol.pk])

    def test_too_long_edit_is_refused(self, user):
        from django.core.exceptions import ValidationError

        post = PostFactory(user=user, content="short")
        with pytest.raises(ValidationError):
            services.post_update(post=post, by=user, content="x" * 501)
        post.refresh_from_db()
        assert post.content == "short" and not PostEdit.objects.exists()


@pytest.mark.parametrize("strategy", sorted(STRATEGIES))
def test_edited_and_deleted_posts_in_every_strategy(
    settings, strategy, follow, post, committed, auth_api_client, user
):
    settings.SOCIAL_FEED_STRATEGY = strategy
    friend = UserFactory()
    follow(user, friend)
    made = post(friend, "before")
    assert auth_api_client.get("/api/v1/feed/").json()["results"][0]["content"] == "before"
    committed(services.post_update, post=made, by=friend, content="after")
    assert auth_api_client.get("/api/v1/feed/").json()["results"][0]["content"] == "after"
    committed(services.post_delete, post=made, by=friend)
    assert auth_api_client.get("/api/v1/feed/").json()["results"] == []
    for name, feed in STRATEGIES.items():
        assert feed.page(user, before=None, limit=10) == [], name


class TestWeb:
    def test_author_edits_and_history_shows(self, client, user):
        post = PostFactory(user=user, content="typo")
        client.force_login(user)
        edit_url = reverse("social:post-edit", args=[post.pk])
        assertContains(client.get(edit_url), "\ntypo</textarea>")
        response = client.post(edit_url, {"content": "fixed"})
        assert response["Location"] == post.get_absolute_url()
        page = client.get(post.get_absolute_url())
        assertContains(page, "fixed")
        assertContains(page, "edited</span>")
        assertContains(page, "Edit history (1 earlier version)")
        assertContains(page, "typo")

    def test_others_get_404_and_bad_text_an_error(self, client, user, other_user):
        post = PostFactory(user=other_user)
        client.force_login(user)
        assert client.get(reverse("social:post-edit", args=[post.pk])).status_code == 404
        mine = PostFactory(user=user)
        response = client.post(reverse("social:post-edit", args=[mine.pk]), {"content": "  "})
        assert response.status_code == 200
        assert response.context["form"].errors["content"]

    def test_anonymous_is_sent_to_login(self, client):
        post = PostFactory()
        response = client.get(reverse("social:post-edit", args=[post.pk]))
        assert response.status_code == 302


class TestApi:
    def test_patch_and_history(self, auth_api_client, user, other_user):
        post = PostFactory(user=user, content="v1")
        url = f"/api/v1/posts/{post.pk}/"
        response = auth_api_client.patch(url, {"content": "v2"}, format="json")
        assert response.status_code == 200
        assert response.json()["content"] == "v2" and response.json()["edited_on"]
        history = auth_api_client.get(url + "history/").json()
        assert [edit["content"] for edit in history] == ["v1"]

    @pytest.mark.parametrize(
        "body", [{"content": ""}, {"content": 5}, {"in_reply_to": 1}, {"content": "x" * 501}]
    )
    def test_bad_patch_is_400(self, auth_api_client, user, body):
        post = PostFactory(user=user)
        response = auth_api_client.patch(f"/api/v1/posts/{post.pk}/", body, format="json")
        assert response.status_code == 400

    def test_empty_patch_changes_nothing(self, auth_api_client, user):
        post = PostFactory(user=user, content="as is")
        response = auth_api_client.patch(f"/api/v1/posts/{post.pk}/", {}, format="json")
        assert response.status_code == 200 and response.json()["edited_on"] is None

    def test_others_cannot_patch(self, auth_api_client, other_user):
        post = PostFactory(user=other_user)
        response = auth_api_client.patch(f"/api/v1/posts/{post.pk}/", {"content": "x"})
        assert response.status_code == 403


@pytest.mark.parametrize("strategy", sorted(STRATEGIES))
def test_api_delete_goes_through_the_service_in_every_strategy(
    settings, strategy, follow, post, django_capture_on_commit_callbacks, user, other_user
):
    from rest_framework.test import APIClient

    settings.SOCIAL_FEED_STRATEGY = strategy
    follow(other_user, user)
    made = post(user, "soon gone")
    client = APIClient()
    client.force_authenticate(user)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(f"/api/v1/posts/{made.pk}/").status_code == 204
    for name, feed in STRATEGIES.items():
        assert feed.page(other_user, before=None, limit=10) == [], name
    if strategy == "write":
        from social.feeds import feed_store

        assert (feed_store().page(other_user.pk, before=None, limit=10) or []) == []
