"""DRF's throttles, counted in fixed windows with one atomic increment per request.

DRF's own throttles keep a list of request times in the cache and write it back
with get + set: two round trips, a payload that grows with the rate, and lost
updates when two workers count the same caller at once. Here a request costs one
Redis round trip (SET NX + INCR in a pipeline) and concurrent requests are all
counted. The price is the usual fixed-window edge: a caller may spend one window's
allowance at its end and the next one's right after.
"""

import contextlib

from django.conf import settings
from django.core.cache import cache
from rest_framework import throttling

from project.cache import CACHE_ERRORS, log_cache_outage
from project.redis import redis_client


def _raw_key(key: str) -> str:
    # The raw client: the cache API has no atomic create-or-increment. Its keys
    # get the cache's prefix by hand, so deployments sharing a Redis stay apart.
    return f"{settings.CACHES['default'].get('KEY_PREFIX', '')}:throttle:{key}"


def count_request(key: str, window_seconds: int) -> int:
    """Requests counted under `key` in its current window, this one included."""
    if (client := redis_client()) is not None:
        raw_key = _raw_key(key)
        with client.pipeline(transaction=False) as pipe:
            pipe.set(raw_key, 0, ex=window_seconds, nx=True)
            pipe.incr(raw_key)
            _, count = pipe.execute()
        return count
    key = f"throttle:{key}"  # the cache adds its own prefix
    cache.add(key, 0, window_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr: this request opens a new window
        cache.set(key, 1, window_seconds)
        return 1


def uncount_request(key: str) -> None:
    """Take back one count_request(key) of the current window (e.g. a login that succeeded)."""
    if (client := redis_client()) is not None:
        # Only while the key lives: a DECR on an expired key would recreate it forever.
        client.eval(
            "if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('DECR', KEYS[1]) end",
            1,
            _raw_key(key),
        )
        return
    with contextlib.suppress(ValueError):  # expired meanwhile: nothing left to take back
        cache.decr(f"throttle:{key}")


class FixedWindowMixin:
    # With Redis unreachable, the general anonymous/user limits let requests through
    # (the site stays usable); scoped limits that guard credentials and sign-ups do not,
    # and their requests answer 503 (project/outages.py).
    fail_open = True
    count: int | None = None  # this window's requests so far, once counted (rate headers)

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        window = int(self.timer() // self.duration)
        self.window_ends_at = (window + 1) * self.duration
        try:
            count = count_request(f"{self.key}:{window}", self.duration)
        except CACHE_ERRORS as error:
            if not self.fail_open:
                raise
            log_cache_outage(error)
            return True
        self.count = count
        return count <= self.num_requests

    def wait(self) -> float:
        return max(0.0, self.window_ends_at - self.timer())


class AnonRateThrottle(FixedWindowMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(FixedWindowMixin, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(FixedWindowMixin, throttling.ScopedRateThrottle):
    fail_open = False

    def allow_request(self, request, view) -> bool:
        # The rate comes from the view's scope, known only now (as in DRF's own).
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)
