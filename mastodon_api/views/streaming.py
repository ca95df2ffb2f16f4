"""GET /api/v1/streaming/user|public|hashtag (Server-Sent Events) and /health."""

import json

from django.db import close_old_connections
from django.http import Http404, HttpResponse, StreamingHttpResponse
from redis.exceptions import RedisError
from rest_framework import exceptions
from rest_framework.response import Response

from mastodon_api import streaming
from mastodon_api.entities import EntityContext
from mastodon_api.views.base import MastodonApi
from project.redis import redis_client
from social import selectors as social_selectors

FOLLOWED_CHANNELS_MAX = 10_000


def health(request) -> HttpResponse:
    return HttpResponse("OK", content_type="text/plain")


class StreamApi(MastodonApi):
    stream = "user"
    throttle_classes: list = []

    @property
    def required_scopes(self) -> dict:
        return {"GET": "read:statuses" if self.stream == "user" else None}

    def get(self, request, *args, **kwargs):
        channels = self._channels(request)
        client = redis_client()
        if client is None:
            return Response({"error": "Streaming needs Redis (REDIS_URL)."}, status=503)
        hidden = (
            social_selectors.hidden_author_ids(request.user)
            if request.user.is_authenticated
            else set()
        )
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        pubsub.subscribe(*channels)
        response = StreamingHttpResponse(
            self._events(request, pubsub, hidden), content_type="text/event-stream"
        )
        response["Cache-Control"] = "no-cache"
        response["X-Accel-Buffering"] = "no"  # nginx: pass events on at once
        return response

    def _channels(self, request) -> list[str]:
        if self.stream == "user":
            # Who the reader follows when the stream opens (a later follow shows on
            # reconnection), capped so one subscription stays bounded.
            followed = social_selectors.user_list_following(request.user).values_list(
                "pk", flat=True
            )[:FOLLOWED_CHANNELS_MAX]
            ids = [request.user.pk, *followed]
            return [streaming.channel_author(user_id) for user_id in ids]
        if self.stream == "hashtag":
            tag = request.query_params.get("tag", "").lstrip("#").casefold()
            if not tag or len(tag) > 64:
                raise exceptions.ValidationError({"tag": ["is required"]})
            return [streaming.channel_hashtag(tag)]
        return [streaming.channel_public()]

    def _events(self, request, pubsub, hidden: set[int]):
        heartbeat = streaming.heartbeat_seconds()
        try:
            yield ":)\n\n"
            while True:
                try:
                    message = pubsub.get_message(timeout=heartbeat)
                except RedisError:
                    return  # Redis went away: the stream ends, clients reconnect

                if message is None:
                    yield ":thump\n\n"
                    continue
                event = json.loads(message["data"])
                try:
                    post = social_selectors.post_get(event["id"], request.user)
                except Http404:
                    continue  # gone, or behind a block
                if post.user_id in hidden:
                    continue
                status = EntityContext(request, posts=[post]).status(post)
                close_old_connections()
                yield f"event: update\ndata: {json.dumps(status)}\n\n"
        finally:
            pubsub.close()
            close_old_connections()
