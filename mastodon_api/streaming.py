"""Mastodon's streaming API over Server-Sent Events, on Redis pub/sub.

A new post's id is published once, after commit, on the public channel, its tags'
channels and its author's channel: three or so Redis commands whatever the number of
followers (no fan-out). A user stream subscribes to the channels of its reader and of
everyone they follow when it opens, and renders each post for its reader with the same
visibility rules as a page (blocked and muted authors are dropped), so nothing private
is ever put on a shared channel."""

import json
import logging

from django.conf import settings
from redis.exceptions import RedisError

from project.redis import redis_client

logger = logging.getLogger(__name__)
PREFIX = "mastodon:stream:"


def channel_public() -> str:
    return f"{PREFIX}public"


def channel_author(user_id: int) -> str:
    return f"{PREFIX}author:{user_id}"


def channel_hashtag(tag: str) -> str:
    return f"{PREFIX}hashtag:{tag}"


def stream_post_announce(*, post) -> int:
    """Publish a new post's id on the channels that show it; returns channels told. A
    Redis outage loses the live event, never the post (clients catch up by polling)."""
    from social.text import hashtags

    client = redis_client()
    if client is None:
        return 0
    message = json.dumps({"event": "update", "id": post.pk})
    channels = [
        channel_public(),
        channel_author(post.user_id),
        *(channel_hashtag(tag) for tag in hashtags(post.content)),
    ]
    try:
        with client.pipeline(transaction=False) as pipe:
            for channel in channels:
                pipe.publish(channel, message)
            pipe.execute()
    except RedisError as error:
        logger.warning("streaming: post %s not announced: %s", post.pk, error)
        return 0
    return len(channels)


def heartbeat_seconds() -> float:
    return settings.MASTODON_STREAMING_HEARTBEAT_SECONDS
