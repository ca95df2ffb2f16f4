"""Delivery guarantees of cross-posts, run inline: the marker lookup over every page of
X's and Graph's timelines, the claim lease, a database failure after the network call
settled by the reconciliation, and an X outage in eager mode (development)."""

from datetime import UTC, datetime, timedelta

import psycopg
import pytest
import requests
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from recipes import services
from recipes.clients import FacebookClient, XClient
from recipes.models import CrossPost, Recipe
from recipes.tests.factories import DATA

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def queued(user, capture, **fields) -> CrossPost:
    """A recipe whose announcements are queued but not run."""
    with capture(execute=False):
        services.recipe_create(user=user, **{**DATA, **fields})
    return CrossPost.objects.get(recipe__title=fields.get("title", DATA["title"]))


def tweet(fake_x, text: str, *, at: datetime | None = None, author: str = "1001") -> str:
    tweet_id = str(next(fake_x.ids))
    at = at or datetime.now(UTC)
    fake_x.tweets.append({"id": tweet_id, "text": text, "author_id": author, "created_at": at})
    return tweet_id


def claimed_long_ago(crosspost: CrossPost, **extra) -> None:
    """What the clock does to a claim whose worker vanished."""
    long_ago = timezone.now() - timedelta(hours=1)
    CrossPost.objects.filter(pk=crosspost.pk).update(claimed_on=long_ago, **extra)


class TestMarkerLookup:
    def test_redelivered_attempt_finds_its_tweet_behind_many_newer_ones(
        self, chef, fake_x, django_capture_on_commit_callbacks
    ):
        crosspost = queued(chef, django_capture_on_commit_callbacks)
        older = datetime.now(UTC) - timedelta(days=2)
        for number in range(30):  # before the row: outside start_time, never read
            tweet(fake_x, f"old {number}", at=older)
        posted = tweet(fake_x, crosspost.text)  # the attempt that died after posting
        for number in range(230):  # the author kept tweeting: three pages of newer ones
            tweet(fake_x, f"later {number} {crosspost.link.partition('#')[0]}")
        CrossPost.objects.filter(pk=crosspost.pk).update(status="sending", attempts=1)

        assert services.crosspost_send(crosspost_id=crosspost.pk) == "sent"

        crosspost.refresh_from_db()
        assert (crosspost.status, crosspost.remote_id) == ("sent", posted)
        reads = fake_x.requests_to("GET", "/2/users/1001/tweets")
        assert [r.query.get("pagination_token") is None for r in reads] == [True, False, False]
        assert all(r.query["max_results"] == "100" for r in reads)
        assert reads[0].query["start_time"] <= crosspost.created_on.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert fake_x.requests_to("POST", "/2/tweets") == []

    def test_x_client_reads_the_full_url_not_the_tco_text(self, fake_x):
        token = fake_x.token_for("1001")
        tweet(fake_x, "Soup https://blueprints.example/recipes/1/#bp-123abc")
        (found,) = XClient(token).posts_since(
            "1001", datetime.now(UTC) - timedelta(minutes=1), max_pages=1
        )
        assert found.text.startswith("Soup https://t.co/")
        assert found.links == ("https://blueprints.example/recipes/1/#bp-123abc",)
        assert found.mentions("bp-123abc") and not found.mentions("bp-999")

    def test_x_fake_refuses_what_x_refuses(self, fake_x):
        token = fake_x.token_for("1001")
        url = f"{fake_x.url}/2/users/1001/tweets"
        headers = {"Authorization": f"Bearer {token}"}
        for bad in ({"max_results": "1000"}, {"max_results": "4"}, {"start_time": "yesterday"}):
            response = requests.get(url, params=bad, headers=headers, timeout=5)
            assert response.status_code == 400, bad
            assert response.json()["title"] == "Invalid Request"

    def test_facebook_page_lookup_follows_paging_next(
        self, user, facebook_page, django_capture_on_commit_callbacks
    ):
        crosspost = queued(user, django_capture_on_commit_callbacks)
        facebook_page.page_posts.append(
            {"id": "4242_1", "message": "old", "created_time": datetime(2020, 1, 1, tzinfo=UTC)}
        )
        facebook_page.page_posts.append(
            {"id": "4242_2", "message": crosspost.text, "link": crosspost.link}
        )
        for number in range(150):
            facebook_page.page_posts.append({"id": f"4242_{number + 3}", "message": "news"})
        CrossPost.objects.filter(pk=crosspost.pk).update(status="sending", attempts=1)

        assert services.crosspost_send(crosspost_id=crosspost.pk) == "sent"

        assert CrossPost.objects.get().remote_id == "4242_2"
        reads = facebook_page.requests_to("GET", "/4242/feed")
        assert len(reads) == 2 and "after" in reads[1].query
        assert int(reads[0].query["since"]) <= crosspost.created_on.timestamp()
        assert facebook_page.requests_to("POST", "/4242/feed") == []

    def test_facebook_client_does_not_follow_paging_elsewhere(self, fake_facebook):
        client = FacebookClient("page-token")
        assert client._next_page({"paging": {"next": "https://evil.example/feed?x=1"}}) is None
        own = f"{fake_facebook.url}/4242/feed?after=x"
        assert client._next_page({"paging": {"next": own}}) == own


class TestClaimLease:
    def test_a_live_claim_keeps_every_other_attempt_off_the_network(
        self, chef, fake_x, django_capture_on_commit_callbacks
    ):
        crosspost = queued(chef, django_capture_on_commit_callbacks)
        CrossPost.objects.filter(pk=crosspost.pk).update(
            status="sending", attempts=1, claimed_on=timezone.now()
        )
        with pytest.raises(services.ClaimHeld) as held:
            services.crosspost_send(crosspost_id=crosspost.pk)
        assert 0 < held.value.wait <= services.settings.RECIPES_CROSSPOST_LEASE_SECONDS
        assert services.crosspost_resolve(crosspost_id=crosspost.pk) == "busy"
        assert fake_x.requests == []
        assert CrossPost.objects.get().attempts == 1

    def test_markers_differ_per_announcement(self, facebook_page, chef):
        recipe = services.recipe_create(user=chef, **DATA)
        markers = {c.marker for c in CrossPost.objects.filter(recipe=recipe)}
        markers.add(services.crosspost_marker())
        assert len(markers) == 3 and all(m.startswith("bp-") for m in markers)


@pytest.mark.django_db(transaction=True)
def test_database_failure_after_the_tweet_is_reconciled_to_sent(user, fake_x, connect):
    """The tweet exists, but the connection dies before its id is written."""
    connect(user, "twitter", "1001", fake_x.token_for("1001"))
    recipe = Recipe.objects.create(user=user, **DATA)
    text = services.crosspost_text(recipe, marker=services.crosspost_marker())
    crosspost = CrossPost.objects.create(recipe=recipe, provider="twitter", text=text)
    connection.ensure_connection()
    backend_pid = connection.connection.info.backend_pid

    db = connection.settings_dict
    dsn = f"host={db['HOST']} port={db['PORT']} user={db['USER']} dbname={db['NAME']}"

    def database_goes_away(new_tweet):
        with psycopg.connect(dsn, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [backend_pid])

    fake_x.after_post = database_goes_away
    with pytest.raises(OperationalError):
        services.crosspost_send(crosspost_id=crosspost.pk)
    connection.close()  # what Celery does after a task whose connection broke
    fake_x.after_post = None
    (posted,) = fake_x.tweets
    crosspost.refresh_from_db()
    assert (crosspost.status, crosspost.remote_id) == ("sending", "")
    assert services.crosspost_stuck_ids() == []  # the attempt may still be alive

    claimed_long_ago(crosspost)
    assert services.crosspost_reconcile() == {"sent": 1}

    crosspost.refresh_from_db()
    assert (crosspost.status, crosspost.remote_id) == ("sent", posted["id"])
    assert crosspost.sent_on is not None
    assert len(fake_x.requests_to("POST", "/2/tweets")) == 1


class TestReconcile:
    def test_stuck_sending_never_posted_is_queued_and_posted_once(
        self, chef, fake_x, django_capture_on_commit_callbacks
    ):
        crosspost = queued(chef, django_capture_on_commit_callbacks)
        claimed_long_ago(crosspost, status="sending", attempts=1)
        with django_capture_on_commit_callbacks(execute=True):
            assert services.crosspost_reconcile() == {"requeued": 1}
        crosspost.refresh_from_db()
        assert crosspost.status == "sent"
        assert [t["id"] for t in fake_x.tweets] == [crosspost.remote_id]

    def test_pending_whose_message_was_lost_is_queued_again(
        self, chef, fake_x, django_capture_on_commit_callbacks
    ):
        crosspost = queued(chef, django_capture_on_commit_callbacks)
        assert services.crosspost_stuck_ids() == []  # fresh: its message is on its way
        CrossPost.objects.filter(pk=crosspost.pk).update(
            created_on=timezone.now() - timedelta(hours=1)
        )
        with django_capture_on_commit_callbacks(execute=True):
            services.crosspost_reconcile()
        assert CrossPost.objects.get().status == "sent"
        assert len(fake_x.tweets) == 1

    def test_settled_rows_are_left_alone(self, chef, fake_x, django_capture_on_commit_callbacks):
        crosspost = queued(chef, django_capture_on_commit_callbacks)
        for status in ("sent", "skipped", "failed"):
            claimed_long_ago(crosspost, status=status, created_on=timezone.now() - timedelta(1))
            assert services.crosspost_stuck_ids() == []
        assert fake_x.requests == []


class TestEagerOutage:
    def test_x_500_keeps_the_page_working_and_the_row_retryable(
        self, client, chef, fake_x, django_capture_on_commit_callbacks
    ):
        fake_x.fail_next = [500]
        client.force_login(chef)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("recipes:create"), {**DATA, "share_on": ["twitter"]})
        recipe = Recipe.objects.get()
        assert response.status_code == 302 and response["Location"] == recipe.get_absolute_url()
        assert client.get(recipe.get_absolute_url()).status_code == 200
        crosspost = CrossPost.objects.get()
        assert crosspost.status == "sending" and "Simulated 500" in crosspost.last_error
        assert services.crosspost_send(crosspost_id=crosspost.pk) in ("sent",)  # not held
        assert len(fake_x.tweets) == 1

    def test_api_create_answers_201_when_x_fails(
        self, chef, fake_x, django_capture_on_commit_callbacks
    ):
        api = APIClient()
        api.force_authenticate(chef)
        fake_x.fail_next = [503]
        with django_capture_on_commit_callbacks(execute=True):
            response = api.post("/api/v1/recipes/", {**DATA, "share_on": ["twitter"]})
        assert response.status_code == 201, response.content
        assert CrossPost.objects.get().status == "sending"

    def test_admin_action_settles_the_failed_send(
        self, admin_client, chef, fake_x, django_capture_on_commit_callbacks
    ):
        fake_x.fail_next = [500]
        with django_capture_on_commit_callbacks(execute=True):
            services.recipe_create(user=chef, **DATA)
        crosspost = CrossPost.objects.get()
        changelist = reverse("admin:recipes_crosspost_changelist")
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(
                changelist, {"action": "retry_failed", "_selected_action": [crosspost.pk]}
            )
        assert response.status_code == 302
        crosspost.refresh_from_db()
        assert crosspost.status == "sent" and crosspost.remote_id == fake_x.tweets[0]["id"]
        # again: already sent, nothing more is posted
        with django_capture_on_commit_callbacks(execute=True):
            admin_client.post(
                changelist, {"action": "retry_failed", "_selected_action": [crosspost.pk]}
            )
        assert len(fake_x.requests_to("POST", "/2/tweets")) == 2  # the 500, then the post

    def test_admin_action_finds_a_post_a_failed_attempt_made(
        self, chef, fake_x, django_capture_on_commit_callbacks
    ):
        crosspost = queued(chef, django_capture_on_commit_callbacks)
        posted = tweet(fake_x, crosspost.text)  # the request timed out, but X had posted
        claimed_long_ago(crosspost, status="failed", attempts=6, last_error="Gave up")
        assert services.crosspost_retry(crosspost=CrossPost.objects.get()) is True
        crosspost.refresh_from_db()
        assert (crosspost.status, crosspost.remote_id, crosspost.last_error) == ("sent", posted, "")
        assert fake_x.requests_to("POST", "/2/tweets") == []


def test_database_is_locked_is_retried_with_backoff(
    chef, fake_x, django_capture_on_commit_callbacks, eager_retries, monkeypatch
):
    """SQLite under concurrent workers: the claim fails once, the task tries again."""
    from recipes import tasks

    crosspost = queued(chef, django_capture_on_commit_callbacks)
    real, calls = tasks.crosspost_send, []

    def locked_once(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return real(**kwargs)

    monkeypatch.setattr(tasks, "crosspost_send", locked_once)
    tasks.crosspost_send_task.delay(crosspost_id=crosspost.pk)
    assert len(calls) == 2
    assert CrossPost.objects.get().status == "sent"
    assert len(fake_x.tweets) == 1
