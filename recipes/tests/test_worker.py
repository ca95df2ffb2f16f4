"""Cross-posting through a real Celery worker on the real Redis, including a worker
killed in the middle of posting."""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.db import connection

from project.celery import app as celery_app
from recipes import services
from recipes.models import CrossPost

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
def start_worker(worker_env):
    started: list[subprocess.Popen] = []

    def start() -> subprocess.Popen:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "project",
                "worker",
                "--pool",
                "solo",
                "--loglevel",
                "WARNING",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=django_settings.BASE_DIR,
            env=worker_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
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


def wait_for_status(status: str, timeout: float = 60) -> CrossPost:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        crosspost = CrossPost.objects.get()
        if crosspost.status == status:
            return crosspost
        time.sleep(0.2)
    raise AssertionError(f"CrossPost still {CrossPost.objects.get().status!r} after {timeout}s")


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
