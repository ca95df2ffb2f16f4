import json
import time

import pytest
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from mastodon_api import streaming
from project.redis import redis_client
from social import services as social_services

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _messages(pubsub, *, seconds: float = 1.0) -> list[str]:
    """What arrives within `seconds` (subscription confirmations read as None)."""
    found, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        if (message := pubsub.get_message(timeout=0.1)) is not None:
            found.append(message["channel"].decode())
    return found


def test_a_post_is_announced_on_its_author_public_and_tag_channels_only(other_user):
    stranger = UserFactory()
    pubsub = redis_client().pubsub(ignore_subscribe_messages=True)
    wake = {
        f"live:{other_user.pk}:wake": "author",
        f"live:{stranger.pk}:wake": "stranger",
        f"live:channel:{streaming.PUBLIC}:wake": "public",
        f"live:channel:{streaming.channel_hashtag('tea')}:wake": "tea",
        f"live:channel:{streaming.channel_hashtag('coffee')}:wake": "coffee",
    }
    pubsub.subscribe(*wake)
    try:
        post = social_services.post_create(user=other_user, content="#Tea")
        assert streaming.stream_post_announce(post=post) == 3
        heard = _messages(pubsub)
    finally:
        pubsub.close()
    assert sorted(wake[channel] for channel in heard) == ["author", "public", "tea"]


def test_without_redis_nothing_is_announced(settings, user):
    post = social_services.post_create(user=user, content="x")
    settings.REDIS_URL = ""
    assert streaming.stream_post_announce(post=post) == 0


def test_health_and_hashtag_needs_a_tag(client):
    assert client.get("/api/v1/streaming/health").content == b"OK"
    assert APIClient().get("/api/v1/streaming/hashtag").status_code == 422


def test_event_payload_is_the_status_entity(user, other_user, make_token, settings):
    settings.MASTODON_STREAMING_HEARTBEAT_SECONDS = 0.1
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(user).token}")
    response = client.get("/api/v1/streaming/user")
    events = iter(response.streaming_content)
    assert next(events).startswith(b":")  # subscribed from here on
    post = social_services.post_create(user=user, content="to myself")
    streaming.stream_post_announce(post=post)
    chunk = next(events)
    while chunk.startswith(b":"):
        chunk = next(events)
    event_id, event, data = chunk.decode().strip().split("\n")
    assert event_id.startswith("id: ")
    assert event == "event: update"
    assert json.loads(data.removeprefix("data: "))["id"] == str(post.pk)
    response.close()


def _updates(response, *, count: int) -> list[dict]:
    """The first `count` update events' Status entities (heartbeats and retry skipped)."""
    found = []
    for chunk in response.streaming_content:
        lines = chunk.decode().strip().split("\n")
        if "event: update" in lines:
            found.append(json.loads(lines[-1].removeprefix("data: ")))
            if len(found) == count:
                break
    response.close()
    return found


def test_hashtag_stream_shows_tagged_posts_only_and_resumes_after_its_last_id(
    user, other_user, settings
):
    settings.MASTODON_STREAMING_HEARTBEAT_SECONDS = 0.1
    settings.MASTODON_STREAMING_MAX_SECONDS = 1
    first = social_services.post_create(user=other_user, content="#Tea first")
    untagged = social_services.post_create(user=other_user, content="no tag")
    second = social_services.post_create(user=other_user, content="#tea second")
    streaming.stream_post_announce(post=first)
    resume_from = (
        redis_client()
        .xrevrange(f"live:channel:{streaming.channel_hashtag('tea')}", count=1)[0][0]
        .decode()
    )
    for post in (untagged, second):
        streaming.stream_post_announce(post=post)
    response = APIClient().get(
        "/api/v1/streaming/hashtag", {"tag": "TEA"}, HTTP_LAST_EVENT_ID=resume_from
    )
    assert [status["id"] for status in _updates(response, count=1)] == [str(second.pk)]


def test_public_stream_drops_authors_the_reader_muted(user, other_user, make_token, settings):
    settings.MASTODON_STREAMING_HEARTBEAT_SECONDS = 0.1
    settings.MASTODON_STREAMING_MAX_SECONDS = 1
    social_services.mute_create(muter=user, muted=other_user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(user).token}")
    start = redis_client().xrevrange(f"live:channel:{streaming.PUBLIC}", count=1)
    muted = social_services.post_create(user=other_user, content="muted")
    mine = social_services.post_create(user=user, content="mine")
    for post in (muted, mine):
        streaming.stream_post_announce(post=post)
    response = client.get(
        "/api/v1/streaming/public",
        HTTP_LAST_EVENT_ID=start[0][0].decode() if start else "0-0",
    )
    assert [status["id"] for status in _updates(response, count=1)] == [str(mine.pk)]
