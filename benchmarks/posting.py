"""What posting costs as the author's following grows: the request, and the fan-out after it.

1. `POST /api/v1/posts/` (token, JSON) by an author with no followers and by one with
   FOLLOWERS[-1] of them, alternately, under every feed strategy. The Celery tasks the
   request queues go to the real Redis broker and are dropped unrun, so what is timed is
   the request alone. Target: the popular author's latency at most 1.5x the lonely one's
   (the median of the per-round ratios).
2. The whole fan-out of one post (`feed_fanout_post_task` with its `feed_deliver_task`
   batches, run inline: one worker) to FOLLOWERS[0] and FOLLOWERS[-1] active followers,
   alternately. Target: the cost per follower at the larger following at most 1.5x the
   cost per follower at the smaller one (no step is worse than linear in the followers).

Users and follows are generated inside PostgreSQL (as benchmarks/scale.py does).
Run: `make bench` or `.venv/bin/python -m benchmarks posting`.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

TARGET = 1.5
FOLLOWERS = (5_000, 50_000)
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 5))
POSTS_PER_ROUND = int(os.environ.get("BENCH_REQUESTS", 5))
FANOUT_ROUNDS = int(os.environ.get("BENCH_FANOUT_ROUNDS", 3))
STRATEGIES = ("join", "cache", "write")
BROKER_QUEUE = "celery"  # the default queue: a Redis list on the broker


def _seed() -> dict[int, int]:
    """Authors with 0 and each of FOLLOWERS followers; returns follower count -> user id."""
    from django.db import connection
    from django.db.models import Max

    from accounts.models import User
    from benchmarks.scale import _insert_series
    from social.models import Follow

    authors = {
        n: User.objects.create(username=f"author{n}", email=f"author{n}@example.com").pk
        for n in (0, *FOLLOWERS)
    }
    base, most = User.objects.aggregate(top=Max("pk"))["top"], max(FOLLOWERS)
    _insert_series(
        User,
        0,
        most,
        {
            "id": f"{base} + g",
            "username": "'fan' || g",
            "email": "'fan' || g || '@example.com'",
            "password": "'!'",
        },
    )  # fmt: skip  (last_seen: now, so every fan counts as active)
    with connection.cursor() as cursor:
        table = User._meta.db_table
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {base + most})")
    for n in FOLLOWERS:  # the first n fans follow author n
        _insert_series(Follow, 0, n, {"follower_id": f"{base} + g", "followed_id": str(authors[n])})
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return authors


def _api_client(user_id: int):
    from rest_framework.test import APIClient

    from accounts.models import User
    from accounts.services import api_token_create

    client = APIClient()
    token = api_token_create(user=User.objects.get(pk=user_id), name="bench").key
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def _post_seconds(client, broker) -> float:
    """The median of POSTS_PER_ROUND posts; the tasks each queued are dropped unrun."""
    timings = []
    for i in range(POSTS_PER_ROUND):
        started = time.perf_counter()
        response = client.post("/api/v1/posts/", {"content": f"hello {i}"}, format="json")
        timings.append(time.perf_counter() - started)
        if response.status_code != 201:
            raise RuntimeError(f"POST /api/v1/posts/: HTTP {response.status_code}")
        broker.delete(BROKER_QUEUE)
    return statistics.median(timings)


def measure_posting(authors: dict[int, int]) -> dict[str, tuple[float, float, float]]:
    """strategy -> (lonely ms, popular ms, median per-round ratio popular / lonely)."""
    from django.test import override_settings

    from project.celery import app as celery_app
    from project.redis import redis_client

    broker = redis_client()
    lonely, popular = _api_client(authors[0]), _api_client(authors[max(FOLLOWERS)])
    results = {}
    celery_app.conf.task_always_eager = False  # queued to Redis, never run
    try:
        for strategy in STRATEGIES:
            with override_settings(SOCIAL_FEED_STRATEGY=strategy):
                _post_seconds(lonely, broker), _post_seconds(popular, broker)  # warm
                few, many, ratios = [], [], []
                for _ in range(ROUNDS):
                    few.append(_post_seconds(lonely, broker))
                    many.append(_post_seconds(popular, broker))
                    ratios.append(many[-1] / few[-1])
            results[strategy] = (
                statistics.median(few) * 1000,
                statistics.median(many) * 1000,
                statistics.median(ratios),
            )
    finally:
        celery_app.conf.task_always_eager = True
        broker.delete(BROKER_QUEUE)
    return results


def _fanout_seconds(author_id: int) -> float:
    """One new post's whole fan-out, every batch task run inline, in seconds."""
    from social.models import Post
    from social.tasks import feed_fanout_post_task

    post = Post.objects.create(user_id=author_id, content="fanned out")
    started = time.perf_counter()
    feed_fanout_post_task.apply(kwargs={"post_id": post.pk}, throw=True)
    return time.perf_counter() - started


def measure_fanout(authors: dict[int, int]) -> dict[str, tuple[float, float, float]]:
    """strategy -> (seconds for the fewer, seconds for the more followers, median per-round
    ratio of the per-follower costs)."""
    from django.test import override_settings

    small, large = FOLLOWERS[0], FOLLOWERS[-1]
    results = {}
    for strategy in STRATEGIES:
        with override_settings(SOCIAL_FEED_STRATEGY=strategy):
            _fanout_seconds(authors[small])  # warm
            few, many, ratios = [], [], []
            for _ in range(FANOUT_ROUNDS):
                few.append(_fanout_seconds(authors[small]))
                many.append(_fanout_seconds(authors[large]))
                ratios.append((many[-1] / large) / (few[-1] / small))
        results[strategy] = (
            statistics.median(few),
            statistics.median(many),
            statistics.median(ratios),
        )
    return results


def report(posting, fanout) -> int:
    small, large = FOLLOWERS[0], FOLLOWERS[-1]
    missed = []
    print(
        f"POST /api/v1/posts/ (Django test client, token): median of {ROUNDS} rounds x "
        f"{POSTS_PER_ROUND} posts per author, tasks queued to Redis and not run; ratio = "
        "median of the per-round ratios\n"
    )
    print(f"| strategy | 0 followers | {large:,} followers | {large:,} / 0 |")
    print("|---|---|---|---|")
    for strategy, (few, many, ratio) in posting.items():
        verdict = "" if ratio <= TARGET else " MISSED"
        print(f"| {strategy} | {few:.1f} ms | {many:.1f} ms | {ratio:.2f}x{verdict} |")
        if ratio > TARGET:
            missed.append(f"posting ({strategy}): {ratio:.2f}x at {large:,} followers")
    print(
        f"\nFan-out of one post, every batch task run inline (one worker), median of "
        f"{FANOUT_ROUNDS} rounds; per-follower ratio = (time / followers) at {large:,} over "
        f"the same at {small:,}\n"
    )
    print(f"| strategy | {small:,} followers | {large:,} followers | per follower | ratio |")
    print("|---|---|---|---|---|")
    for strategy, (few, many, ratio) in fanout.items():
        verdict = "" if ratio <= TARGET else " MISSED"
        per = f"{few / small * 1e6:.0f} / {many / large * 1e6:.0f} µs"
        print(f"| {strategy} | {few * 1000:.0f} ms | {many * 1000:.0f} ms | {per} "
              f"| {ratio:.2f}x{verdict} |")  # fmt: skip
        if ratio > TARGET:
            missed.append(f"fan-out ({strategy}): {ratio:.2f}x per follower")
    print(f"\nTargets: each ratio at most {TARGET}x.")
    for line in missed:
        print(f"MISSED {line}")
    if not missed:
        print("All targets met.")
    return 1 if missed else 0


def main() -> int:
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["API_USER_RATE"] = "1000000/minute"  # the throttle is not what is measured
    from benchmarks.setup import django_with_services

    with django_with_services():
        from django.test.utils import setup_test_environment

        setup_test_environment()  # DEBUG off, `testserver` allowed
        authors = _seed()
        print(f"seeded {max(FOLLOWERS):,} followers", file=sys.stderr, flush=True)
        return report(measure_posting(authors), measure_fanout(authors))


if __name__ == "__main__":
    raise SystemExit(main())
