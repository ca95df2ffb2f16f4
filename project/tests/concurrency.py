"""Helpers for tests that race real requests: threads, each with its own DB connection."""

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from django.db import connection, connections


def in_threads(*calls: Callable[[], Any]) -> list[Future]:
    """Start each call in its own thread (so on its own database connection); the
    futures' results are read by the caller once whatever blocks them is released."""
    pool = ThreadPoolExecutor(max_workers=len(calls))

    def run(call: Callable[[], Any]) -> Any:
        try:
            return call()
        finally:
            connections.close_all()  # this thread's connections, not the test's

    futures = [pool.submit(run, call) for call in calls]
    pool.shutdown(wait=False)
    return futures


def wait_for_lock_waiters(count: int, timeout: float = 15.0) -> None:
    """Poll PostgreSQL until `count` other sessions wait for a lock (deadline `timeout`)."""
    deadline = time.monotonic() + timeout
    while True:
        with connection.cursor() as cursor:
            # Activity is snapshotted once per transaction; the caller may be in one.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database() AND pid <> pg_backend_pid()"
            )
            (waiting,) = cursor.fetchone()
        if waiting >= count:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{waiting} of {count} sessions reached the lock in {timeout} s")
        time.sleep(0.01)
