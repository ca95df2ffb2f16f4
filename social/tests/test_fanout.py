"""Fan-out happens in tasks: posting costs the request the same at 0 and many followers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from project.celery import app as celery_app
from project.redis import redis_client
from social import tasks
from social.feeds import STRATEGIES
from social.models import Follow, Post

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

STRATEGY_NAMES = sorted(STRATEGIES)
MANY_FOLLOWERS = 60
BROKER_QUEUE = "celery"  # the default queue: a Redis list on the broker
IGNORED_COMMANDS = {"cmdstat_config", "cmdstat_info", "cmdstat_llen", "cmdstat_del"}


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
    return sum(row["calls"] for name, row in stats.items() if name not in IGNORED_COMMANDS)


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
        # savepoint, author check (full_clean), insert, release: no follower is read
        with django_assert_num_queries(4), django_capture_on_commit_callbacks(execute=True):
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
    tasks.feed_fanout_post_task(post_id=post.pk)  # what the worker does with the message
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
