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
    pubsub.subscribe(
        streaming.channel_author(other_user.pk),
        streaming.channel_author(stranger.pk),
        streaming.channel_public(),
        streaming.channel_hashtag("tea"),
        streaming.channel_hashtag("coffee"),
    )
    try:
        post = social_services.post_create(user=other_user, content="#Tea")
        assert streaming.stream_post_announce(post=post) == 3
        heard = _messages(pubsub)
    finally:
        pubsub.close()
    expected = [
        streaming.channel_author(other_user.pk),
        streaming.channel_public(),
        streaming.channel_hashtag("tea"),
    ]
    assert sorted(heard) == sorted(expected)


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
    assert next(events).startswith(b":")
    post = social_services.post_create(user=user, content="to myself")
    streaming.stream_post_announce(post=post)
    chunk = next(events)
    while chunk.startswith(b":"):
        chunk = next(events)
    event, data = chunk.decode().strip().split("\n")
    assert event == "event: update"
    assert json.loads(data.removeprefix("data: "))["id"] == str(post.pk)
    response.close()
