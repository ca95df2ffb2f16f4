import base64
from datetime import UTC, datetime

import pytest
from django.core.paginator import InvalidPage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from project.paginators import (
    BoundedCountPaginator,
    KeysetPaginator,
    decode_cursor,
    encode_cursor,
)
from snaps.models import Snap, SnapFile
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


class TestKeysetCursor:
    @pytest.mark.parametrize(
        "created",
        [
            datetime(2026, 12, 2, 3, 4, 5, 678901, tzinfo=UTC),
            datetime(1969, 7, 20, 20, 17, tzinfo=UTC),  # before the epoch
        ],
    )
    def test_round_trip_keeps_microseconds_and_id(self, created):
        token = encode_cursor(created, 2**62)
        assert decode_cursor(token) == (created, 2**62)
        assert "=" not in token and "/" not in token and "+" not in token

    @pytest.mark.parametrize(
        "token",
        ["", "%%%", "bm90OmFuOmlk", encode_cursor(datetime.now(UTC), 1)[:-3] + "@@@"]
        + [base64.urlsafe_b64encode(raw).decode() for raw in (b"1:-2", b"x:1", b"1:" + b"9" * 30)],
    )
    def test_anything_else_is_an_invalid_page(self, token):
        with pytest.raises(InvalidPage):
            decode_cursor(token)

    def test_keyset_pages_of_snaps_by_created(self):
        snaps = SnapFactory.create_batch(5)
        expected = sorted(snaps, key=lambda s: (s.created_on, s.pk), reverse=True)
        paginator = KeysetPaginator(Snap.objects.all(), 2)
        seen, page = [], paginator.page()
        while True:
            seen.extend(page)
            if page.older_cursor is None:
                break
            page = paginator.page(older=page.older_cursor)
        assert seen == expected
        back = paginator.page(newer=page.newer_cursor)
        assert list(back) == expected[2:4]
        with pytest.raises(InvalidPage):
            paginator.page(older=page.older_cursor or "MTox", newer="MTox")


def _rows_from(plan: dict, table: str) -> int:
    """Rows the plan's nodes on `table` produced over all their loops (EXPLAIN ANALYZE)."""
    own = plan["Actual Rows"] * plan["Actual Loops"] if plan.get("Relation Name") == table else 0
    return own + sum(_rows_from(child, table) for child in plan.get("Plans", ()))


@pytest.fixture
def many_matches():
    """300 matching snaps by 300 authors, 100 more users, statistics as a live site has them."""
    from accounts.tests.factories import UserFactory

    if connection.vendor != "postgresql":
        pytest.skip("ranked search and its plans are PostgreSQL's")
    authors = UserFactory.create_batch(300)
    UserFactory.create_batch(100)
    snaps = Snap.objects.bulk_create(Snap(user=author) for author in authors)
    SnapFile.objects.bulk_create(
        SnapFile(snap=snap, name=f"s{n}", extension="py", content=f"needle {n}" + " hay" * (n % 7))
        for n, snap in enumerate(snaps)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE snaps_snap, snaps_snapfile, accounts_user")


def test_count_of_a_search_reads_ids_not_the_ranking(many_matches):
    from snaps.selectors import snap_search

    paginator = BoundedCountPaginator(snap_search(viewer=None, query="needle"), 20)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 300
    (count,) = queries.captured_queries
    assert "ts_rank" not in count["sql"] and "ORDER BY" not in count["sql"]


@pytest.mark.parametrize("number", [1, 8])
def test_a_ranked_page_joins_the_authors_of_its_rows_only(many_matches, number):
    """Joined before the sort, PostgreSQL hashed every user for a page of 20 (173 ms of
    214 at 1M snaps); the page must pick its ids from the matches first."""
    import json

    from snaps.selectors import snap_search

    matches = snap_search(viewer=None, query="needle").select_related("user")
    ranked = list(matches.values_list("pk", flat=True))
    page = BoundedCountPaginator(matches, 20).page(number)
    sql, params = page.object_list.query.sql_with_params()
    assert [snap.pk for snap in page] == ranked[(number - 1) * 20 : number * 20]
    assert all(snap.user.username for snap in page)  # joined, no query per row
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        (plan,) = cursor.fetchone()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    assert _rows_from(plan[0]["Plan"], "accounts_user") == len(page) == 20
