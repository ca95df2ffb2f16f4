"""Blueprints under gunicorn on a benchmark's throwaway services, for the benchmarks that
load a real server (http.py, peers.py): the environment, the start-up, the media folder."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

WORKERS = int(os.environ.get("BENCH_WORKERS", 2))
BASE_DIR = Path(__file__).resolve().parent.parent


@contextmanager
def services_with_media(prefix: str) -> Iterator[None]:
    """Django on fresh PostgreSQL and Redis (benchmarks.setup) with its MEDIA_ROOT in a
    temporary folder that goes afterwards."""
    from benchmarks.setup import django_with_services

    media = tempfile.mkdtemp(prefix=prefix)
    os.environ["MEDIA_ROOT"] = str(Path(media) / "media")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    try:
        with django_with_services():
            yield
    finally:
        shutil.rmtree(media, ignore_errors=True)


def blueprints_env(db: dict, media_root) -> dict[str, str]:
    """The environment of a production-like Blueprints server on the benchmark's services."""
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-secret-key-0123456789abcdefghijklmnop",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CONN_MAX_AGE": "60",
        "MEDIA_ROOT": str(media_root),
        "STATIC_ROOT": str(Path(media_root).parent / "static"),
        "API_USER_RATE": "1000000/minute",
        "API_ANON_RATE": "1000000/minute",
        "BENCHMARK_BARE_VIEW": "1",
        "LOG_LEVEL": "WARNING",
    }


def start_gunicorn(gunicorn: Path, app: str, port: int, env: dict[str, str]) -> subprocess.Popen:
    """WORKERS gunicorn workers serving `app` on 127.0.0.1:`port`, once it accepts connections."""
    server = subprocess.Popen(
        [str(gunicorn), app, "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        cwd=BASE_DIR,
        env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.terminate()
                raise RuntimeError(f"gunicorn ({app}) did not start") from None
            time.sleep(0.2)


def start_blueprints(port: int) -> subprocess.Popen:
    """Blueprints as deployed (DEBUG off, static files collected into the hashed manifest
    that DEBUG=0 pages need) on this process's database and media, serving `port`."""
    from django.conf import settings
    from django.db import connection

    env = blueprints_env(connection.settings_dict, settings.MEDIA_ROOT)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=BASE_DIR, env=env, check=True,
    )  # fmt: skip
    gunicorn = Path(sys.executable).with_name("gunicorn")
    return start_gunicorn(gunicorn, "project.wsgi:application", port, env)
