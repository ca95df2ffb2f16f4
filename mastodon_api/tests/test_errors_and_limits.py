from datetime import datetime

import pytest
from rest_framework.test import APIClient

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_rate_limit_headers_count_down(mastodon_client):
    first = mastodon_client.get("/api/v1/timelines/home")
    second = mastodon_client.get("/api/v1/timelines/home")
    assert first["X-RateLimit-Limit"] == "1200"
    assert int(second["X-RateLimit-Remaining"]) == int(first["X-RateLimit-Remaining"]) - 1
    assert datetime.fromisoformat(first["X-RateLimit-Reset"]) > datetime.fromisoformat(
        "2000-01-01T00:00:00+00:00"
    )


def test_throttled_is_429_in_mastodons_shape(user, make_token, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    rates = {**SimpleRateThrottle.THROTTLE_RATES, "user": "2/minute"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(user).token}")
    answers = [client.get("/api/v1/timelines/home") for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert answers[2]["X-RateLimit-Remaining"] == "0"
    assert set(answers[2].json()) == {"error"}
    assert "Retry-After" in answers[2]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/api/v1/statuses/999999", 404),
        ("get", "/api/v1/statuses/abc", 404),  # not an id: no such path
        ("delete", "/api/v1/timelines/home", 405),
        ("get", "/api/v1/accounts/999999", 404),
    ],
)
def test_errors_are_mastodons_shape(mastodon_client, method, path, status):
    response = getattr(mastodon_client, method)(path)
    assert response.status_code == status
    assert list(response.json()) in (["error"], ["detail"])
    if path.split("/")[-1].isdigit() or method == "delete":
        assert list(response.json()) == ["error"]
