"""Fan-out happens in tasks: posting costs the request the same at 0 and many followers."""

import base64
import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from project.celery import app as celery_app
from project.redis import redis_client
from social import feeds, selectors, services, tasks
from social.feeds import STRATEGIES, feed_store
from social.models import Follow, Post
from social.tests.factories import PostFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

STRATEGY_NAMES = sorted(STRATEGIES)
MANY_FOLLOWERS = 60
BROKER_QUEUE = "celery"  # the default queue: a Redis list on the broker
IGNORED_COMMANDS = ("cmdstat_config", "cmdstat_info")  # the measurement's own


@pytest.fixture
def queued_tasks():
    """Tasks go to the real Redis broker (no worker takes them) instead of running inline."""
    celery_app.conf.task_always_eager = False
    client = redis_client()
    client.delete(BROKER_QUEUE)
    try:
        yield client
    finally:
        celery_app.conf.task_always_eager = True
        client.delete(BROKER_QUEUE)


def with_followers(count: int):
    author = UserFactory()
    fans = UserFactory.create_batch(count)
    Follow.objects.bulk_create(Follow(follower=fan, followed=author) for fan in fans)
    return author, fans


def redis_commands(client) -> int:
    stats = client.info("commandstats")
    return sum(row["calls"] for name, row in stats.items() if not name.startswith(IGNORED_COMMANDS))


def cost_of_posting(author, client, django_capture_on_commit_callbacks) -> tuple[int, int, int]:
    """(SQL queries, Redis commands, tasks queued) of one POST, its after-commit work included."""
    api = APIClient()
    api.force_authenticate(author)
    client.delete(BROKER_QUEUE)
    client.config_resetstat()
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = api.post("/api/v1/posts/", {"content": "hello"}, format="json")
    assert response.status_code == 201
    commands = redis_commands(client)
    return len(queries), commands, client.llen(BROKER_QUEUE)


@pytest.mark.parametrize("strategy", STRATEGY_NAMES)
def test_posting_costs_the_same_at_zero_and_many_followers(
    strategy, settings, queued_tasks, django_capture_on_commit_callbacks
):
    settings.SOCIAL_FEED_STRATEGY = strategy
    lonely, _ = with_followers(0)
    popular, _ = with_followers(MANY_FOLLOWERS)
    warm_up, _ = with_followers(0)  # the broker's first publish declares the queue
    cost_of_posting(warm_up, queued_tasks, django_capture_on_commit_callbacks)

    alone = cost_of_posting(lonely, queued_tasks, django_capture_on_commit_callbacks)
    followed = cost_of_posting(popular, queued_tasks, django_capture_on_commit_callbacks)
    assert alone == followed
    assert followed[2] == 1  # one fan-out task, nothing per follower


@pytest.mark.parametrize("strategy", STRATEGY_NAMES)
def test_posting_query_count_is_pinned(
    strategy, settings, queued_tasks, django_assert_num_queries, django_capture_on_commit_callbacks
):
    settings.SOCIAL_FEED_STRATEGY = strategy
    for followers in (0, MANY_FOLLOWERS):
        author, _ = with_followers(followers)
        api = APIClient()
        api.force_authenticate(author)
        # savepoint, author check (full_clean), insert, release: no follower is read; then
        # the new post's photos for the answer
        with django_assert_num_queries(5), django_capture_on_commit_callbacks(execute=True):
            assert api.post("/api/v1/posts/", {"content": "hi"}, format="json").status_code == 201


@pytest.mark.parametrize("strategy", STRATEGY_NAMES)
def test_the_queued_fanout_brings_the_post_to_every_follower(
    strategy, settings, queued_tasks, django_capture_on_commit_callbacks
):
    settings.SOCIAL_FEED_STRATEGY = strategy
    author, fans = with_followers(5)
    readers = []
    for fan in fans:
        reader = APIClient()
        reader.force_authenticate(fan)
        assert reader.get("/api/v1/feed/").json()["results"] == []  # now cached
        readers.append(reader)
    cost_of_posting(author, queued_tasks, django_capture_on_commit_callbacks)
    post = Post.objects.get(user=author)
    celery_app.conf.task_always_eager = True  # the worker's part, with its batch tasks inline
    tasks.feed_fanout_post_task(post_id=post.pk)
    for reader in readers:
        assert [p["id"] for p in reader.get("/api/v1/feed/").json()["results"]] == [post.pk]


def test_the_web_post_form_costs_the_same_at_zero_and_many_followers(
    client, settings, queued_tasks, django_capture_on_commit_callbacks
):
    settings.SOCIAL_FEED_STRATEGY = "write"
    costs = []
    for followers in (0, 0, MANY_FOLLOWERS):  # the first one warms the broker up
        author, _ = with_followers(followers)
        client.force_login(author)
        queued_tasks.delete(BROKER_QUEUE)
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks(execute=True),
        ):
            response = client.post("/social/posts/new/", {"content": "from the form"})
        assert response.status_code == 302
        costs.append((len(queries), queued_tasks.llen(BROKER_QUEUE)))
    assert costs[1] == costs[2]
    assert costs[2][1] == 1


def queued_messages(client) -> list[tuple[str, dict]]:
    """(task name, kwargs) of every message waiting on the broker, oldest first."""
    found = []
    for raw in reversed(client.lrange(BROKER_QUEUE, 0, -1)):
        message = json.loads(raw)
        _, kwargs, _ = json.loads(base64.b64decode(message["body"]))
        found.append((message["headers"]["task"], kwargs))
    return found


class TestChunkedFanout:
    @pytest.fixture(autouse=True)
    def _write(self, settings):
        settings.SOCIAL_FEED_STRATEGY = "write"
        settings.SOCIAL_FEED_FANOUT_CHUNK = 2

    def test_one_task_per_chunk_of_readers(self, queued_tasks, django_capture_on_commit_callbacks):
        author, fans = with_followers(5)
        post = PostFactory(user=author)
        assert tasks.feed_fanout_post_task(post_id=post.pk) == 6
        messages = queued_messages(queued_tasks)
        assert [name for name, _ in messages] == ["social.tasks.feed_deliver_task"] * 3
        batches = [kwargs["owner_ids"] for _, kwargs in messages]
        assert all(len(batch) == 2 for batch in batches)
        assert sorted(owner for batch in batches for owner in batch) == sorted(
            [author.pk, *(fan.pk for fan in fans)]
        )
        queued_tasks.delete(BROKER_QUEUE)
        for _, kwargs in messages:  # what three workers would do, in any order
            tasks.feed_deliver_task(**kwargs)
        store = feed_store()
        expected = [(feeds.to_micros(post.created_on), post.pk)]
        for reader in [author, *fans]:
            assert store.page(reader.pk, before=None, limit=20) == expected

    def test_chunks_give_the_same_feeds_as_one_batch(self, settings, follow, post):
        author, fans = with_followers(7)
        made = [post(author, f"post {n}").pk for n in range(3)]
        chunked = {fan.pk: [p.pk for p in selectors.feed_page(fan)[0]] for fan in fans}
        settings.SOCIAL_FEED_FANOUT_CHUNK = 1000
        cache.clear()
        services.feed_rebuild(user_ids=[fan.pk for fan in fans])
        assert chunked == {fan.pk: [p.pk for p in selectors.feed_page(fan)[0]] for fan in fans}
        assert all(ids == list(reversed(made)) for ids in chunked.values())


class TestInactiveFollowers:
    @pytest.fixture(autouse=True)
    def _write(self, settings):
        settings.SOCIAL_FEED_STRATEGY = "write"

    def test_skipped_by_fanout_and_rebuilt_on_return(self, settings, follow, post):
        author, awake = UserFactory(), UserFactory()
        away = UserFactory(last_seen=timezone.now() - timedelta(days=31))
        follow(awake, author)
        follow(away, author)
        store = feed_store()
        made = post(author, "while you were away")
        assert store.client.zcard(store.key(awake.pk)) == 1
        assert store.client.zcard(store.key(away.pk)) == 0  # skipped
        assert not store.client.exists(store.ready_key(away.pk))

        reader = APIClient()
        reader.force_authenticate(away)
        body = reader.get("/api/v1/feed/").json()  # back: SQL answers, a rebuild is queued
        assert [p["id"] for p in body["results"]] == [made.pk]
        away.refresh_from_db()
        assert timezone.now() - away.last_seen < timedelta(minutes=1)
        assert store.page(away.pk, before=None, limit=20) == [
            (feeds.to_micros(made.created_on), made.pk)
        ]
        newer = post(author, "welcome back")  # reaches them again
        assert store.client.zcard(store.key(away.pk)) == 2
        assert [p["id"] for p in reader.get("/api/v1/feed/").json()["results"]] == [
            newer.pk,
            made.pk,
        ]

    def test_inactive_followers_are_not_in_any_batch(self, settings):
        settings.SOCIAL_FEED_INACTIVE_DAYS = 7
        author = UserFactory()
        recent = UserFactory(last_seen=timezone.now() - timedelta(days=6))
        gone = UserFactory(last_seen=timezone.now() - timedelta(days=8))
        Follow.objects.bulk_create([Follow(follower=recent, followed=author),
                                    Follow(follower=gone, followed=author)])  # fmt: skip
        batches = list(services.feed_reader_batches(author_id=author.pk))
        assert batches == [[author.pk, recent.pk]]


class TestLastSeen:
    def test_written_at_most_once_per_interval(self, settings, django_assert_num_queries):
        settings.ACCOUNTS_LAST_SEEN_EVERY_SECONDS = 300
        user = UserFactory(last_seen=timezone.now() - timedelta(hours=1))
        client = APIClient()
        client.force_authenticate(user)
        client.get("/api/v1/feed/")
        user.refresh_from_db()
        first = user.last_seen
        assert timezone.now() - first < timedelta(minutes=1)
        stale = UserFactory(last_seen=timezone.now() - timedelta(hours=1))
        stale_client = APIClient()
        stale_client.force_authenticate(stale)
        stale_client.get("/api/v1/feed/")
        # The client still holds the old row (as a cached token user would): the cache
        # claim keeps it from writing again within the interval.
        with django_assert_num_queries(2):  # hidden authors and the feed; no UPDATE
            stale_client.get("/api/v1/feed/?page_size=3")

    def test_a_recently_seen_user_costs_nothing(self, django_assert_num_queries):
        user = UserFactory()  # seen now
        client = APIClient()
        client.force_authenticate(user)
        with django_assert_num_queries(2):  # hidden authors and the feed
            client.get("/api/v1/feed/")

    def test_anonymous_requests_cost_nothing_more(self, api_client, django_assert_num_queries):
        PostFactory()
        with django_assert_num_queries(3):  # the page, its count, its photos, as in test_api
            api_client.get("/api/v1/posts/")


@pytest.mark.parametrize("fill", [1, "cap"])
def test_redis_memory_per_stored_entry_is_at_most_60_bytes(settings, fill):
    settings.SOCIAL_FEED_STRATEGY = "write"
    store = feed_store()
    reader = UserFactory()
    count = feeds.FEED_CAP if fill == "cap" else 1
    base = feeds.to_micros(timezone.now())
    for n in range(count + 5):  # one post at a time, as fan-out adds them
        store.add([reader.pk], [(base + n, 1_000_000 + n)])
    if fill == "cap":
        assert store.client.zcard(store.key(reader.pk)) == feeds.FEED_CAP
        assert store.bytes_per_entry(reader.pk) <= 60
    store.add([reader.pk], [(base - n, 2_000_000 + n) for n in range(50)])  # a back-fill
    assert store.bytes_per_entry(reader.pk) <= 60
    assert store.client.object("encoding", store.key(reader.pk)) == b"listpack"
