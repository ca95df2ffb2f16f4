"""Newsfeed read latency and query count at 10, 100, 1000 and 5000 followees, per strategy,
and the Redis memory per stored `write` feed entry.

Targets: the `write` and `cache` strategies' reads at 5000 followees cost at most 1.5x
their reads at 10 (repeated reads: `cache` keeps each reader's merge until a followee
posts); at most 60 bytes per stored entry.
Run: `make bench` or `.venv/bin/python -m benchmarks feed`.
"""

import statistics
import time
from datetime import timedelta

FOLLOWEE_COUNTS = (10, 100, 1000, 5000)
TARGETED = ("write", "cache")
POSTS_PER_FOLLOWEE = 5
READS = 50
TARGET_RATIO = 1.5


def _build_graph(followees: int):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from social.models import Follow, Post

    User = get_user_model()
    tag = f"b{followees}"
    reader = User.objects.create(username=f"{tag}-reader", email=f"{tag}-reader@example.com")
    authors = User.objects.bulk_create(
        User(username=f"{tag}-{i}", email=f"{tag}-{i}@example.com") for i in range(followees)
    )
    Follow.objects.bulk_create(Follow(follower=reader, followed=a) for a in authors)
    now = timezone.now()
    Post.objects.bulk_create(
        Post(user=author, content=f"post {n} by {author.username}",
             created_on=now - timedelta(seconds=i * POSTS_PER_FOLLOWEE + n))
        for i, author in enumerate(authors)
        for n in range(POSTS_PER_FOLLOWEE)
    )  # fmt: skip
    return reader


def _measure(strategy, reader) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    strategy.page(reader, before=None, limit=20)  # warm caches and connections
    with CaptureQueriesContext(connection) as queries:
        strategy.page(reader, before=None, limit=20)
    timings = []
    for _ in range(READS):
        started = time.perf_counter()
        strategy.page(reader, before=None, limit=20)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000, len(queries)


def run() -> dict[tuple[str, int], tuple[float, int]]:
    from social.feeds import STRATEGIES
    from social.services import feed_rebuild

    results = {}
    for followees in FOLLOWEE_COUNTS:
        reader = _build_graph(followees)
        feed_rebuild(user_ids=[reader.pk])  # the `write` store, as fan-out would have left it
        for name, strategy in STRATEGIES.items():
            results[(name, followees)] = _measure(strategy, reader)
    return results


def report(results) -> int:
    names = sorted({name for name, _ in results})
    header = " | ".join(f"{n} followees" for n in FOLLOWEE_COUNTS)
    top, bottom = FOLLOWEE_COUNTS[-1], FOLLOWEE_COUNTS[0]
    print(f"| strategy | {header} | {top} / {bottom} |")
    print("|---|" + "---|" * (len(FOLLOWEE_COUNTS) + 1))
    for name in names:
        cells = [
            f"{results[(name, n)][0]:.2f} ms, {results[(name, n)][1]} q" for n in FOLLOWEE_COUNTS
        ]
        ratio = results[(name, top)][0] / results[(name, bottom)][0]
        print(f"| `{name}` | " + " | ".join(cells) + f" | {ratio:.2f}x |")
    failed = 0
    for name in TARGETED:
        ratio = results[(name, top)][0] / results[(name, bottom)][0]
        verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
        failed |= ratio > TARGET_RATIO
        print(f"Target `{name}` at {top} followees <= {TARGET_RATIO}x at {bottom}: "
              f"{ratio:.2f}x ({verdict})")  # fmt: skip
    return int(failed)


MAX_BYTES_PER_ENTRY = 60


def stored_entry_bytes() -> float:
    """Redis memory per stored `write` feed entry (MEMORY USAGE), for a full feed filled
    one post at a time as fan-out does."""
    from django.utils import timezone

    from social import feeds

    store = feeds.feed_store()
    if not isinstance(store, feeds.RedisFeedStore):
        raise RuntimeError("needs REDIS_URL")
    owner_id, base = 2_000_000_000, feeds.to_micros(timezone.now())
    store.clear(owner_id)
    for n in range(feeds.FEED_CAP):
        store.add([owner_id], [(base + n, 1_000_000_000 + n)])
    try:
        return store.bytes_per_entry(owner_id)
    finally:
        store.clear(owner_id)


def report_memory(per_entry: float) -> int:
    verdict = "met" if per_entry <= MAX_BYTES_PER_ENTRY else "MISSED"
    print(f"Redis memory per stored feed entry: {per_entry:.1f} bytes "
          f"(target <= {MAX_BYTES_PER_ENTRY}: {verdict})")  # fmt: skip
    return 0 if per_entry <= MAX_BYTES_PER_ENTRY else 1


def main() -> int:
    from benchmarks.setup import django_with_services

    with django_with_services():
        failed = report(run())
        return report_memory(stored_entry_bytes()) or failed


if __name__ == "__main__":
    raise SystemExit(main())
