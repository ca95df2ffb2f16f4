"""Requests/s and p95 latency of four real pages under gunicorn, each compared with a
bare Django view measured in the same run (target: at least 0.5 of the bare view).

Run: `make bench` or `.venv/bin/python -m benchmarks http`. Everything runs on this
machine: a throwaway PostgreSQL and Redis, gunicorn on a free loopback port, and a
bounded load (CONCURRENCY connections for SECONDS per endpoint).
"""

import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", 8))
SECONDS = float(os.environ.get("BENCH_SECONDS", 6))
WORKERS = int(os.environ.get("BENCH_WORKERS", 2))
TARGET = 0.5
BASE_DIR = Path(__file__).resolve().parent.parent


def _seed() -> tuple[str, dict[str, str]]:
    """Demo-sized data; returns the API token and the paths to measure."""
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from accounts.models import User
    from photos.services import photo_upload
    from photos.tests.images import image_bytes, upload
    from recipes.services import recipe_create
    from snaps.services import snap_create
    from social.models import Follow, Post

    reader = User.objects.create_user(
        username="bench", email="bench@example.com", password="bench-pass-123"
    )
    token = Token.objects.create(user=reader).key
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


def _load(port: int, path: str, headers: dict[str, str]) -> tuple[float, float, int]:
    """(requests/s, p95 ms, errors) with CONCURRENCY keep-alive clients for SECONDS."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + SECONDS

    def client() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, failed = [], 0
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            failed += response.status != 200
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
    elapsed = time.monotonic() - began
    p95 = statistics.quantiles(latencies, n=20)[-1] * 1000 if len(latencies) > 20 else float("nan")
    return len(latencies) / elapsed, p95, errors


def run() -> list[tuple[str, float, float, int]]:
    from django.conf import settings
    from django.db import connection

    from project.testservices import free_port

    token, paths = _seed()
    db = connection.settings_dict
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-secret-key-0123456789abcdefghijklmnop",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CONN_MAX_AGE": "60",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "STATIC_ROOT": str(Path(settings.MEDIA_ROOT).parent / "static"),
        "API_USER_RATE": "1000000/minute",
        "API_ANON_RATE": "1000000/minute",
        "BENCHMARK_BARE_VIEW": "1",
        "LOG_LEVEL": "WARNING",
    }
    # As in a deploy: the hashed static manifest must exist before DEBUG=0 pages render.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "project.wsgi:application",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=BASE_DIR,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        headers = {"Authorization": f"Token {token}", "Host": "127.0.0.1"}
        results = []
        for name, path in paths.items():
            _load(
                port, path, headers
            ) if name == "bare Django view" else None  # warm the workers once
            rps, p95, errors = _load(port, path, headers)
            results.append((name, rps, p95, errors))
        return results
    finally:
        server.terminate()
        server.wait(timeout=30)


def report(results) -> int:
    bare_rps = results[0][1]
    print(f"gunicorn {WORKERS} workers, {CONCURRENCY} keep-alive clients, {SECONDS:g} s each\n")
    print("| endpoint | requests/s | p95 latency | vs bare view | errors |")
    print("|---|---|---|---|---|")
    missed = []
    for name, rps, p95, errors in results:
        ratio = rps / bare_rps
        print(f"| {name} | {rps:.0f} | {p95:.1f} ms | {ratio:.2f} | {errors} |")
        if name != "bare Django view" and (ratio < TARGET or errors):
            missed.append(name)
    verdict = "met" if not missed else f"MISSED for {', '.join(missed)}"
    print(f"\nTarget: every endpoint at least {TARGET} of the bare view, no errors: {verdict}")
    return 0 if not missed else 1


def main() -> int:
    from benchmarks.setup import django_with_services

    media = tempfile.mkdtemp(prefix="blueprints-bench-")
    os.environ["MEDIA_ROOT"] = str(Path(media) / "media")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    try:
        with django_with_services():
            return report(run())
    finally:
        shutil.rmtree(media, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
