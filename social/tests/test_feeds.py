from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.tests.factories import UserFactory
from photos import albums as album_services
from photos.models import Album
from social import feeds, selectors, services
from social.feeds import STRATEGIES, Cursor, RedisFeedStore, feed_store
from social.models import FeedEntry, Post
from social.tests.factories import PostFactory

STRATEGY_NAMES = sorted(STRATEGIES)


def ids(user, strategy: str, limit: int = 1000) -> list[int]:
    return [post.pk for post in STRATEGIES[strategy].page(user, before=None, limit=limit)]


def feeds_key(post) -> tuple[int, int]:
    return (feeds.to_micros(post.created_on), post.pk)


def paged_ids(user, page_size: int) -> list[int]:
    collected, cursor = [], None
    while True:
        posts, cursor = selectors.feed_page(user, before=cursor, limit=page_size)
        collected += [post.pk for post in posts]
        if cursor is None:
            return collected


def windows(user, visible: list[int]) -> list[list[int]]:
    """since_id- and min_id-style pages of two after each visible post of the feed."""
    found = []
    for post in Post.objects.filter(pk__in=visible).order_by("-created_on", "-id"):
        for oldest_first in (False, True):
            page, _ = selectors.feed_page(
                user, after=Cursor.after(post), oldest_first=oldest_first, limit=2
            )
            found.append([p.pk for p in page])
    return found


def windows_from(expected: list[int]) -> list[list[int]]:
    found = []
    for index in range(len(expected)):
        newer = expected[:index]
        found += [newer[:2], newer[-2:]]
    return found


@pytest.mark.unit
class TestCursor:
    def test_round_trips(self):
        cursor = Cursor(created_on=timezone.now(), post_id=42)
        assert Cursor.decode(cursor.encode()) == cursor

    @pytest.mark.parametrize(
        "token", ["", "nonsense", "!!!", "MTI6YWJj", "OTk5OTk5OTk5OTk5OTk5OTk5OTk5OjE"]
    )
    def test_rejects_garbage(self, token):
        with pytest.raises(ValidationError):
            Cursor.decode(token)


@pytest.mark.integration
@pytest.mark.django_db
@pytest.mark.parametrize("strategy", STRATEGY_NAMES)
class TestEveryStrategy:
    @pytest.fixture(autouse=True)
    def _strategy(self, settings, strategy):
        settings.SOCIAL_FEED_STRATEGY = strategy

    def test_new_user_has_empty_feed(self, strategy):
        assert selectors.feed_page(UserFactory()) == ([], None)

    def test_own_and_followed_posts_newest_first_only(self, strategy, follow, post):
        me, friend, stranger = UserFactory(), UserFactory(), UserFactory()
        follow(me, friend)
        first = post(friend, "first")
        post(stranger, "not for me")
        second = post(me, "second")
        third = post(friend, "third")
        assert ids(me, strategy) == [third.pk, second.pk, first.pk]

    def test_unfollowed_author_vanishes(self, strategy, follow, unfollow, post):
        me, friend = UserFactory(), UserFactory()
        follow(me, friend)
        post(friend, "soon gone")
        mine = post(me, "mine")
        unfollow(me, friend)
        assert ids(me, strategy) == [mine.pk]

    def test_follow_brings_earlier_posts(self, strategy, follow, post):
        me, friend = UserFactory(), UserFactory()
        older = post(friend, "before the follow")
        follow(me, friend)
        assert ids(me, strategy) == [older.pk]

    def test_deleted_post_disappears(self, strategy, follow, post, committed):
        me, friend = UserFactory(), UserFactory()
        follow(me, friend)
        doomed = post(friend, "doomed")
        committed(services.post_delete, post=doomed, by=friend)
        assert ids(me, strategy) == []

    def test_newer_than_a_post_newest_or_right_after_it(self, strategy, follow, post):
        me, friend = UserFactory(), UserFactory()
        follow(me, friend)
        made = [post(friend if i % 2 else me, f"post {i}") for i in range(7)]
        since = Cursor.after(made[2])
        newest, _ = selectors.feed_page(me, after=since, limit=3)
        assert [p.pk for p in newest] == [made[6].pk, made[5].pk, made[4].pk]
        right_after, older = selectors.feed_page(me, after=since, oldest_first=True, limit=3)
        assert [p.pk for p in right_after] == [made[5].pk, made[4].pk, made[3].pk]
        assert older == Cursor.after(made[3])
        between, _ = selectors.feed_page(me, before=Cursor.after(made[5]), after=since)
        assert [p.pk for p in between] == [made[4].pk, made[3].pk]
        assert selectors.feed_page(me, after=Cursor.after(made[6])) == ([], None)

    def test_cursor_pages_cover_the_feed_exactly(self, strategy, follow, post):
        me, friend = UserFactory(), UserFactory()
        follow(me, friend)
        made = [post(friend if i % 2 else me, f"post {i}").pk for i in range(45)]
        assert paged_ids(me, page_size=20) == list(reversed(made))


ACTIONS = [
    *("follow", "unfollow", "post", "post", "reply", "delete"),
    *("block", "unblock", "mute", "unmute", "boost", "boost", "unboost", "album", "unalbum"),
]


def _apply(action: str, a, b, posts: list) -> None:
    """One random operation through the services; refused ones (a block) are skipped."""
    try:
        if action == "post":
            posts.append(services.post_create(user=a, content=f"{a.pk} says hi"))
        elif action == "reply" and posts:
            parent = posts[(a.pk + b.pk) % len(posts)]
            posts.append(services.post_create(user=a, content="re", in_reply_to_id=parent.pk))
        elif action == "delete" and posts:
            victim = posts.pop((a.pk * 7 + b.pk) % len(posts))
            services.post_delete(post=victim, by=victim.user)
        elif action == "boost" and posts:
            services.boost_create(user=a, post=posts[(a.pk * 3 + b.pk) % len(posts)])
        elif action == "unboost" and posts:
            services.boost_delete(user=a, post=posts[(a.pk * 3 + b.pk) % len(posts)])
        elif action == "album":  # another app's item: an activity in a's followers' feeds
            album_services.album_create(user=a, title=f"by {a.pk}")
        elif action == "unalbum" and (album := Album.objects.filter(user=a).first()):
            album_services.album_delete(album=album, by=a)
        elif a == b:
            return
        elif action == "follow":
            services.follow_create(follower=a, followed=b)
        elif action == "unfollow":
            services.follow_delete(follower=a, followed=b)
        elif action == "block":
            services.block_create(blocker=a, blocked=b)
        elif action == "unblock":
            services.block_delete(blocker=a, blocked=b)
        elif action == "mute":
            services.mute_create(muter=a, muted=b)
        elif action == "unmute":
            services.mute_delete(muter=a, muted=b)
    except ValidationError:
        pass  # e.g. following or replying across a block


def shown_once(entries: list[int], hidden: set[int]) -> list[int]:
    """What a reader sees of the join's entries (newest first), worked out from scratch:
    oldest first, drop hidden authors' entries and boosts of hidden authors' posts, and
    keep only the first entry of each original."""
    rows = Post.objects.select_related("boost_of").in_bulk(entries)
    seen, kept = set(), []
    for pk in reversed(entries):
        entry, original = rows[pk], rows[pk].boost_of
        if entry.user_id in hidden or (original is not None and original.user_id in hidden):
            continue
        if (entry.boost_of_id or pk) not in seen:
            seen.add(entry.boost_of_id or pk)
            kept.append(pk)
    return kept[::-1]


@pytest.mark.integration
@pytest.mark.django_db
@hypothesis_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    operations=st.lists(
        st.tuples(st.sampled_from(ACTIONS), st.integers(0, 2), st.integers(0, 2)),
        max_size=40,
    )
)
def test_all_strategies_agree_on_random_follow_graphs(
    operations, settings, django_capture_on_commit_callbacks
):
    """Follows, posts, replies, deletions, blocks, mutes, boosts and another app's items
    (albums, made and deleted) in any order: the three strategies store the same feeds,
    and every one of them, read page by page, shows exactly the join's entries minus the
    hidden authors' and the repeated originals."""
    settings.SOCIAL_FEED_STRATEGY = "write"  # keep the stored feeds up to date as we go
    with transaction.atomic():
        cache.clear()
        users = UserFactory.create_batch(3)
        posts: list = []
        for action, a, b in operations:
            with django_capture_on_commit_callbacks(execute=True):
                _apply(action, users[a], users[b], posts)
        for user in users:
            expected = ids(user, "join")
            assert ids(user, "cache") == expected
            assert ids(user, "write") == expected
            visible = shown_once(expected, selectors.hidden_author_ids(user))
            for strategy in STRATEGY_NAMES:
                settings.SOCIAL_FEED_STRATEGY = strategy
                assert paged_ids(user, page_size=3) == visible
                assert windows(user, visible) == windows_from(visible)
            settings.SOCIAL_FEED_STRATEGY = "write"
        transaction.set_rollback(True)


@pytest.mark.integration
@pytest.mark.django_db
class TestWriteStrategy:
    @pytest.fixture(autouse=True)
    def _write(self, settings):
        settings.SOCIAL_FEED_STRATEGY = "write"

    def test_uses_a_redis_sorted_set_per_user(self, follow, post):
        me, friend = UserFactory(), UserFactory()
        follow(me, friend)
        made = post(friend)
        store = feed_store()
        assert isinstance(store, RedisFeedStore)
        assert store.client.zcard(store.key(me.pk)) == 1
        assert store.client.zcard(store.key(friend.pk)) == 1
        assert not FeedEntry.objects.exists()
        assert ids(me, "write") == [made.pk]

    def test_rerunning_fanout_adds_no_duplicates(self, follow, post):
        me, friend = UserFactory(), UserFactory()
        follow(me, friend)
        made = post(friend)
        services.feed_fanout_post(post_id=made.pk)
        services.feed_fanout_post(post_id=made.pk)
        assert ids(me, "write") == [made.pk]
        assert feed_store().client.zcard(RedisFeedStore.key(me.pk)) == 1

    def test_feed_is_capped_and_older_pages_fall_back_to_sql(self, follow, post, monkeypatch):
        monkeypatch.setattr(feeds.stores, "FEED_CAP", 5)
        me = UserFactory()
        made = [post(me, f"n{i}").pk for i in range(8)]
        assert feed_store().client.zcard(RedisFeedStore.key(me.pk)) == 5
        assert paged_ids(me, page_size=3) == list(reversed(made))

    def test_windows_below_the_capped_set_read_sql(self, post, monkeypatch):
        monkeypatch.setattr(feeds.stores, "FEED_CAP", 5)
        me = UserFactory()
        made = [post(me, f"n{i}") for i in range(8)]
        page, _ = selectors.feed_page(me, after=Cursor.after(made[0]), oldest_first=True, limit=2)
        assert [p.pk for p in page] == [made[2].pk, made[1].pk]
        page, _ = selectors.feed_page(me, after=Cursor.after(made[0]), limit=2)
        assert [p.pk for p in page] == [made[7].pk, made[6].pk]

    def test_database_fallback_without_redis(self, settings, follow, unfollow, post):
        settings.REDIS_URL = ""
        me, friend = UserFactory(), UserFactory()
        older = post(friend, "older")
        follow(me, friend)  # backfill
        newer = post(friend, "newer")  # fan-out
        assert FeedEntry.objects.filter(owner=me).count() == 2
        assert ids(me, "write") == [newer.pk, older.pk]
        unfollow(me, friend)
        assert not FeedEntry.objects.filter(owner=me).exists()

    def test_fanout_of_a_vanished_post_is_a_no_op(self):
        assert services.feed_fanout_post(post_id=999_999) == 0

    def test_a_lost_store_is_read_from_sql_and_rebuilt(self, follow, post):
        me, friend = UserFactory(), UserFactory()
        follow(me, friend)
        made = post(friend)
        cache.clear()  # flushes the Redis database: every stored feed is gone
        store = feed_store()
        assert store.client.zcard(store.key(me.pk)) == 0
        assert ids(me, "write") == [made.pk]  # from SQL; the rebuild task ran inline
        assert store.client.exists(store.ready_key(me.pk))
        assert store.page(me.pk, before=None, limit=20) == [feeds_key(made)]

    def test_rebuild_feeds_restores_lost_feeds(self, follow, post, capsys):
        me, friend = UserFactory(), UserFactory()
        follow(me, friend)
        made = post(friend)
        cache.clear()
        call_command("rebuild_feeds", "--user", me.username)
        assert "Rebuilt 1 feed(s)." in capsys.readouterr().out
        assert feed_store().page(me.pk, before=None, limit=20) == [feeds_key(made)]

    def test_rebuild_feeds_rejects_unknown_user(self):
        from django.core.management.base import CommandError

        with pytest.raises(CommandError, match="nobody"):
            call_command("rebuild_feeds", "--user", "nobody")


@pytest.mark.integration
@pytest.mark.django_db
class TestCacheStrategy:
    def test_past_the_cached_depth_reads_sql(self, settings, post, monkeypatch):
        settings.SOCIAL_FEED_STRATEGY = "cache"
        monkeypatch.setattr(feeds.cache, "AUTHOR_TIMELINE_CAP", 4)
        me = UserFactory()
        now = timezone.now()
        made = [PostFactory(user=me, created_on=now - timedelta(minutes=i)).pk for i in range(10)]
        assert paged_ids(me, page_size=3) == made

    def test_windows_below_the_cached_depth_read_sql(self, settings, monkeypatch):
        settings.SOCIAL_FEED_STRATEGY = "cache"
        monkeypatch.setattr(feeds.cache, "AUTHOR_TIMELINE_CAP", 4)
        me, now = UserFactory(), timezone.now()
        made = [PostFactory(user=me, created_on=now - timedelta(minutes=i)) for i in range(10)]
        oldest = Cursor.after(made[-1])
        page, _ = selectors.feed_page(me, after=oldest, oldest_first=True, limit=2)
        assert [p.pk for p in page] == [made[7].pk, made[8].pk]

    def test_new_post_invalidates_the_cached_timeline(self, settings, post):
        settings.SOCIAL_FEED_STRATEGY = "cache"
        me = UserFactory()
        first = post(me, "one")
        assert ids(me, "cache") == [first.pk]  # now cached
        second = post(me, "two")
        assert ids(me, "cache") == [second.pk, first.pk]


@pytest.mark.integration
@pytest.mark.django_db
class TestReadQueryCounts:
    def _graph(self, follow, post, followees: int):
        me = UserFactory()
        for friend in UserFactory.create_batch(followees):
            follow(me, friend)
            post(friend)
        return me

    @pytest.mark.parametrize("followees", [1, 10])
    def test_join_is_one_query(self, settings, follow, post, django_assert_num_queries, followees):
        settings.SOCIAL_FEED_STRATEGY = "join"
        me = self._graph(follow, post, followees)
        with django_assert_num_queries(1):
            STRATEGIES["join"].page(me, before=None, limit=20)

    @pytest.mark.parametrize("followees", [1, 10])
    def test_write_is_one_query(self, settings, follow, post, django_assert_num_queries, followees):
        settings.SOCIAL_FEED_STRATEGY = "write"
        me = self._graph(follow, post, followees)
        with django_assert_num_queries(1):
            STRATEGIES["write"].page(me, before=None, limit=20)

    @pytest.mark.parametrize("followees", [1, 10])
    def test_warm_cache_is_one_query(
        self, settings, follow, post, django_assert_num_queries, followees
    ):
        settings.SOCIAL_FEED_STRATEGY = "cache"
        me = self._graph(follow, post, followees)
        STRATEGIES["cache"].page(me, before=None, limit=20)  # warm up
        with django_assert_num_queries(1):
            STRATEGIES["cache"].page(me, before=None, limit=20)


@pytest.mark.integration
@pytest.mark.django_db
def test_warm_cache_strategy_read_does_not_grow_with_followees(settings):
    """The merge is kept per reader: a warm read is one SQL query and one Redis command
    (the version and the merge in one MGET), at 10 followees as at 400."""
    from project.redis import redis_client
    from social.models import Follow, Post

    settings.SOCIAL_FEED_STRATEGY = "cache"
    client, costs = redis_client(), []
    for followees in (10, 400):
        me, authors = UserFactory(), UserFactory.create_batch(followees)
        Follow.objects.bulk_create(Follow(follower=me, followed=a) for a in authors)
        Post.objects.bulk_create(Post(user=a, content="x") for a in authors)
        STRATEGIES["cache"].page(me, before=None, limit=20)  # warm up
        client.config_resetstat()
        posts = STRATEGIES["cache"].page(me, before=None, limit=20)
        stats = client.info("commandstats")
        costs.append(
            {
                name: row["calls"]
                for name, row in stats.items()
                if not name.startswith("cmdstat_config")
            }
        )
        assert len(posts) == min(followees, 20)
    assert costs[0] == costs[1] == {"cmdstat_mget": 1}


@pytest.mark.integration
@pytest.mark.django_db
def test_join_for_a_reader_following_nobody_reads_only_their_own_index_range():
    """`user = me OR user IN followees` made PostgreSQL walk every post by date;
    the IN list must be answered from the per-user (user, -created_on, -id) index."""
    from django.db import connection

    from social.models import Post

    if connection.vendor != "postgresql":
        pytest.skip("plan shape is PostgreSQL's")
    reader, others = UserFactory(), UserFactory.create_batch(200)
    now = timezone.now()
    Post.objects.bulk_create(
        Post(user=others[n % 200], content="x", created_on=now - timedelta(seconds=n))
        for n in range(5000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE social_post, social_follow, accounts_user")
    plan = STRATEGIES["join"].page_queryset(reader, limit=21).explain()
    assert "social_post_created_on" not in plan
    assert "Seq Scan on social_post" not in plan
    assert "Index Scan" in plan


def _post_rows_read(plan: dict) -> int:
    """Rows the plan's nodes on social_post produced over all their loops (EXPLAIN ANALYZE)."""
    rows = (
        plan["Actual Rows"] * plan["Actual Loops"]
        if plan.get("Relation Name") == "social_post"
        else 0
    )
    return rows + sum(_post_rows_read(child) for child in plan.get("Plans", ()))


@pytest.mark.integration
@pytest.mark.django_db
@pytest.mark.parametrize("window", ["newest", "before", "after", "oldest_first"])
def test_join_reads_a_probe_per_author_and_the_page_not_every_followees_posts(window):
    """Sorting all of 5000 followees' posts cost 290 ms at 1M posts: a page must read one
    newest post per author, then the posts from the page's edge on, whatever the
    followees have posted."""
    import json

    from django.db import connection

    from social.models import Follow

    if connection.vendor != "postgresql":
        pytest.skip("plan shape is PostgreSQL's")
    reader, authors = UserFactory(), UserFactory.create_batch(50)
    Follow.objects.bulk_create(Follow(follower=reader, followed=a) for a in authors)
    now = timezone.now()
    Post.objects.bulk_create(
        Post(user=authors[n % 50], content="x", created_on=now - timedelta(seconds=n))
        for n in range(5000)  # 100 posts per author, interleaved in time
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE social_post, social_follow, accounts_user")
    join = STRATEGIES["join"]
    middle = Cursor.after(Post.objects.order_by("-created_on", "-id")[2500])
    kwargs = {
        "newest": {"before": None},
        "before": {"before": middle},
        "after": {"before": None, "after": middle},
        "oldest_first": {"before": None, "after": middle, "oldest_first": True},
    }[window]
    feed = list(Post.objects.order_by("-created_on", "-id"))  # every post is in the feed
    expected = {
        "newest": feed[:20],
        "before": feed[2501:2521],
        "after": feed[:20],
        "oldest_first": feed[2480:2500],
    }[window]
    assert join.page(reader, limit=20, **kwargs) == expected
    sql, params = join.page_queryset(reader, limit=20, **kwargs).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        (plan,) = cursor.fetchone()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    # 50 newest-per-author probes, about 20 posts from the edge on, the page's 20 by id.
    assert _post_rows_read(plan[0]["Plan"]) <= 50 + 2 * 20 + 20
