"""Cross-posting through a real Celery worker on a real Redis: a worker killed in the
middle of posting (again and again), and Redis going away under a busy worker."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from project.celery import app as celery_app
from recipes import services
from recipes.models import CrossPost, Recipe
from recipes.tasks import crosspost_send_task
from recipes.tests.redis_server import RedisServer

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

DATA = {"title": "Ratatouille", "ingredients": "aubergine\ncourgette", "instructions": "Simmer."}


@pytest.fixture
def worker_env(fake_x):
    db = connection.settings_dict  # the test database, so the worker sees the test's rows
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "TWITTER_API_URL": fake_x.url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        # Redelivery within seconds: a task may run 2 s at most, a message taken by a
        # lost worker comes back after 3 s, and a claim older than 3 s is free again.
        "CELERY_TASK_SOFT_TIME_LIMIT": "1",
        "CELERY_TASK_TIME_LIMIT": "2",
        "CELERY_VISIBILITY_TIMEOUT": "3",
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "CELERY_UNACKED_RESTORE_THROTTLE": "1",
        "RECIPES_CROSSPOST_LEASE_SECONDS": "3",
    }


@pytest.fixture
def start_worker(worker_env, tmp_path):
    started: list[subprocess.Popen] = []

    def start(
        *,
        pool: str = "solo",
        concurrency: int = 1,
        redis_url: str = "",
        log: Path | None = None,
        as_deployed: bool = False,
    ) -> subprocess.Popen:
        """A worker; `as_deployed` keeps heartbeats, gossip and mingle, as `make worker`."""
        env = {**worker_env, "REDIS_URL": redis_url} if redis_url else worker_env
        output = log.open("ab") if log else subprocess.DEVNULL
        quiet = (
            [] if as_deployed else ["--without-heartbeat", "--without-gossip", "--without-mingle"]
        )
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "project", "worker",
             "--pool", pool, "--concurrency", str(concurrency), "--loglevel", "WARNING", *quiet],
            cwd=django_settings.BASE_DIR, env=env, stdout=output, stderr=output,
        )  # fmt: skip
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=20)


@pytest.fixture
def queued_for_real():
    """Send tasks to Redis instead of running them inline."""
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = True


@pytest.fixture
def private_redis():
    server = RedisServer().start()
    yield server
    server.remove()


def wait_until(condition, timeout: float = 60, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.1)
    raise AssertionError(f"{what} not reached after {timeout}s")


def wait_for_status(status: str, timeout: float = 60) -> CrossPost:
    return wait_until(
        lambda: CrossPost.objects.filter(status=status).first(), timeout, f"status {status}"
    )


def all_sent(crossposts: list[CrossPost], timeout: float = 60) -> None:
    ids = [c.pk for c in crossposts]

    def settled():
        return not CrossPost.objects.filter(pk__in=ids).exclude(status="sent").exists()

    try:
        wait_until(settled, timeout, "every cross-post sent")
    except AssertionError:
        left = Counter(CrossPost.objects.filter(pk__in=ids).values_list("status", flat=True))
        raise AssertionError(f"not all sent after {timeout}s: {dict(left)}") from None


def assert_one_tweet_each(fake_x, crossposts: list[CrossPost]) -> None:
    by_text = Counter(t["text"] for t in fake_x.tweets)
    ids_by_text = {t["text"]: t["id"] for t in fake_x.tweets}
    doubled = {c.pk: by_text[c.text] for c in crossposts if by_text[c.text] != 1}
    assert not doubled, f"tweets per cross-post, where not one: {doubled}"
    for crosspost in CrossPost.objects.filter(pk__in=[c.pk for c in crossposts]):
        assert crosspost.remote_id == ids_by_text[crosspost.text]


def test_worker_posts_a_new_recipe(user, fake_x, connect, start_worker, queued_for_real):
    connect(user, "twitter", "1001", fake_x.token_for("1001"))
    start_worker()
    recipe = services.recipe_create(user=user, **DATA)  # a real commit queues the task
    crosspost = wait_for_status("sent")
    assert [t["text"] for t in fake_x.tweets] == [recipe.crossposts.get().text]
    assert crosspost.remote_id == fake_x.tweets[0]["id"]


def test_killed_worker_neither_loses_nor_doubles_the_post(
    user, fake_x, connect, start_worker, queued_for_real
):
    connect(user, "twitter", "1001", fake_x.token_for("1001"))
    fake_x.hold_posts = True  # X records the tweet, then the answer is held back
    first = start_worker()
    services.recipe_create(user=user, **DATA)
    assert fake_x.received_post.wait(60), "the worker never posted"
    first.send_signal(signal.SIGKILL)  # dies before it can record the tweet
    first.wait(timeout=20)
    fake_x.hold_posts = False
    fake_x.release.set()
    assert CrossPost.objects.get().status == "sending"

    start_worker()  # the unacknowledged message comes back to this one
    crosspost = wait_for_status("sent")
    assert len(fake_x.tweets) == 1, "posted twice"
    assert crosspost.remote_id == fake_x.tweets[0]["id"]
    assert crosspost.attempts == 2
    assert len(fake_x.requests_to("POST", "/2/tweets")) == 1  # the retry looked it up instead


IN_FLIGHT = 20


def test_worker_killed_with_many_posts_in_flight_posts_each_exactly_once(
    user, fake_x, connect, start_worker, queued_for_real
):
    """Three times: 20 tweets made, none of their ids recorded, the worker SIGKILLed.
    Meanwhile the author tweets on, so the lost ones are pages deep in the timeline."""
    connect(user, "twitter", "1001", fake_x.token_for("1001"))
    worker = start_worker(pool="threads", concurrency=IN_FLIGHT)
    every: list[CrossPost] = []
    for round_number in range(3):
        fake_x.release.clear()
        fake_x.hold_posts = True
        expected = len(fake_x.tweets) + IN_FLIGHT
        for number in range(IN_FLIGHT):
            services.recipe_create(user=user, **{**DATA, "title": f"R{round_number}.{number}"})
        crossposts = list(CrossPost.objects.filter(recipe__title__startswith=f"R{round_number}."))
        assert len(crossposts) == IN_FLIGHT
        wait_until(lambda n=expected: len(fake_x.tweets) >= n, 60, "every post in flight")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=20)
        fake_x.hold_posts = False
        fake_x.release.set()  # X answers, but nobody is there to read it
        assert CrossPost.objects.filter(status="sending").count() == IN_FLIGHT
        for number in range(130):  # from the X app, while no worker runs
            fake_x.tweets.append(
                {"id": str(next(fake_x.ids)), "text": f"Lunch {round_number}.{number}",
                 "author_id": "1001", "created_at": datetime.now(UTC)}
            )  # fmt: skip

        worker = start_worker(pool="threads", concurrency=IN_FLIGHT)
        all_sent(crossposts)
        assert_one_tweet_each(fake_x, crossposts)
        every += crossposts
    assert len(fake_x.requests_to("POST", "/2/tweets")) == 3 * IN_FLIGHT
    lookups = fake_x.requests_to("GET", "/2/users/1001/tweets")
    assert any("pagination_token" in lookup.query for lookup in lookups)
    assert_one_tweet_each(fake_x, every)


def test_worker_rides_out_a_redis_outage(
    user, fake_x, connect, start_worker, queued_for_real, private_redis, tmp_path
):
    """Redis stops while the worker holds tasks and starts again: the same worker
    carries on by itself, every task has its effect once, none is lost."""
    connect(user, "twitter", "1001", fake_x.token_for("1001"))
    fake_x.post_delay = 0.2  # keep tasks running across the outage
    crossposts = []
    for number in range(12):
        recipe = Recipe.objects.create(user=user, **{**DATA, "title": f"Outage {number}"})
        text = services.crosspost_text(recipe, marker=services.crosspost_marker())
        crossposts.append(CrossPost.objects.create(recipe=recipe, provider="twitter", text=text))
    with celery_app.connection_for_write(private_redis.url) as broker:
        for crosspost in crossposts:
            crosspost_send_task.apply_async(
                kwargs={"crosspost_id": crosspost.pk}, connection=broker
            )
    log = tmp_path / "worker.log"
    worker = start_worker(
        pool="prefork", concurrency=2, redis_url=private_redis.url, log=log, as_deployed=True
    )

    sent = CrossPost.objects.filter(pk__in=[c.pk for c in crossposts], status="sent")
    wait_until(lambda: sent.count() >= 2, 60, "the first posts")
    private_redis.stop()
    wait_until(lambda: "Connection to broker lost" in log.read_text(), 30, "the worker noticed")
    private_redis.start()

    all_sent(crossposts)
    assert worker.poll() is None, "the worker died:\n" + log.read_text()[-3000:]
    assert "Unrecoverable error" not in log.read_text()
    assert len(fake_x.requests_to("POST", "/2/tweets")) == len(crossposts)
    assert_one_tweet_each(fake_x, crossposts)
