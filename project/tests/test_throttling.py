"""Fixed-window throttles: exact counts under concurrency, 429 with Retry-After, a new
allowance each window; on Redis and on the cache alone (no REDIS_URL)."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import caches
from rest_framework.test import APIClient

from project import throttling
from project.throttling import UserRateThrottle, count_request

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture(params=["redis", "cache only"])
def backend(request, settings):
    if request.param == "cache only":
        settings.REDIS_URL = ""
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
        caches["default"].clear()
    return request.param


@pytest.fixture
def clock(monkeypatch):
    now = [60 * 16_667 + 20.0]  # 20 s into a minute
    monkeypatch.setattr(UserRateThrottle, "timer", lambda self: now[0])
    return now


@pytest.fixture
def limited(monkeypatch):
    monkeypatch.setattr(
        UserRateThrottle, "THROTTLE_RATES", {**UserRateThrottle.THROTTLE_RATES, "user": "3/minute"}
    )


def test_counts_every_concurrent_request(backend):
    with ThreadPoolExecutor(max_workers=8) as pool:
        counts = list(pool.map(lambda _: count_request("burst", 60), range(200)))
    assert sorted(counts) == list(range(1, 201))


def test_429_with_retry_after_then_a_new_window(backend, limited, clock, auth_api_client):
    codes = [auth_api_client.get("/api/v1/users/me/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = auth_api_client.get("/api/v1/users/me/")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "40"
    assert "throttled" in refused.json()["detail"].lower()
    clock[0] += 40  # the next minute
    assert auth_api_client.get("/api/v1/users/me/").status_code == 200


def test_users_are_counted_apart(backend, limited, clock, user, other_user):
    first, second = APIClient(), APIClient()
    first.force_authenticate(user)
    second.force_authenticate(other_user)
    assert [first.get("/api/v1/users/me/").status_code for _ in range(4)][-1] == 429
    assert second.get("/api/v1/users/me/").status_code == 200


def test_counter_expires_with_its_window(settings):
    client = throttling.redis_client()
    count_request("expiring", 60)
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    assert 0 < client.ttl(f"{prefix}:throttle:expiring") <= 60
