"""Mastodon's streaming API on the site's one live-event mechanism (project/livestream.py).

The `user` stream reads its reader's own live stream, where social already puts a `post`
event for each post reaching their feed (the fan-out's batch); the author's own posts
are added here, since Mastodon shows them too. Public and hashtag streams read shared
channels: a new post's id is published once, after commit, on the public channel and
its tags' channels. Each post is rendered for its reader with the same visibility rules
as a page (blocked and muted authors dropped), so only ids travel on shared channels."""

from django.conf import settings

from project import livestream

PUBLIC = "mastodon:public"


def channel_hashtag(tag: str) -> str:
    return f"mastodon:hashtag:{tag}"


def stream_post_announce(*, post) -> int:
    """Announce a new post on the channels that show it and on its author's own stream;
    returns how many it reached. A Redis outage loses the live event, never the post
    (clients catch up by polling)."""
    from social.text import hashtags

    data = {"post_id": post.pk, "author_id": post.user_id}
    channels = [PUBLIC, *(channel_hashtag(tag) for tag in hashtags(post.content))]
    return livestream.channel_publish(channels, "post", data) + livestream.publish(
        [post.user_id], "post", data
    )


def heartbeat_seconds() -> float:
    return settings.MASTODON_STREAMING_HEARTBEAT_SECONDS


def max_seconds() -> float:
    return settings.MASTODON_STREAMING_MAX_SECONDS
