"""One Redis client per URL and process, for the few places that need more than the
Django cache API offers (sorted sets, atomic counters)."""

from functools import lru_cache

import redis
from django.conf import settings


@lru_cache(maxsize=4)
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url)


def redis_client() -> redis.Redis | None:
    """The client for REDIS_URL, or None when the site runs without Redis."""
    return _client(settings.REDIS_URL) if settings.REDIS_URL else None
