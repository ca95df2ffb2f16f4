"""Requests/s and p95 latency of four real pages under gunicorn, each compared with a
bare Django view measured in the same run (target: at least 0.5 of the bare view).

Run: `make bench` or `.venv/bin/python -m benchmarks http`. Everything runs on this
machine: a throwaway PostgreSQL and Redis, gunicorn on a free loopback port, and a
bounded load (CONCURRENCY connections for SECONDS per endpoint).

The load is spread over ROUNDS rounds, each measuring the bare view and then every
endpoint for SECONDS / ROUNDS; an endpoint's ratio is the median of its per-round
ratios to that round's bare view. On a shared machine the speed of everything drifts
by a third within a minute; comparing neighbours keeps the drift out of the ratio.
"""

import http.client
import os
import statistics
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.servers import WORKERS, services_with_media, start_blueprints

CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", 8))
SECONDS = float(os.environ.get("BENCH_SECONDS", 6))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 3))
WARM_UP_SECONDS = 1.0
TARGET = 0.5


def _seed() -> tuple[str, dict[str, str]]:
    """Demo-sized data; returns the API token and the paths to measure."""
    from django.utils import timezone

    from accounts.models import User
    from accounts.services import api_token_create
    from photos.services import photo_upload
    from photos.tests.images import image_bytes, upload
    from recipes.services import recipe_create
    from snaps.services import snap_create
    from social.models import Follow, Post

    reader = User.objects.create_user(
        username="bench", email="bench@example.com", password="bench-pass-123"
    )
    token = api_token_create(user=reader, name="test").key
    snap = snap_create(
        user=reader, name="bench", extension="py", content=Path(__file__).read_text()[:3000]
    )
    authors = User.objects.bulk_create(
        User(username=f"author{i}", email=f"a{i}@example.com") for i in range(50)
    )
    Follow.objects.bulk_create(Follow(follower=reader, followed=a) for a in authors)
    now = timezone.now()
    Post.objects.bulk_create(
        Post(
            user=a,
            content=f"post {n} by {a.username}",
            created_on=now - timezone.timedelta(minutes=i * 5 + n),
        )
        for i, a in enumerate(authors)
        for n in range(5)
    )
    for i in range(30):
        photo_upload(user=reader, file=upload(image_bytes(size=(64, 48))), comment=f"photo {i}")
    for i in range(40):
        recipe_create(
            user=authors[i % 50],
            share_on=[],
            title=f"Recipe {i}",
            ingredients="a\nb",
            instructions="Cook.",
            servings=2,
            total_time_minutes=20,
        )
    return token, {
        "bare Django view": "/__bench__/bare",
        "snap detail": snap.get_absolute_url(),
        "feed (API)": "/api/v1/feed/",
        "photo list (API)": "/api/v1/photos/",
        "recipe list": "/recipes/",
    }


@dataclass
class Measurement:
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    errors: int = 0
    ratios: list[float] = field(default_factory=list)  # per round, to the bare view

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds

    @property
    def p95_ms(self) -> float:
        if len(self.latencies) <= 20:
            return float("nan")
        return statistics.quantiles(self.latencies, n=20)[-1] * 1000


def _load(
    port: int,
    path: str,
    headers: dict[str, str],
    seconds: float,
    *,
    method: str = "GET",
    body: bytes | None = None,
    ok: int = 200,
) -> Measurement:
    """CONCURRENCY keep-alive clients requesting `path` for `seconds`; a response
    whose status is not `ok` counts as an error."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, failed = [], 0
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            failed += response.status != ok
        conn.close()
        with lock:
            latencies.extend(mine)
            errors += failed

    threads = [threading.Thread(target=client) for _ in range(CONCURRENCY)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Measurement(latencies=latencies, seconds=time.monotonic() - began, errors=errors)


def run() -> dict[str, Measurement]:
    from project.tests.harness import free_port

    token, paths = _seed()
    port = free_port()
    server = start_blueprints(port)
    try:
        headers = {"Authorization": f"Token {token}", "Host": "127.0.0.1"}
        for path in paths.values():  # warm the workers, connections and caches
            _load(port, path, headers, WARM_UP_SECONDS)
        results = {name: Measurement() for name in paths}
        for _ in range(ROUNDS):
            bare_rps = None
            for name, path in paths.items():  # the bare view first: the round's yardstick
                measured = _load(port, path, headers, SECONDS / ROUNDS)
                bare_rps = bare_rps or measured.rps
                total = results[name]
                total.latencies += measured.latencies
                total.seconds += measured.seconds
                total.errors += measured.errors
                total.ratios.append(measured.rps / bare_rps)
        return results
    finally:
        server.terminate()
        server.wait(timeout=30)


def report(results: dict[str, Measurement]) -> int:
    print(
        f"gunicorn {WORKERS} workers, {CONCURRENCY} keep-alive clients, {SECONDS:g} s each "
        f"in {ROUNDS} rounds; ratio = median of the per-round ratios\n"
    )
    print("| endpoint | requests/s | p95 latency | vs bare view | per round | errors |")
    print("|---|---|---|---|---|---|")
    missed = []
    for name, total in results.items():
        ratio = statistics.median(total.ratios)
        rounds = " / ".join(f"{r:.2f}" for r in total.ratios)
        print(
            f"| {name} | {total.rps:.0f} | {total.p95_ms:.1f} ms | {ratio:.2f} | {rounds} "
            f"| {total.errors} |"
        )
        if name != "bare Django view" and (ratio < TARGET or total.errors):
            missed.append(name)
    verdict = "met" if not missed else f"MISSED for {', '.join(missed)}"
    print(f"\nTarget: every endpoint at least {TARGET} of the bare view, no errors: {verdict}")
    return 0 if not missed else 1


def main() -> int:
    with services_with_media("blueprints-bench-"):
        return report(run())


if __name__ == "__main__":
    raise SystemExit(main())
