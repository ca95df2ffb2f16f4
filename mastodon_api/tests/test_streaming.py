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


def test_a_post_is_announced_to_followers_public_and_its_tags_only(user, other_user):
    stranger = UserFactory()
    social_services.follow_create(follower=user, followed=other_user)
    pubsub = redis_client().pubsub(ignore_subscribe_messages=True)
    pubsub.subscribe(
        streaming.channel_user(user.pk),
        streaming.channel_user(stranger.pk),
        streaming.channel_public(),
        streaming.channel_hashtag("tea"),
    )
    try:
        post = social_services.post_create(user=other_user, content="#Tea")
        assert streaming.stream_post_announce(post_id=post.pk) >= 3
        heard = _messages(pubsub)
    finally:
        pubsub.close()
    assert sorted(heard) == sorted(
        [
            streaming.channel_user(user.pk),
            streaming.channel_public(),
            streaming.channel_hashtag("tea"),
        ]
    )


def test_announce_of_a_deleted_post_does_nothing():
    assert streaming.stream_post_announce(post_id=987654) == 0


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
    streaming.stream_post_announce(post_id=post.pk)
    chunk = next(events)
    while chunk.startswith(b":"):
        chunk = next(events)
    event, data = chunk.decode().strip().split("\n")
    assert event == "event: update"
    assert json.loads(data.removeprefix("data: "))["id"] == str(post.pk)
    response.close()
