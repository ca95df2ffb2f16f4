"""Live updates for open timelines (project/livestream.py): a post reaching a reader's
feed, a new notification. Best effort: the page shows the same on its next load."""

from collections.abc import Sequence

from django.db import transaction

from project import livestream
from social.models import Post


def live_posts_announce(*, owner_ids: Sequence[int], post_ids: Sequence[int]) -> int:
    """Tell these readers that the posts reached their feeds (the fan-out's batch, once
    delivered). Not the author of a post: they are looking at it already. Readers who
    mute or block an author filter it out on their stream."""
    if not livestream.is_available() or not post_ids:
        return 0
    sent = 0
    for post_id, author_id in Post.objects.filter(pk__in=post_ids).values_list("pk", "user_id"):
        readers = [owner_id for owner_id in owner_ids if owner_id != author_id]
        sent += livestream.publish(readers, "post", {"post_id": post_id, "author_id": author_id})
    return sent


def live_notification_announce(*, recipient_id: int, kind: str) -> None:
    """Once committed: the recipient's open pages update their unread badge."""
    if livestream.is_available():
        transaction.on_commit(
            lambda: livestream.publish([recipient_id], "notification", {"kind": kind}),
            robust=True,
        )
