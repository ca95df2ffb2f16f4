"""Recipe imports are throttled per user, web and API counting together."""

from pathlib import Path

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from project.throttling import ScopedRateThrottle
from recipes.models import Recipe

pytestmark = [pytest.mark.integration, pytest.mark.django_db]
PAGE = (Path(__file__).parent / "pages" / "jsonld_plain.html").read_text()
IMPORT = "/api/v1/recipes/import/"


@pytest.fixture(autouse=True)
def three_an_hour(monkeypatch):
    rates = {**ScopedRateThrottle.THROTTLE_RATES, "recipe-import": "3/hour"}
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)


def test_the_api_answers_429_past_the_rate(auth_api_client):
    codes = [
        auth_api_client.post(IMPORT, {"paste": PAGE}, format="json").status_code for _ in range(4)
    ]
    assert codes == [201, 201, 201, 429]
    refused = auth_api_client.post(IMPORT, {"paste": PAGE}, format="json")
    assert "throttled" in refused.json()["detail"].lower()
    assert int(refused["Retry-After"]) > 0
    assert Recipe.objects.count() == 3


def test_web_and_api_share_one_allowance_per_user(client, user, other_user):
    client.force_login(user)
    url = reverse("recipes:import")
    assert [client.post(url, {"paste": PAGE}).status_code for _ in range(2)] == [302, 302]
    api = APIClient()
    api.force_authenticate(user)
    assert api.post(IMPORT, {"paste": PAGE}, format="json").status_code == 201
    refused = client.post(url, {"paste": PAGE})
    assert refused.status_code == 429
    assert "Too many imports" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert api.post(IMPORT, {"paste": PAGE}, format="json").status_code == 429
    assert Recipe.objects.filter(user=user).count() == 3
    # Someone else has their own allowance.
    other = APIClient()
    other.force_authenticate(other_user)
    assert other.post(IMPORT, {"paste": PAGE}, format="json").status_code == 201


def test_the_web_form_counts_only_imports_it_tries(client, user):
    client.force_login(user)
    url = reverse("recipes:import")
    for _ in range(5):  # invalid forms (nothing given) fetch nothing and are not counted
        assert client.post(url, {}).status_code == 200
    assert client.post(url, {"paste": PAGE}).status_code == 302
