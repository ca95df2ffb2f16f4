"""GET /api/v1/streaming/user|public|hashtag (Server-Sent Events) and /health."""

import json

from django.http import Http404, HttpResponse, StreamingHttpResponse
from rest_framework import exceptions
from rest_framework.response import Response

from mastodon_api import streaming
from mastodon_api.entities import EntityContext
from mastodon_api.views.base import MastodonApi
from project import livestream
from social import selectors as social_selectors


def health(request) -> HttpResponse:
    return HttpResponse("OK", content_type="text/plain")


class StreamApi(MastodonApi):
    """Each connection ends after MASTODON_STREAMING_MAX_SECONDS (clients reconnect,
    resuming after their Last-Event-ID), so a worker is never held for good."""

    stream = "user"
    throttle_classes: list = []

    @property
    def required_scopes(self) -> dict:
        return {"GET": "read:statuses" if self.stream == "user" else None}

    def get(self, request, *args, **kwargs):
        channels = self._channels(request)
        if not livestream.is_available():
            return Response({"error": "Streaming needs Redis (REDIS_URL)."}, status=503)
        hidden = (
            social_selectors.hidden_author_ids(request.user)
            if request.user.is_authenticated
            else set()
        )
        options = {
            "after": livestream.valid_event_id(request.headers.get("Last-Event-ID")),
            "max_seconds": streaming.max_seconds(),
            "heartbeat_seconds": streaming.heartbeat_seconds(),
            "render": lambda event, data: self._render(request, hidden, event, data),
            "retry": False,  # Mastodon.py rejects a `retry:` block without an event
        }
        if self.stream == "user":
            events = livestream.event_stream(request.user.pk, **options)
        else:
            events = livestream.channel_stream(channels, **options)
        response = StreamingHttpResponse(
            livestream.without_database(events), content_type="text/event-stream"
        )
        response["Cache-Control"] = "no-cache"
        response["X-Accel-Buffering"] = "no"  # nginx: pass events on at once
        return response

    def _channels(self, request) -> list[str]:
        if self.stream == "user":
            return []  # the reader's own live stream
        if self.stream == "hashtag":
            tag = request.query_params.get("tag", "").lstrip("#").casefold()
            if not tag or len(tag) > 64:
                raise exceptions.ValidationError({"tag": ["is required"]})
            return [streaming.channel_hashtag(tag)]
        return [streaming.PUBLIC]

    def _render(self, request, hidden: set[int], event: str, data: dict):
        """A `post` event as Mastodon's `update` with the Status seen by this reader.
        Social's `notification` events carry only a kind (no notification id), too little
        for a Notification entity without a query per event: not sent."""
        if event != "post" or data.get("author_id") in hidden:
            return None
        try:
            post = social_selectors.post_get(data["post_id"], request.user)
        except Http404:
            livestream.release_database()
            return None  # gone, or behind a block
        status = EntityContext(request, posts=[post]).status(post)
        livestream.release_database()
        return "update", json.dumps(status)
