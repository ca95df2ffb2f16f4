import pytest
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts.tests.factories import UserFactory
from social import selectors, services
from social.models import Follow, Post
from social.tests.factories import FollowFactory, PostFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

FEED_URL = reverse("social:feed")
CREATE_URL = reverse("social:post-create")


class TestFeedPage:
    def test_anonymous_is_sent_to_login(self, client):
        assertRedirects(client.get(FEED_URL), f"{reverse('account_login')}?next={FEED_URL}")

    def test_empty_state_points_to_people(self, client, user):
        client.force_login(user)
        response = client.get(FEED_URL)
        assertContains(response, "Follow people to fill your timeline")
        assertContains(response, reverse("social:people"))

    def test_shows_own_and_followed_posts_escaped(self, client, user):
        friend = UserFactory()
        FollowFactory(follower=user, followed=friend)
        PostFactory(user=friend, content="<b>bold</b> claim")
        PostFactory(user=user, content="my own")
        PostFactory(content="stranger danger")
        client.force_login(user)
        response = client.get(FEED_URL)
        assertContains(response, "&lt;b&gt;bold&lt;/b&gt; claim")
        assertContains(response, "my own")
        assertNotContains(response, "stranger danger")

    def test_twenty_per_page_with_older_link(self, client, user):
        PostFactory.create_batch(21, user=user)
        client.force_login(user)
        response = client.get(FEED_URL)
        assert len(response.context["posts"]) == 20
        older = client.get(FEED_URL, {"before": response.context["next_cursor"]})
        assert len(older.context["posts"]) == 1

    def test_garbage_cursor_shows_newest_with_a_warning(self, client, user):
        client.force_login(user)
        response = client.get(FEED_URL, {"before": "garbage"})
        assert response.status_code == 200
        assertContains(response, "page link was invalid")

    @pytest.mark.parametrize("count", [1, 20])
    def test_query_count_is_fixed(self, client, user, django_assert_num_queries, count):
        for friend in UserFactory.create_batch(count):
            FollowFactory(follower=user, followed=friend)
            PostFactory(user=friend)
        client.force_login(user)
        # session + user, hidden authors, the one feed query, its photos, the viewer's
        # likes, the composer's photos to pick from
        with django_assert_num_queries(7):
            client.get(FEED_URL)


class TestPostCreate:
    def test_valid_post_saves_and_redirects_with_message(self, client, user):
        client.force_login(user)
        response = client.post(CREATE_URL, {"content": "Hello world"}, follow=True)
        assertRedirects(response, FEED_URL)
        assertContains(response, "Your post is live.")
        assertContains(response, "Hello world")
        assert Post.objects.get().user == user

    @pytest.mark.parametrize("content", ["", "   ", "x" * 501])
    def test_blank_or_too_long_is_a_field_error(self, client, user, content):
        client.force_login(user)
        response = client.post(CREATE_URL, {"content": content})
        assert response.status_code == 200
        assert response.context["form"].errors["content"]
        assert not Post.objects.exists()

    def test_browser_line_breaks_count_as_one_character(self, client, user):
        """Browsers send "\r\n" but count one character: 10 lines of 49 fit in 500."""
        client.force_login(user)
        content = "\r\n".join(["y" * 49] * 10)  # 508 as sent, 499 as counted
        response = client.post(CREATE_URL, {"content": content})
        assertRedirects(response, FEED_URL)
        assert Post.objects.get().content == "\n".join(["y" * 49] * 10)

    def test_composer_has_a_character_counter_without_inline_script(self, client, user):
        client.force_login(user)
        page = client.get(FEED_URL).content.decode()
        assert 'data-counter-for="id_content" data-limit="500"' in page
        assert "/static/social/composer.js" in page
        assert "<script>" not in page

    def test_database_error_shows_message_not_500(self, client, user, monkeypatch):
        def fail(**kwargs):
            raise DatabaseError("down")

        monkeypatch.setattr(services, "post_create", fail)
        client.force_login(user)
        response = client.post(CREATE_URL, {"content": "lost?"})
        assert response.status_code == 200
        assertContains(response, "Something went wrong while creating your post!")
        assertContains(response, "lost?")

    def test_csrf_is_enforced(self, user):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        assert client.post(CREATE_URL, {"content": "x"}).status_code == 403
        assert not Post.objects.exists()


class TestPostDetailAndDelete:
    def test_detail_and_404(self, client):
        post = PostFactory(content="visible")
        assertContains(client.get(post.get_absolute_url()), "visible")
        assert client.get(reverse("social:post-detail", args=[999999])).status_code == 404

    def test_only_author_deletes(self, client, other_user):
        post = PostFactory()
        url = reverse("social:post-delete", args=[post.pk])
        client.force_login(other_user)
        assert client.post(url).status_code == 404
        client.force_login(post.user)
        assertRedirects(client.post(url), FEED_URL)
        assert not Post.objects.exists()


class TestFollowViews:
    def follow_url(self, person, action="follow"):
        return reverse(f"social:{action}", args=[person.username])

    def test_follow_then_already(self, client, user, other_user):
        client.force_login(user)
        response = client.post(self.follow_url(other_user), follow=True)
        assertContains(response, f"You now follow {other_user.username}.")
        response = client.post(self.follow_url(other_user), follow=True)
        assertContains(response, f"You already follow {other_user.username}.")
        assert Follow.objects.filter(follower=user, followed=other_user).count() == 1

    def test_self_follow_message(self, client, user):
        client.force_login(user)
        response = client.post(self.follow_url(user), follow=True)
        assertContains(response, "You cannot follow yourself.")
        assert not Follow.objects.exists()

    def test_unfollow_messages(self, client, user, other_user):
        client.force_login(user)
        response = client.post(self.follow_url(other_user, "unfollow"), follow=True)
        assertContains(response, f"You were not following {other_user.username}.")
        FollowFactory(follower=user, followed=other_user)
        response = client.post(self.follow_url(other_user, "unfollow"), follow=True)
        assertContains(response, f"You no longer follow {other_user.username}.")
        assert not Follow.objects.exists()

    def test_get_is_405(self, client, user, other_user):
        client.force_login(user)
        assert client.get(self.follow_url(other_user)).status_code == 405

    def test_anonymous_is_sent_to_login(self, client, other_user):
        response = client.post(self.follow_url(other_user))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert not Follow.objects.exists()

    def test_redirects_to_safe_next_only(self, client, user, other_user):
        client.force_login(user)
        safe = client.post(self.follow_url(other_user), {"next": "/social/people/"})
        assert safe["Location"] == "/social/people/"
        unsafe = client.post(
            self.follow_url(other_user, "unfollow"), {"next": "https://evil.example/"}
        )
        assert unsafe["Location"] == reverse("profile", args=[other_user.username])

    def test_unknown_user_is_404(self, client, user):
        client.force_login(user)
        assert client.post(reverse("social:follow", args=["ghost"])).status_code == 404

    def test_csrf_is_enforced(self, user, other_user):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        assert client.post(self.follow_url(other_user)).status_code == 403
        assert not Follow.objects.exists()


class TestPeopleAndProfile:
    def test_people_directory_searches_and_shows_buttons(self, client, user):
        UserFactory(username="zelda")
        UserFactory(username="link")
        client.force_login(user)
        response = client.get(reverse("social:people"), {"q": "zel"})
        assert [p.username for p in response.context["people"]] == ["zelda"]
        assertContains(response, "Follow")

    @pytest.mark.parametrize("count", [2, 15])
    def test_people_query_count_is_fixed(self, client, user, django_assert_num_queries, count):
        for person in UserFactory.create_batch(count):
            FollowFactory(follower=user, followed=person)
        client.force_login(user)
        # session, user, count, the page, the page's follower counts
        with django_assert_num_queries(5):
            client.get(reverse("social:people"))

    def test_people_follower_counts_cover_only_the_page(self, client, user):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        people = UserFactory.create_batch(25)
        for n, person in enumerate(people):
            for fan in people[: n % 4]:
                if fan != person:
                    FollowFactory(follower=fan, followed=person)
            if n % 2:
                FollowFactory(follower=user, followed=person)
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("social:people"), {"page": 2})
        shown = response.context["people"]
        assert len(shown) == 6  # 26 users, 20 a page
        for person in shown:
            assert person.follower_count == Follow.objects.filter(followed=person).count()
            assert (
                person.viewer_follows
                == Follow.objects.filter(follower=user, followed=person).exists()
            )
        (counting,) = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]
                       and "social_follow" in q["sql"]]  # fmt: skip
        assert "accounts_user" not in counting  # over the page's ids, no user is grouped
        assert all(str(p.pk) in counting for p in shown)

    def test_profile_shows_counts_posts_and_follow_state(self, client, user, other_user):
        FollowFactory(follower=user, followed=other_user)
        FollowFactory(follower=other_user, followed=UserFactory())
        PostFactory(user=other_user, content="profile post")
        client.force_login(user)
        response = client.get(reverse("profile", args=[other_user.username]))
        assert response.context["counts"] == {"followers": 1, "following": 1}
        assert response.context["viewer_follows"] is True
        assertContains(response, "profile post")
        assertContains(response, "Unfollow")

    def test_no_follow_button_on_own_profile(self, client, user):
        client.force_login(user)
        response = client.get(reverse("profile", args=[user.username]))
        assertNotContains(response, 'action="/social/u/')

    def test_followers_and_following_lists(self, client, user, other_user):
        FollowFactory(follower=other_user, followed=user)
        followers = client.get(reverse("social:followers", args=[user.username]))
        assert [p.username for p in followers.context["people"]] == [other_user.username]
        following = client.get(reverse("social:following", args=[user.username]))
        assert list(following.context["people"]) == []

    def test_unknown_profile_is_404(self, client):
        assert client.get(reverse("profile", args=["ghost"])).status_code == 404


def test_following_selector_orders_most_recent_first(user):
    first, second = UserFactory(), UserFactory()
    services.follow_create(follower=user, followed=first)
    services.follow_create(follower=user, followed=second)
    assert list(selectors.user_list_following(user)) == [second, first]
