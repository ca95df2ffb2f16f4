"""pytest plugin: throwaway PostgreSQL and Redis for the test run.

Loaded with ``-p project.tests.harness`` (see pyproject) so it runs before
pytest-django reads the settings. When ``DATABASE_URL``/``REDIS_URL`` are not
given, it starts a private PostgreSQL cluster (initdb + pg_ctl in a temp dir,
free port) and a private ``redis-server``, exports their URLs for the settings
(and for any subprocess such as a Celery worker), and stops both at the end of
the run, whether the tests passed or not.
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest

APT_PACKAGES = ("postgresql", "redis-server", "chromium")
_cleanups: list[Callable[[], None]] = []


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _find_pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


def _missing_binaries() -> list[str]:
    missing = [name for name in ("initdb", "pg_ctl") if not _find_pg_bin(name)]
    if not shutil.which("redis-server"):
        missing.append("redis-server")
    return missing


def _ensure_binaries() -> None:
    if not _missing_binaries():
        return
    command = f"apt-get update && apt-get install -y {' '.join(APT_PACKAGES)}"
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"[testservices] installing test services: {command}", file=sys.stderr)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["bash", "-c", command], check=True, env=env)
    if _missing_binaries():
        raise SystemExit(
            f"PostgreSQL/Redis binaries missing ({', '.join(_missing_binaries())}). "
            f"Install them with:  sudo {command}"
        )


def _as_postgres_user() -> list[str]:
    """initdb refuses to run as root: drop to the `postgres` system user then."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "postgres"], check=True)
    return ["runuser", "-u", "postgres", "--"]


def _start_postgres() -> str:
    prefix = _as_postgres_user()
    root = Path(tempfile.mkdtemp(prefix="blueprints-pg-"))
    if prefix:
        shutil.chown(root, user="postgres")
    data, log = root / "data", root / "server.log"
    subprocess.run(
        [*prefix, _find_pg_bin("initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
         "-E", "UTF8", "--no-sync", "--locale=C.UTF-8"],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    port = free_port()
    options = (
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    pg_ctl = _find_pg_bin("pg_ctl")
    subprocess.run(
        [*prefix, pg_ctl, "-D", str(data), "-o", options, "-l", str(log), "-w", "start"],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip

    def stop() -> None:
        subprocess.run(
            [*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
        )  # fmt: skip
        shutil.rmtree(root, ignore_errors=True)

    _cleanups.append(stop)
    return f"postgres://postgres@127.0.0.1:{port}/postgres"


# The harness's own redis-server, so an outage test can stop and restart it.
_redis: dict = {}


def _spawn_redis(port: int, workdir: str) -> subprocess.Popen:
    return subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", workdir],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _wait_for_redis(port: int, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                if conn.recv(16).startswith(b"+PONG"):
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"redis-server did not answer PING within {timeout} s")


def _terminate(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _start_redis() -> str:
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="blueprints-redis-")
    _redis.update(port=port, workdir=workdir, process=_spawn_redis(port, workdir))

    def stop() -> None:
        if (process := _redis.pop("process", None)) is not None:
            _terminate(process)
        shutil.rmtree(workdir, ignore_errors=True)

    _cleanups.append(stop)
    _wait_for_redis(port)
    return f"redis://127.0.0.1:{port}/0"


def harness_redis_running() -> bool:
    """Whether this process started the run's Redis (and so may stop it)."""
    return _redis.get("process") is not None


def stop_harness_redis() -> None:
    """Stop the run's redis-server; its port then refuses connections."""
    _terminate(_redis.pop("process"))


def start_harness_redis() -> None:
    """Start the run's redis-server again on the same port; returns once it answers
    PING. Its data is gone, like after a real restart without persistence."""
    port, workdir = _redis["port"], _redis["workdir"]
    _redis["process"] = _spawn_redis(port, workdir)
    _wait_for_redis(port)


def stop_services() -> None:
    while _cleanups:
        _cleanups.pop()()


def ensure_services() -> None:
    """Start PostgreSQL and/or Redis unless DATABASE_URL/REDIS_URL are already given,
    and export their URLs. Also used by `benchmarks/`."""
    need_db = not os.environ.get("DATABASE_URL")
    need_redis = not os.environ.get("REDIS_URL")
    if need_db or need_redis:
        _ensure_binaries()
        atexit.register(stop_services)
    if need_db:
        os.environ["DATABASE_URL"] = _start_postgres()
    if need_redis:
        os.environ["REDIS_URL"] = _start_redis()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    # xdist workers inherit the controller's URLs through the environment.
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        ensure_services()
    # Tests run tasks inline unless a test talks to a real worker on purpose.
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")
    return (yield)


def pytest_unconfigure(config) -> None:
    stop_services()
