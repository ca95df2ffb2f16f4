"""One Redis client per URL and process, for the few places that need more than the
Django cache API offers (sorted sets, atomic counters)."""

from functools import lru_cache

import redis
from django.conf import settings


@lru_cache(maxsize=4)
def _client(url: str, connect_timeout: float, socket_timeout: float) -> redis.Redis:
    return redis.Redis.from_url(
        url, socket_connect_timeout=connect_timeout, socket_timeout=socket_timeout
    )


def redis_client() -> redis.Redis | None:
    """The client for REDIS_URL, or None when the site runs without Redis."""
    if not settings.REDIS_URL:
        return None
    return _client(
        settings.REDIS_URL, settings.REDIS_CONNECT_TIMEOUT, settings.REDIS_SOCKET_TIMEOUT
    )
