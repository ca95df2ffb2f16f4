"""Keyset (cursor) paging of the web photo streams: everyone's, the people you follow,
a user's and your own grid. Newer/older links, no COUNT, fixed query counts, and on
PostgreSQL a page read off an index, never a sort of the table."""

import itertools
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from photos import views
from photos.models import Photo
from social.tests.factories import FollowFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

STREAM = reverse("photos:stream")
_hashes = itertools.count()


def make_photos(user, count: int, *, status=Photo.Status.READY, start=None, step=1) -> list:
    """`count` photos, the newest first, `step` seconds apart (0: all at one instant)."""
    start = start or timezone.now()
    photos = Photo.objects.bulk_create(
        Photo(
            user=user, status=status, image=f"photos/{user.pk}-{i}.jpg", width=1, height=1,
            size=1, sha256=f"{next(_hashes):064x}", created_on=start - timedelta(seconds=i * step),
        )
        for i in range(count)
    )  # fmt: skip
    return sorted(photos, key=lambda p: (p.created_on, p.pk), reverse=True)


def walk(client, url: str, rel: str, query: str = "") -> list[list[int]]:
    """Follow the `rel` link ("older" or "newer") from `url` to the end; the ids per page."""
    pages = []
    while True:
        response = client.get(url + query)
        assert response.status_code == 200
        page = response.context["page_obj"]
        pages.append([photo.pk for photo in page])
        cursor = page.older_cursor if rel == "older" else page.newer_cursor
        if cursor is None:
            return pages
        assert f'href="?{rel}={cursor}"' in response.content.decode()
        query = f"?{rel}={cursor}"


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(views.PhotoStreamView, "paginate_by", 3)
    monkeypatch.setattr(views.PhotoGridView, "paginate_by", 3)


class TestKeysetLinks:
    @pytest.mark.parametrize("step", [1, 0])  # 0: one instant, ordered by id alone
    def test_older_then_newer_walks_every_photo_once(self, client, small_pages, step):
        photos = make_photos(UserFactory(), 8, step=step)
        make_photos(UserFactory(), 2, status=Photo.Status.PROCESSING)
        older = walk(client, STREAM, "older")
        assert older == [[p.pk for p in photos[i : i + 3]] for i in (0, 3, 6)]
        # Back up from the last page: the same pages, newest last.
        last = client.get(STREAM).context["page_obj"]
        second = client.get(f"{STREAM}?older={last.older_cursor}").context["page_obj"]
        third = client.get(f"{STREAM}?older={second.older_cursor}").context["page_obj"]
        assert walk(client, STREAM, "newer", f"?newer={third.newer_cursor}") == older[1::-1]

    def test_first_page_has_no_newer_link_and_a_single_page_none(self, client):
        make_photos(UserFactory(), 2)
        response = client.get(STREAM)
        page = response.context["page_obj"]
        assert (page.newer_cursor, page.older_cursor) == (None, None)
        assert 'aria-label="Pages"' not in response.content.decode()

    def test_a_photo_added_meanwhile_does_not_shift_the_pages(self, client, small_pages):
        user = UserFactory()
        make_photos(user, 6, start=timezone.now() - timedelta(hours=1))
        first = client.get(STREAM).context["page_obj"]
        make_photos(user, 1, start=timezone.now())[0]  # newer than everything
        second = client.get(f"{STREAM}?older={first.older_cursor}").context["page_obj"]
        assert not {p.pk for p in first} & {p.pk for p in second}
        assert len(second) == 3

    @pytest.mark.parametrize(
        "query",
        [
            "?older=nonsense",
            "?older=",
            "?newer=%C3%A9t%C3%A9",
            "?older=MTox&newer=MTox",
            "?older=" + "A" * 80,
        ],
    )
    def test_a_bad_cursor_is_a_404(self, client, query):
        make_photos(UserFactory(), 1)
        assert client.get(STREAM + query).status_code == 404

    def test_grid_pages_by_cursor_including_unprocessed_photos(self, client, small_pages):
        user = UserFactory()
        photos = make_photos(user, 4, status=Photo.Status.PROCESSING)
        client.force_login(user)
        assert walk(client, reverse("photos:grid"), "older") == [
            [p.pk for p in photos[:3]],
            [photos[3].pk],
        ]

    def test_user_stream(self, client, small_pages):
        person, viewer = UserFactory(), UserFactory()
        photos = make_photos(person, 4)
        make_photos(UserFactory(), 2)
        make_photos(person, 1, status=Photo.Status.FAILED)
        url = reverse("photos:user-stream", args=[person.username])
        assert client.get(url).status_code == 302  # members only, as on the profile
        client.force_login(viewer)
        assert walk(client, url, "older") == [[p.pk for p in photos[:3]], [photos[3].pk]]
        assert client.get(reverse("photos:user-stream", args=["nobody"])).status_code == 404
        assert url in client.get(reverse("profile", args=[person.username])).content.decode()

    def test_following_stream(self, client, small_pages):
        viewer, followed = UserFactory(), UserFactory()
        FollowFactory(follower=viewer, followed=followed)
        photos = make_photos(followed, 4)
        make_photos(UserFactory(), 3)
        client.force_login(viewer)
        url = reverse("photos:stream-following")
        assert walk(client, url, "older") == [[p.pk for p in photos[:3]], [photos[3].pk]]


class TestQueries:
    @pytest.mark.parametrize("count", [2, 60])
    def test_counts_are_fixed_and_nothing_is_counted(
        self, client, django_assert_num_queries, count
    ):
        person, viewer = UserFactory(), UserFactory()
        FollowFactory(follower=viewer, followed=person)
        make_photos(person, count)
        cursor = client.get(STREAM).context["page_obj"].older_cursor or "MTox"
        client.force_login(viewer)
        pages = {
            STREAM: 3,  # session, user, page
            f"{STREAM}?older={cursor}": 3,
            f"{STREAM}?newer={cursor}": 3,
            reverse("photos:stream-following"): 3,
            reverse("photos:user-stream", args=[person.username]): 4,  # + the person
            reverse("photos:grid"): 4,  # + storage used
        }
        for url, expected in pages.items():
            with django_assert_num_queries(expected) as queries:
                assert client.get(url).status_code == 200
            assert not [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
class TestPostgresPlans:
    """Deep pages of everyone's and of a user's stream come off the (created, id)
    indexes (no Sort node); the following stream reads photos by index only."""

    @pytest.fixture
    def many(self):
        people = [UserFactory() for _ in range(20)]
        start = timezone.now()
        for index, person in enumerate(people):
            make_photos(person, 500, start=start - timedelta(milliseconds=index), step=20)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE photos_photo")
        return people

    def page_plan(self, client, url: str) -> str:
        """EXPLAIN of the query that read the page's photos (the one on photos_photo
        with the LIMIT)."""
        with CaptureQueriesContext(connection) as queries:
            first = client.get(url)
            cursor = first.context["page_obj"].older_cursor
            client.get(f"{url}?older={cursor}")
        sql = [q["sql"] for q in queries.captured_queries if 'FROM "photos_photo"' in q["sql"]]
        assert sql and "LIMIT" in sql[-1]
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {sql[-1]}")
            return "\n".join(row[0] for row in cursor.fetchall())

    def test_public_stream_reads_the_ready_index(self, client, many):
        plan = self.page_plan(client, STREAM)
        assert "photos_ready_created_idx" in plan, plan
        assert "Sort" not in plan, plan

    def test_user_stream_reads_the_user_index(self, client, many):
        client.force_login(UserFactory())
        plan = self.page_plan(client, reverse("photos:user-stream", args=[many[3].username]))
        assert "photos_user_created_id_idx" in plan, plan
        assert "Sort" not in plan, plan

    def test_following_stream_reads_photos_by_index_only(self, client, many):
        # PostgreSQL may walk the ready index in order, or look up each followed person's
        # photos by index (plain or bitmap) and sort those: never a scan of the whole table.
        viewer = UserFactory()
        for person in many[:5]:
            FollowFactory(follower=viewer, followed=person)
        client.force_login(viewer)
        plan = self.page_plan(client, reverse("photos:stream-following"))
        by_index = (
            r"Index (Only )?Scan (Backward )?using \w+ on photos_photo"
            r"|Bitmap Heap Scan on photos_photo"
        )
        assert re.search(by_index, plan), plan
        assert "Seq Scan on photos_photo" not in plan, plan
