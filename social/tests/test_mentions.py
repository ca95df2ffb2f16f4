"""Mentions notify the people named; #tags fill the tag pages; both link safely."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accounts.tests.factories import UserFactory
from social import services
from social.models import Notification, Tag
from social.tests.factories import PostFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


class TestMentions:
    def test_mentioned_users_are_notified_once(self, user):
        bob, carol = UserFactory(username="bob"), UserFactory(username="Carol")
        post = services.post_create(user=user, content="@bob @bob @carol @nobody hi")
        told = Notification.objects.filter(kind="mention", post=post)
        assert {n.recipient for n in told} == {bob, carol}

    def test_self_mention_and_reply_target_get_no_mention(self, user):
        bob = UserFactory(username="bob")
        root = PostFactory(user=bob)
        services.post_create(user=user, content=f"@bob @{user.username}", in_reply_to_id=root.pk)
        assert list(Notification.objects.values_list("kind", "recipient")) == [("reply", bob.pk)]


class TestTags:
    def test_tags_recorded_and_page_lists_them(self, client, user):
        tagged = services.post_create(user=user, content="Baking #Bread today #bread")
        services.post_create(user=user, content="no tags")
        assert list(Tag.objects.values_list("name", flat=True)) == ["bread"]
        assert list(tagged.tags.values_list("name", flat=True)) == ["bread"]
        page = client.get(reverse("social:tag", args=["bread"]))
        assertContains(page, "<h1>Posts tagged #bread</h1>", html=True)
        assertContains(page, 'href="/social/tags/bread/" class="hashtag">#Bread</a>')
        assertNotContains(page, "no tags")

    def test_unknown_tag_page_is_an_empty_list(self, client):
        assertContains(client.get(reverse("social:tag", args=["nothing"])), "No posts carry")

    def test_api_tag_timeline(self, api_client, user):
        post = services.post_create(user=user, content="#Tea time")
        body = api_client.get("/api/v1/tags/TEA/posts/").json()
        assert [item["id"] for item in body["results"]] == [post.pk]
        assert 'class="hashtag">#Tea</a> time' in body["results"][0]["content_html"]

    def test_tag_page_query_count_is_fixed(self, client, user, django_assert_num_queries):
        for n in range(5):
            services.post_create(user=user, content=f"#same {n}")
        with django_assert_num_queries(3):  # count, one page, its photos
            client.get(reverse("social:tag", args=["same"]))


class TestRenderedOnPages:
    def test_feed_escapes_and_links(self, client, user):
        services.post_create(
            user=user, content="<script>x</script> https://example.com @someone javascript:x"
        )
        client.force_login(user)
        page = client.get(reverse("social:feed"))
        assertContains(page, "&lt;script&gt;x&lt;/script&gt;")
        assertContains(page, '<a href="https://example.com" rel="nofollow noopener" class="url">')
        assertContains(page, '<a href="/u/someone/" class="mention">@someone</a>')
        assertNotContains(page, 'href="javascript')
