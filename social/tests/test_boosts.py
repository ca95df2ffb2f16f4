"""Boosts: the original reaches the booster's followers once, attributed to the booster,
under every strategy; counts and "boosted by you" without a query per post."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pytest_django.asserts import assertContains

from accounts.tests.factories import UserFactory
from social import selectors, services
from social.feeds import STRATEGIES
from social.models import Notification, Post
from social.tests.factories import PostFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def boosts(post: Post) -> int:
    post.refresh_from_db()
    return post.boost_count


def shown(user) -> list[tuple[int, int | None]]:
    """(original id, booster id or None) of each entry of the user's feed, newest first."""
    posts, _ = selectors.feed_page(user, limit=100)
    return [(p.boost_of_id or p.pk, p.user_id if p.boost_of_id else None) for p in posts]


@pytest.fixture
def boost(committed):
    return lambda user, post: committed(services.boost_create, user=user, post=post)[0]


@pytest.fixture
def unboost(committed):
    return lambda user, post: committed(services.boost_delete, user=user, post=post)


class TestServices:
    def test_boost_counts_once_and_notifies_the_author(self, user, other_user):
        post = PostFactory(user=other_user)
        first, created = services.boost_create(user=user, post=post)
        again, created_again = services.boost_create(user=user, post=post)
        assert (created, created_again, again) == (True, False, first)
        assert (first.boost_of, first.content, boosts(post)) == (post, "", 1)
        notification = Notification.objects.get()
        assert (notification.kind, notification.actor, notification.post) == ("boost", user, post)

    def test_boosting_a_boost_boosts_the_original(self, user, other_user):
        post = PostFactory()
        boost, _ = services.boost_create(user=other_user, post=post)
        mine, _ = services.boost_create(user=user, post=boost)
        assert mine.boost_of == post
        assert boosts(post) == 2

    def test_unboost_is_idempotent_and_never_below_zero(self, user):
        post = PostFactory()
        services.boost_create(user=user, post=post)
        assert services.boost_delete(user=user, post=post) is True
        assert services.boost_delete(user=user, post=post) is False
        assert boosts(post) == 0

    def test_refused_across_a_block_and_a_block_removes_boosts(self, user, other_user):
        theirs, mine = PostFactory(user=other_user), PostFactory(user=user)
        services.boost_create(user=user, post=theirs)
        services.boost_create(user=other_user, post=mine)
        services.block_create(blocker=other_user, blocked=user)
        assert not Post.objects.filter(boost_of__isnull=False).exists()
        assert (boosts(theirs), boosts(mine)) == (0, 0)
        with pytest.raises(ValidationError, match="cannot boost"):
            services.boost_create(user=user, post=theirs)

    def test_boosts_are_not_posts_of_their_own(self, user, other_user):
        post = PostFactory(user=other_user)
        boost, _ = services.boost_create(user=user, post=post)
        assert list(selectors.post_list()) == [post]
        assert boost.get_absolute_url() == post.get_absolute_url()
        with pytest.raises(ValidationError):
            services.post_create(user=user, content="re", in_reply_to_id=boost.pk)


@pytest.mark.parametrize("strategy", sorted(STRATEGIES))
class TestFeeds:
    @pytest.fixture(autouse=True)
    def _strategy(self, settings, strategy):
        settings.SOCIAL_FEED_STRATEGY = strategy

    def test_followers_see_the_original_once_attributed_to_the_booster(
        self, follow, post, boost, unboost
    ):
        reader, booster, author = UserFactory.create_batch(3)
        follow(reader, booster)
        original = post(author, "worth sharing")
        boost(booster, original)
        assert shown(reader) == [(original.pk, booster.pk)]
        assert shown(booster) == [(original.pk, booster.pk)]  # "boosted by you"
        unboost(booster, original)
        assert shown(reader) == []

    def test_never_a_duplicate_of_the_original_or_another_boost(self, follow, post, boost, unboost):
        reader, first, second, author = UserFactory.create_batch(4)
        follow(reader, first)
        follow(reader, second)
        original = post(author)
        boost(first, original)
        boost(second, original)
        assert shown(reader) == [(original.pk, first.pk)]
        unboost(first, original)
        assert shown(reader) == [(original.pk, second.pk)]
        follow(reader, author)
        assert shown(reader) == [(original.pk, None)]

    def test_deleting_the_original_removes_every_boost(self, follow, post, boost, committed):
        reader, booster, author = UserFactory.create_batch(3)
        follow(reader, booster)
        original = post(author)
        boost(booster, original)
        boost(UserFactory(), original)
        committed(services.post_delete, post=original, by=author)
        assert shown(reader) == []
        assert not Post.objects.filter(boost_of__isnull=False).exists()

    def test_mutes_apply_to_the_booster_and_the_author(self, follow, post, boost, committed):
        reader, booster, other_booster, author = UserFactory.create_batch(4)
        follow(reader, booster)
        follow(reader, other_booster)
        original = post(author)
        boost(booster, original)
        boost(other_booster, original)
        committed(services.mute_create, muter=reader, muted=booster)
        assert shown(reader) == [(original.pk, other_booster.pk)]
        committed(services.mute_create, muter=reader, muted=author)
        assert shown(reader) == []


class TestQueryCounts:
    @pytest.mark.parametrize("boosted", [1, 8])
    def test_a_feed_page_with_boosts_costs_the_same(
        self, settings, follow, post, boost, django_assert_num_queries, boosted
    ):
        settings.SOCIAL_FEED_STRATEGY = "join"
        reader = UserFactory()
        for booster in UserFactory.create_batch(boosted):
            follow(reader, booster)
            original = post(UserFactory())
            boost(booster, original)
            services.like_create(user=reader, post=original)
        boost(reader, original)
        # hidden authors, the page, the first showings, their photos, likes and boosts by
        # the reader
        with django_assert_num_queries(5):
            posts, _ = selectors.feed_page(reader)
        assert all(p.boost_of.viewer_liked for p in posts)
        assert [p.boost_of.viewer_boosted for p in posts] == [True] + [False] * (boosted - 1)


class TestWeb:
    def test_boost_button_and_the_followers_timeline(self, client, follow, post):
        reader, booster, author = UserFactory.create_batch(3)
        follow(reader, booster)
        original = post(author, "boost me")
        client.force_login(booster)
        response = client.post(reverse("social:post-boost", args=[original.pk]), follow=True)
        assertContains(response, "1 boost<")
        client.force_login(reader)
        response = client.get(reverse("social:feed"))
        assertContains(response, 'data-testid="boosted-by"')
        assertContains(response, "boost me")
        client.force_login(booster)
        client.post(reverse("social:post-unboost", args=[original.pk]))
        assert boosts(original) == 0


class TestApi:
    def test_boost_and_unboost(self, auth_api_client, user, other_user, follow):
        post = PostFactory(user=other_user)
        url = reverse("api:post-boost", kwargs={"version": "v1", "pk": post.pk})
        response = auth_api_client.post(url)
        assert response.status_code == 201
        assert (response.json()["boost_count"], response.json()["boosted_by_you"]) == (1, True)
        assert auth_api_client.post(url).status_code == 200
        assert auth_api_client.delete(url).status_code == 204
        assert auth_api_client.delete(url).status_code == 204
        assert boosts(post) == 0

    def test_unknown_post_is_404(self, auth_api_client):
        url = reverse("api:post-boost", kwargs={"version": "v1", "pk": 999_999})
        assert auth_api_client.post(url).status_code == 404
        assert auth_api_client.delete(url).status_code == 404

    def test_feed_shows_a_boost_with_its_original(
        self, auth_api_client, user, other_user, follow, committed
    ):
        follow(user, other_user)
        original = PostFactory(content="the original")
        committed(services.boost_create, user=other_user, post=original)
        response = auth_api_client.get(reverse("api:feed", kwargs={"version": "v1"}))
        (entry,) = response.json()["results"]
        assert entry["user"]["username"] == other_user.username
        assert entry["boost_of"]["content"] == "the original"
        assert entry["url"] == entry["boost_of"]["url"]


class TestAdmin:
    def test_posts_list_filters_boosts(self, admin_client, user):
        boost, _ = services.boost_create(user=user, post=PostFactory(content="plain"))
        url = reverse("admin:social_post_changelist")
        response = admin_client.get(url, {"boost_of__isempty": "0"})
        assertContains(response, f"boost of {boost.boost_of_id}")
        assert "plain" not in response.content.decode().split("result_list")[1]
        assert (
            admin_client.get(reverse("admin:social_post_change", args=[boost.pk])).status_code
            == 200
        )
