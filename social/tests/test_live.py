"""Live updates: the Redis pub/sub module and GET /social/stream/, read as a real
streaming response from the test Redis."""

import json

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accounts.tests.factories import UserFactory
from project import livestream
from social import services
from social.feeds import STRATEGIES
from social.tests.factories import FollowFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

STREAM_URL = "/social/stream/"


@pytest.fixture(autouse=True)
def _short_streams(settings):
    settings.SOCIAL_STREAM_MAX_SECONDS = 2
    settings.SOCIAL_STREAM_HEARTBEAT_SECONDS = 0.3


def events(chunks) -> list[dict]:
    """Parse SSE text into events ({"id", "event", "data"}); comments and retry: skipped."""
    parsed = []
    for block in "".join(chunks).split("\n\n"):
        fields = dict(
            line.split(": ", 1) for line in block.splitlines() if line and ":" in line[1:]
        )
        if "event" in fields:
            parsed.append({**fields, "data": json.loads(fields["data"])})
    return parsed


def read(response, until=None) -> list[str]:
    """Read chunks until `until(chunks)` holds or the stream ends (its bounded lifetime)."""
    chunks = []
    for chunk in response.streaming_content:
        chunks.append(chunk.decode())
        if until is not None and until(chunks):
            break
    return chunks


class TestLivestreamModule:
    def test_publish_then_resume_after_an_id(self, user):
        before = livestream.last_event_id(user.pk)
        assert livestream.publish([user.pk], "post", {"post_id": 1}) == 1
        middle = livestream.last_event_id(user.pk)
        livestream.publish([user.pk, user.pk], "post", {"post_id": 2})  # once per user
        chunks = list(
            livestream.event_stream(user.pk, after=before, max_seconds=0.2, heartbeat_seconds=1)
        )
        assert [e["data"]["post_id"] for e in events(chunks)] == [1, 2]
        assert events(chunks)[0]["id"] == middle
        resumed = livestream.event_stream(
            user.pk, after=middle, max_seconds=0.2, heartbeat_seconds=1
        )
        assert [e["data"]["post_id"] for e in events(list(resumed))] == [2]

    def test_live_events_arrive_on_an_open_stream_heartbeats_and_it_ends(self, user, other_user):
        stream = livestream.event_stream(user.pk, after=None, max_seconds=1, heartbeat_seconds=0.2)
        assert next(stream).startswith("retry: ")  # subscribed from here on
        livestream.publish([user.pk], "post", {"post_id": 7})
        livestream.publish([other_user.pk], "post", {"post_id": 8})  # someone else's
        rest = list(stream)  # ends by itself after max_seconds
        assert [e["data"]["post_id"] for e in events(rest)] == [7]
        assert ": heartbeat\n\n" in rest

    def test_without_redis_nothing_is_published_or_streamed(self, settings, user):
        settings.REDIS_URL = ""
        assert livestream.publish([user.pk], "post", {"post_id": 1}) == 0
        assert (
            list(livestream.event_stream(user.pk, after=None, max_seconds=1, heartbeat_seconds=1))
            == []
        )

    @pytest.mark.parametrize("value", ["", "abc", "1-", "-1", "1-2-3", "9" * 21 + "-0", None])
    def test_only_well_formed_ids_are_accepted(self, value):
        assert livestream.valid_event_id(value) is None
        assert livestream.valid_event_id("1700000000000-3") == "1700000000000-3"


class TestStreamView:
    def test_answers_an_event_stream_with_ids_resuming_after_last_event_id(self, client, user):
        client.force_login(user)
        start = livestream.last_event_id(user.pk)
        livestream.publish([user.pk], "post", {"post_id": 1, "author_id": 0})
        first = livestream.last_event_id(user.pk)
        livestream.publish([user.pk], "post", {"post_id": 2, "author_id": 0})
        response = client.get(STREAM_URL, {"after": start})
        assert response.status_code == 200 and response.streaming
        assert response["Content-Type"] == "text/event-stream"
        assert response["Cache-Control"] == "no-cache"
        got = events(read(response, until=lambda c: len(events(c)) == 2))
        assert [e["data"]["post_id"] for e in got] == [1, 2]
        assert got[0]["id"] == first
        # EventSource's reconnect sends Last-Event-ID, which wins over the page's ?after=
        again = client.get(STREAM_URL, {"after": start}, HTTP_LAST_EVENT_ID=first)
        assert [e["data"]["post_id"] for e in events(read(again))] == [2]

    def test_connection_lifetime_is_bounded_and_heartbeats_flow(self, client, user):
        client.force_login(user)
        chunks = read(client.get(STREAM_URL))  # returns: the stream ends by itself
        assert chunks[0].startswith("retry: ")
        assert ": heartbeat\n\n" in chunks

    def test_anonymous_is_401_and_without_redis_204(self, client, settings, user):
        assert client.get(STREAM_URL).status_code == 401
        settings.REDIS_URL = ""
        client.force_login(user)
        assert client.get(STREAM_URL).status_code == 204

    def test_bad_ids_are_ignored(self, client, user):
        client.force_login(user)
        response = client.get(STREAM_URL, {"after": "nonsense"}, HTTP_LAST_EVENT_ID="x" * 500)
        assert response.status_code == 200
        assert events(read(response)) == []


@pytest.mark.parametrize("strategy", sorted(STRATEGIES))
class TestPostsReachOpenTimelines:
    def test_followers_hear_of_a_post_the_author_and_muters_do_not(
        self, settings, strategy, client, user, django_capture_on_commit_callbacks
    ):
        settings.SOCIAL_FEED_STRATEGY = strategy
        author, muter = UserFactory(), UserFactory()
        FollowFactory(follower=user, followed=author)
        FollowFactory(follower=muter, followed=author)
        services.mute_create(muter=muter, muted=author)
        streams = {}
        for reader in (user, muter, author):
            client.force_login(reader)
            streams[reader.pk] = client.get(STREAM_URL).streaming_content
            assert next(streams[reader.pk]).decode().startswith("retry: ")  # subscribed
        with django_capture_on_commit_callbacks(execute=True):  # the fan-out, run eagerly
            post = services.post_create(user=author, content="news")
        heard = events(read_iter(streams[user.pk], until=lambda c: events(c)))
        assert heard[0]["event"] == "post" and heard[0]["data"]["post_id"] == post.pk
        assert events(read_iter(streams[muter.pk])) == []  # muted: filtered on the stream
        assert events(read_iter(streams[author.pk])) == []  # the author is not told

    def test_notifications_reach_the_recipient(
        self, settings, strategy, client, user, other_user, django_capture_on_commit_callbacks
    ):
        settings.SOCIAL_FEED_STRATEGY = strategy
        client.force_login(user)
        stream = client.get(STREAM_URL).streaming_content
        next(stream)
        with django_capture_on_commit_callbacks(execute=True):
            services.follow_create(follower=other_user, followed=user)
        heard = events(read_iter(stream, until=lambda c: events(c)))
        assert heard[0]["event"] == "notification" and heard[0]["data"]["kind"] == "follow"


def read_iter(iterator, until=None) -> list[str]:
    chunks = []
    for chunk in iterator:
        chunks.append(chunk.decode())
        if until is not None and until(chunks):
            break
    return chunks


class TestTimelinePage:
    def test_timeline_carries_the_stream_and_the_vendored_script(self, client, user):
        livestream.publish([user.pk], "post", {"post_id": 1, "author_id": 0})
        client.force_login(user)
        page = client.get(reverse("social:feed"))
        newest = livestream.last_event_id(user.pk)
        assertContains(page, f'data-stream-url="{STREAM_URL}?after={newest}"')
        assertContains(page, "social/live.js")
        assertNotContains(page, "<script>")  # CSP: no inline script

    def test_without_redis_the_timeline_polls_the_feed_api(self, client, settings, user):
        settings.REDIS_URL = ""
        client.force_login(user)
        page = client.get(reverse("social:feed"))
        assertNotContains(page, "data-stream-url")
        assertContains(page, "data-poll-url=")


@pytest.mark.django_db(transaction=True)
def test_a_running_stream_holds_no_database_connection(user):
    from django.db import connection

    connection.ensure_connection()
    stream = livestream.without_database(iter(["retry: 3000\n\n"]))
    assert next(stream) == "retry: 3000\n\n"
    assert connection.connection is None  # given back while the stream lasts
