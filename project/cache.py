"""Django's Redis cache backend, keeping one client per connection pool.

Django's client builds a new `redis.Redis` on every cache call, which costs about as
much Python time as the round trip itself on a hot path. The client is thread-safe
and holds no state of its own beyond its pool, so one per pool serves every call.
"""

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache.backends import redis
from redis import exceptions as redis_exceptions

logger = logging.getLogger(__name__)
T = TypeVar("T")


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient


# --- entries that only save work: a dead Redis makes them misses, not errors -------------
#
# Reads of such entries and the writes that fill them go through optional_read /
# optional_write: the page or API answer is computed without the cache. Invalidations
# (deletes, version bumps) stay strict on purpose: one lost while Redis is unreachable
# would leave a stale entry behind once it answers again, so the write that needs it
# fails instead (503, see project/outages.py) and its transaction rolls back.

CACHE_ERRORS: tuple[type[Exception], ...] = (
    redis_exceptions.ConnectionError,
    redis_exceptions.TimeoutError,
)
OUTAGE_LOG_EVERY_SECONDS = 10.0
_last_logged = [float("-inf")]


def log_cache_outage(error: Exception) -> None:
    """Warn about an unreachable cache, at most once per OUTAGE_LOG_EVERY_SECONDS."""
    now = time.monotonic()
    if now - _last_logged[0] >= OUTAGE_LOG_EVERY_SECONDS:
        _last_logged[0] = now
        logger.warning("Cache unreachable, answering without it: %r", error)


def optional_read(read: Callable[[], T], default: T) -> T:
    """`read()`, or `default` when the cache cannot be reached."""
    try:
        return read()
    except CACHE_ERRORS as error:
        log_cache_outage(error)
        return default


def optional_write(write: Callable[[], object]) -> None:
    """`write()`, skipped when the cache cannot be reached."""
    try:
        write()
    except CACHE_ERRORS as error:
        log_cache_outage(error)
