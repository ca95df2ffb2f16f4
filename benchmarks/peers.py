"""Blueprints' snaps next to dpaste (the pastebin they re-create): detail, raw and create.

dpaste 3.5 comes from PyPI into its own virtualenv (DPASTE_VENV, by default
.bench/dpaste-venv, made with `uv venv` + `uv pip install` on first use) and runs with
benchmarks/dpaste_settings.py, which holds the small shims it needs on Django 5.2; the
installed package is never edited. Both sites run under gunicorn with WORKERS workers
on the same throwaway PostgreSQL (dpaste in its own database) and take the same load:
CONCURRENCY keep-alive clients, one site after the other within each round, so the
drift of a shared machine stays out of the ratio (Blueprints / dpaste requests per
second, the median of the per-round ratios).

The requests, as a visitor and an API client make them:
- detail: the snippet's page, anonymous (Blueprints may answer from its page cache;
  dpaste counts the view with an UPDATE);
- raw: the snippet as text/plain;
- create: Blueprints `POST /api/v1/snaps/` (JSON, token) vs dpaste `POST /api/` (form).

Target: snap create at least 1.0x dpaste's throughput.
Run: `make bench` or `.venv/bin/python -m benchmarks peers`.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

from benchmarks.http import CONCURRENCY, ROUNDS, SECONDS, WARM_UP_SECONDS, Measurement, _load
from benchmarks.servers import (
    BASE_DIR,
    WORKERS,
    services_with_media,
    start_blueprints,
    start_gunicorn,
)

# dpaste 3.5 subclasses an HTML formatter whose `wrap(source, outfile)` Pygments 2.12 changed.
DPASTE_REQUIREMENTS = (
    "dpaste==3.5",
    "django>=5.2,<5.3",
    "pygments<2.12",
    "psycopg[binary]>=3.2",
    "gunicorn",
)
DPASTE_VENV = Path(os.environ.get("DPASTE_VENV", BASE_DIR / ".bench" / "dpaste-venv"))
DPASTE_DATABASE = "dpaste_bench"
CREATE_TARGET = 1.0
CONTENT = (Path(__file__).read_text()[:3000]).strip()


def dpaste_python() -> Path:
    """dpaste's interpreter, in its own virtualenv, made on first use; the install is
    repeated every run (a no-op once satisfied) so the pins above always hold."""
    python = DPASTE_VENV / "bin" / "python"
    uv = shutil.which("uv") or str(Path(sys.executable).with_name("uv"))
    if not python.exists():
        print(f"installing dpaste into {DPASTE_VENV}", file=sys.stderr, flush=True)
        subprocess.run([uv, "venv", "-q", "--python", "3.11", str(DPASTE_VENV)], check=True)
    subprocess.run(
        [uv, "pip", "install", "-q", "--python", str(python), *DPASTE_REQUIREMENTS], check=True
    )
    return python


def _dpaste_env(db: dict, static_root: Path) -> dict[str, str]:
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{DPASTE_DATABASE}"
    return {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        "DJANGO_SETTINGS_MODULE": "benchmarks.dpaste_settings",
        "PYTHONPATH": str(BASE_DIR),  # for benchmarks.dpaste_settings only
        "DATABASE_URL": url,
        "SECRET_KEY": "benchmark-only-dpaste-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(static_root),
    }


def _create_database() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {DPASTE_DATABASE}")
        cursor.execute(f"CREATE DATABASE {DPASTE_DATABASE}")


def _post(port: int, path: str, body: bytes, headers: dict[str, str]) -> bytes:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=body, headers=headers, method="POST"
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


def _blueprints_token() -> str:
    from accounts.models import User
    from accounts.services import api_token_create

    user = User.objects.create_user(username="peer", email="peer@example.com", password="x" * 16)
    return api_token_create(user=user, name="peers").key


def run() -> dict[str, tuple[Measurement, Measurement]]:
    from django.conf import settings
    from django.db import connection

    from project.tests.harness import free_port

    token = _blueprints_token()
    python = dpaste_python()
    _create_database()
    dp_env = _dpaste_env(connection.settings_dict, Path(settings.MEDIA_ROOT).parent / "dpaste")
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run(
            [str(python), "-m", "django", *command],
            cwd=BASE_DIR, env=dp_env, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    bp_port, dp_port = free_port(), free_port()
    servers = [
        start_blueprints(bp_port),
        start_gunicorn(python.with_name("gunicorn"), "dpaste.wsgi:application", dp_port, dp_env),
    ]
    try:
        host = {"Host": "127.0.0.1"}
        api = {**host, "Authorization": f"Token {token}", "Content-Type": "application/json"}
        snap_body = json.dumps({"name": "bench", "extension": "py", "content": CONTENT}).encode()
        snap = json.loads(_post(bp_port, "/api/v1/snaps/", snap_body, api))
        form = {**host, "Content-Type": "application/x-www-form-urlencoded"}
        dp_body = urllib.parse.urlencode(
            {"content": CONTENT, "lexer": "python", "expires": "never", "format": "json"}
        ).encode()
        snippet = json.loads(_post(dp_port, "/api/", dp_body, form))
        snippet_path = urllib.parse.urlsplit(snippet["url"]).path.rstrip("/")
        snap_path = urllib.parse.urlsplit(snap["share_url"]).path
        # (name, (port, path, headers, method, body, ok) for Blueprints, then for dpaste)
        cases = {
            "detail": (
                (bp_port, snap_path, host, "GET", None, 200),
                (dp_port, f"{snippet_path}/", host, "GET", None, 200),
            ),
            "raw": (
                (bp_port, f"{snap_path}raw/", host, "GET", None, 200),
                (dp_port, f"{snippet_path}/raw/", host, "GET", None, 200),
            ),
            "create": (
                (bp_port, "/api/v1/snaps/", api, "POST", snap_body, 201),
                (dp_port, "/api/", form, "POST", dp_body, 200),
            ),
        }

        def load(case, seconds: float) -> Measurement:
            port, path, headers, method, body, ok = case
            return _load(port, path, headers, seconds, method=method, body=body, ok=ok)

        for pair in cases.values():  # warm both sites' workers and connections
            for case in pair:
                load(case, WARM_UP_SECONDS)
        results = {name: (Measurement(), Measurement()) for name in cases}
        for _ in range(ROUNDS):
            for name, pair in cases.items():
                measured = [load(case, SECONDS / ROUNDS) for case in pair]
                for total, one in zip(results[name], measured, strict=True):
                    total.latencies += one.latencies
                    total.seconds += one.seconds
                    total.errors += one.errors
                results[name][0].ratios.append(measured[0].rps / measured[1].rps)
        return results
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)


def report(results: dict[str, tuple[Measurement, Measurement]]) -> int:
    print(
        f"gunicorn {WORKERS} workers each, {CONCURRENCY} keep-alive clients, {SECONDS:g} s per "
        f"site and request in {ROUNDS} rounds; ratio = median of the per-round ratios\n"
    )
    print(
        "| request | Blueprints req/s | p95 | dpaste req/s | p95 | Blueprints / dpaste | errors |"
    )
    print("|---|---|---|---|---|---|---|")
    failed = []
    for name, (ours, theirs) in results.items():
        ratio = statistics.median(ours.ratios)
        print(
            f"| {name} | {ours.rps:.0f} | {ours.p95_ms:.1f} ms | {theirs.rps:.0f} "
            f"| {theirs.p95_ms:.1f} ms | {ratio:.2f}x | {ours.errors} / {theirs.errors} |"
        )
        if ours.errors or theirs.errors:
            failed.append(f"{name} had errors")
    create = statistics.median(results["create"][0].ratios)
    if create < CREATE_TARGET:
        failed.append(f"snap create at {create:.2f}x dpaste (target {CREATE_TARGET}x)")
    print(f"\nTarget: snap create at least {CREATE_TARGET}x dpaste: {create:.2f}x", end=" ")
    print("(met)" if create >= CREATE_TARGET else "(MISSED)")
    for line in failed:
        print(f"MISSED {line}")
    return 1 if failed else 0


def main() -> int:
    with services_with_media("blueprints-peers-"):
        return report(run())


if __name__ == "__main__":
    raise SystemExit(main())
