"""Mastodon's streaming API over Server-Sent Events, on Redis pub/sub.

A new post is announced (by id) on the public channel, its tags' channels and the user
channel of its author and of each follower; every open stream renders it for its own
reader, with the same visibility rules as a page (a blocked author's post is dropped),
so nothing private is ever put on a shared channel."""

import json

from django.conf import settings

from project.redis import redis_client

PREFIX = "mastodon:stream:"


def channel_public() -> str:
    return f"{PREFIX}public"


def channel_user(user_id: int) -> str:
    return f"{PREFIX}user:{user_id}"


def channel_hashtag(tag: str) -> str:
    return f"{PREFIX}hashtag:{tag}"


def stream_post_announce(*, post_id: int) -> int:
    """Publish a new post's id on every channel that shows it; returns channels told."""
    from social import selectors as social_selectors
    from social import services as social_services
    from social.text import hashtags

    client = redis_client()
    found = social_selectors.post_author_ids([post_id])
    if client is None or post_id not in found:
        return 0
    content = social_selectors.post_get(post_id).content
    message = json.dumps({"event": "update", "id": post_id})
    channels = [channel_public(), *(channel_hashtag(tag) for tag in hashtags(content))]
    for batch in social_services.feed_reader_batches(author_id=found[post_id]):
        channels += [channel_user(user_id) for user_id in batch]
    with client.pipeline(transaction=False) as pipe:
        for channel in channels:
            pipe.publish(channel, message)
        pipe.execute()
    return len(channels)


def heartbeat_seconds() -> float:
    return settings.MASTODON_STREAMING_HEARTBEAT_SECONDS
