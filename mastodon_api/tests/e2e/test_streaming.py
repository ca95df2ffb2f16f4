"""Mastodon.py's stream_user and a raw SSE read against the live server."""

import threading
import time
from datetime import timedelta

import pytest
import requests
from django.utils import timezone
from mastodon import Mastodon, StreamListener
from oauth2_provider.models import AccessToken

from accounts.tests.factories import UserFactory
from mastodon_api import services
from social import services as social_services

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _token(user) -> str:
    application, _ = services.app_register(
        name="stream", redirect_uris=[services.OOB], scopes="read write"
    )
    return AccessToken.objects.create(
        user=user,
        application=application,
        token=f"stream-{user.pk}",
        scope="read write",
        expires=timezone.now() + timedelta(days=1),
    ).token


class Updates(StreamListener):
    def __init__(self) -> None:
        self.statuses, self.arrived = [], threading.Event()

    def on_update(self, status) -> None:
        self.statuses.append(status)
        self.arrived.set()


def test_stream_user_receives_a_followed_post_within_seconds(live_server, settings):
    settings.MASTODON_STREAMING_HEARTBEAT_SECONDS = 0.5
    reader, author = UserFactory(username="reader"), UserFactory(username="author")
    social_services.follow_create(follower=reader, followed=author)
    mastodon = Mastodon(access_token=_token(reader), api_base_url=live_server.url)
    assert mastodon.stream_healthy()
    listener = Updates()
    handle = mastodon.stream_user(listener, run_async=True, timeout=10)
    try:
        deadline = time.monotonic() + 10
        while not handle.is_receiving() and time.monotonic() < deadline:
            time.sleep(0.05)  # polling, with a deadline
        social_services.post_create(user=author, content="Live #now")
        assert listener.arrived.wait(10), "no update within 10 s"
    finally:
        handle.close()
    assert (
        listener.statuses[0].content
        == '<p>Live <a href="/social/tags/now/" class="hashtag">#now</a></p>'
    )
    assert listener.statuses[0].account.username == "author"


def test_public_stream_is_sse_with_heartbeats_and_needs_no_token(live_server, settings):
    settings.MASTODON_STREAMING_HEARTBEAT_SECONDS = 0.2
    with requests.get(
        f"{live_server.url}/api/v1/streaming/public", stream=True, timeout=10
    ) as response:
        assert response.headers["Content-Type"] == "text/event-stream"
        lines = response.iter_lines(decode_unicode=True)
        assert next(lines).startswith(":")
    assert requests.get(f"{live_server.url}/api/v1/streaming/user", timeout=10).status_code == 401
