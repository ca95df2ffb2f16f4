"""Snap search at 10k and 100k snaps: `GET /api/v1/snaps/?search=` (full-text, GIN index)
next to the `icontains` it replaced, on the real PostgreSQL.

The searched word is in the same 20 snaps at every size, so a search that reads the
index costs the same; one that reads every row grows with the table.
Target (issue 15): the API search at 100k costs at most 1.5x its cost at 10k.
Run: `make bench` or `.venv/bin/python -m benchmarks search`.
"""

import random
import statistics
import time

SIZES = (10_000, 100_000)
HITS = 20  # snaps holding the searched word, at every size
NEEDLE = "zanzibar"
READS = 30
BATCH = 5_000
TARGET_RATIO = 1.5
VOCABULARY = [f"{a}{b}{c}" for a in "bcdfgklmnprst" for b in "aeiou" for c in "lmnrstxz"]


def _seed_to(total: int, user) -> None:
    from snaps.models import Snap, SnapFile

    rng = random.Random(total)
    existing = Snap.objects.count()
    texts = []

    def flush() -> None:
        snaps = Snap.objects.bulk_create(Snap(user=user) for _ in texts)
        SnapFile.objects.bulk_create(
            SnapFile(snap=snap, name=name, extension="py", content=content)
            for snap, (name, content) in zip(snaps, texts, strict=True)
        )
        texts.clear()

    for i in range(existing, total):
        words = rng.choices(VOCABULARY, k=40)
        if i < HITS:
            words[rng.randrange(len(words))] = NEEDLE
        texts.append((f"snippet {i}", " ".join(words)))
        if len(texts) == BATCH:
            flush()
    flush()


def _timed(read) -> float:
    read()  # warm up
    timings = []
    for _ in range(READS):
        started = time.perf_counter()
        read()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def _measure(client) -> dict[str, float]:
    from project.search import fallback_search
    from snaps.models import SNAP_FILE_SEARCH_FIELDS, SnapFile
    from snaps.selectors import snap_list_public, snap_search

    def api_search():
        response = client.get("/api/v1/snaps/", {"search": NEEDLE})
        assert response.status_code == 200 and response.json()["count"] == HITS, response

    def selector_page():
        assert len(list(snap_search(viewer=None, query=NEEDLE)[:20])) == HITS

    def icontains_page():
        files = fallback_search(SnapFile.objects.all(), SNAP_FILE_SEARCH_FIELDS, [NEEDLE])
        found = snap_list_public().filter(pk__in=files.values("snap_id"))
        assert len(found[:20]) == HITS

    return {
        "api": _timed(api_search),
        "selector": _timed(selector_page),
        "icontains": _timed(icontains_page),
    }


def _plan() -> str:
    from django.db import connection

    from snaps.selectors import snap_search

    sql, params = snap_search(viewer=None, query=NEEDLE)[:20].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def run() -> dict[int, dict[str, float]]:
    from django.db import connection
    from django.test.utils import setup_test_environment
    from rest_framework.test import APIClient

    from accounts.tests.factories import UserFactory

    setup_test_environment()
    user = UserFactory()
    client = APIClient()
    client.force_authenticate(user=user)
    results = {}
    for size in SIZES:
        _seed_to(size, user)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE snaps_snap")
            cursor.execute("ANALYZE snaps_snapfile")
        results[size] = _measure(client)
    plan = _plan()
    print(
        f"Plan at {SIZES[-1]:,} snaps uses snaps_file_search_idx: {'snaps_file_search_idx' in plan}"
    )
    return results


def report(results: dict[int, dict[str, float]]) -> int:
    small, large = SIZES
    print(f"| read | {small:,} snaps | {large:,} snaps | {large:,} / {small:,} |")
    print("|---|---|---|---|")
    rows = (
        ("`/api/v1/snaps/?search=` (full-text, HTTP)", "api"),
        ("`snap_search()` page of 20 (SQL only)", "selector"),
        ("`icontains` page of 20 (before)", "icontains"),
    )
    for title, key in rows:
        ratio = results[large][key] / results[small][key]
        print(
            f"| {title} | {results[small][key]:.2f} ms | {results[large][key]:.2f} ms "
            f"| {ratio:.2f}x |"
        )
    ratio = results[large]["api"] / results[small]["api"]
    verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
    print(f"\nTarget search at {large:,} <= {TARGET_RATIO}x at {small:,}: {ratio:.2f}x ({verdict})")
    return 0 if ratio <= TARGET_RATIO else 1


def main() -> int:
    from benchmarks.setup import django_with_services

    with django_with_services():
        return report(run())


if __name__ == "__main__":
    raise SystemExit(main())
