"""The public timeline (web and API, open to visitors) and per-user RSS/Atom feeds."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accounts.tests.factories import UserFactory
from social import services
from social.tests.factories import PostFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

PUBLIC_URL = reverse("social:public")
ATOM = "{http://www.w3.org/2005/Atom}"


class TestPublicTimeline:
    def test_visitors_see_every_post_newest_first(self, client):
        older, newer = PostFactory(content="older one"), PostFactory(content="newer one")
        page = client.get(PUBLIC_URL)
        assert page.status_code == 200
        body = page.content.decode()
        assert body.index("newer one") < body.index("older one")
        assert [post.pk for post in page.context["posts"]] == [newer.pk, older.pk]

    def test_signed_in_viewer_misses_muted_and_blocked_authors(self, client, user):
        muted, blocker, fine = UserFactory(), UserFactory(), UserFactory()
        PostFactory(user=muted, content="muted words")
        PostFactory(user=blocker, content="blocker words")
        PostFactory(user=fine, content="fine words")
        services.mute_create(muter=user, muted=muted)
        services.block_create(blocker=blocker, blocked=user)
        client.force_login(user)
        page = client.get(PUBLIC_URL)
        assertContains(page, "fine words")
        assertNotContains(page, "muted words")
        assertNotContains(page, "blocker words")

    def test_nav_points_visitors_here(self, client):
        assertContains(client.get("/"), f'<a href="{PUBLIC_URL}">Social</a>')

    def test_query_count_is_fixed(self, client, django_assert_num_queries):
        PostFactory.create_batch(25)
        with django_assert_num_queries(3):  # bounded count, one page, its photos
            client.get(PUBLIC_URL)

    def test_api_is_open_and_paginated(self, api_client):
        made = PostFactory.create_batch(3)
        body = api_client.get("/api/v1/posts/public/", {"page_size": 2}).json()
        assert [item["id"] for item in body["results"]] == [made[2].pk, made[1].pk]
        assert body["next"]
        assert api_client.get("/api/v1/posts/public/", {"page": "x"}).status_code == 404


class TestSyndication:
    def test_rss_lists_the_users_posts_escaped(self, client):
        alice = UserFactory(username="alice")
        PostFactory(user=alice, content="<b>hello</b> #tag")
        PostFactory(content="someone else")
        response = client.get(reverse("social:profile-rss", args=["alice"]))
        assert response["Content-Type"].startswith("application/rss+xml")
        channel = ET.fromstring(response.content).find("channel")
        assert channel.findtext("title") == "alice on Blueprints"
        items = channel.findall("item")
        assert [item.findtext("title") for item in items] == ["<b>hello</b> #tag"]
        description = items[0].findtext("description")
        assert "&lt;b&gt;hello&lt;/b&gt;" in description
        assert 'class="hashtag"' in description

    def test_atom_feed_with_updated_dates(self, client):
        bob = UserFactory(username="bob")
        post = services.post_create(user=bob, content="draft")
        services.post_update(post=post, by=bob, content="final")
        response = client.get(reverse("social:profile-atom", args=["bob"]))
        assert response["Content-Type"].startswith("application/atom+xml")
        feed = ET.fromstring(response.content)
        entries = feed.findall(f"{ATOM}entry")
        assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["final"]
        assert entries[0].findtext(f"{ATOM}updated") != entries[0].findtext(f"{ATOM}published")

    def test_unknown_user_is_404_and_profile_links_the_feeds(self, client):
        assert client.get(reverse("social:profile-rss", args=["nobody"])).status_code == 404
        carol = UserFactory(username="carol")
        page = client.get(reverse("profile", args=[carol.username]))
        assertContains(page, 'type="application/atom+xml"')
        assertContains(page, f'href="{reverse("social:profile-rss", args=["carol"])}">RSS</a>')
