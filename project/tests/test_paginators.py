import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from project.paginators import BoundedCountPaginator
from snaps.models import Snap
from snaps.tests.factories import SnapFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def small_horizon(monkeypatch):
    monkeypatch.setattr(BoundedCountPaginator, "count_ahead", 5)


def test_count_is_exact_below_the_horizon(small_horizon):
    SnapFactory.create_batch(7)
    paginator = BoundedCountPaginator(Snap.objects.order_by("pk"), 3)
    page = paginator.page(1)
    assert (paginator.count, paginator.count_is_capped, paginator.num_pages) == (7, False, 3)
    assert page.has_next()


def test_count_stops_past_the_horizon_and_next_keeps_working(small_horizon):
    SnapFactory.create_batch(20)
    paginator = BoundedCountPaginator(Snap.objects.order_by("pk"), 3)
    with CaptureQueriesContext(connection) as queries:
        page = paginator.page(1)
        assert (paginator.count, paginator.count_is_capped) == (8, True)
    assert "LIMIT 9" in queries[0]["sql"]  # never the whole table
    assert page.has_next()
    deeper = BoundedCountPaginator(Snap.objects.order_by("pk"), 3)
    page = deeper.page(4)
    assert [s.pk for s in page] == list(Snap.objects.order_by("pk").values_list("pk", flat=True))[
        9:12
    ]
    assert deeper.count_is_capped and page.has_next()
    last = BoundedCountPaginator(Snap.objects.order_by("pk"), 3).page(7)
    assert len(last) == 2 and not last.has_next() and not last.paginator.count_is_capped


def test_api_list_reports_a_lower_bound(small_horizon, api_client):
    SnapFactory.create_batch(12)
    body = api_client.get("/api/v1/snaps/?page_size=2").json()
    assert body["count"] == 7 and body["count_is_lower_bound"] is True
    assert body["next"]
    body = api_client.get("/api/v1/snaps/?page_size=20").json()
    assert body["count"] == 12 and body["count_is_lower_bound"] is False


def test_web_list_shows_pages_as_at_least(small_horizon, client):
    SnapFactory.create_batch(30)
    html = client.get("/snaps/").content.decode()
    assert "of 2+" in html
    assert 'rel="next"' in html
