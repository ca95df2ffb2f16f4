"""Writes for the social graph and posts. Signals go out only once the data is committed.

Each sub-domain added since lives in its own module here (notifications, ...) and is
re-exported below, so callers always write `from social import services`."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from project.deletion import delete_or_404
from social import feeds
from social.models import Follow, Post, PostEdit
from social.services.blocks import (
    block_create,
    block_delete,
    follow_refusal,
    mute_create,
    mute_delete,
)
from social.services.likes import like_count_move, like_create, like_delete
from social.services.mentions import post_mentions_notify, post_tags_update
from social.services.notifications import (
    notification_counts_resync,
    notification_create,
    notification_email_send,
    notification_mark_all_read,
    notification_mark_read,
)
from social.services.threads import (
    reply_attach,
    reply_count_move,
    reply_parent_get,
    reply_recorded,
)
from social.signals import post_created, post_deleted, user_followed, user_unfollowed
from social.validators import normalise_line_breaks

# The sub-modules' services, re-exported.
__all__ = [
    "block_create",
    "block_delete",
    "like_count_move",
    "like_create",
    "like_delete",
    "mute_create",
    "mute_delete",
    "notification_counts_resync",
    "notification_create",
    "notification_email_send",
    "notification_mark_all_read",
    "notification_mark_read",
    "reply_count_move",
]


def follow_create(*, follower: AbstractBaseUser, followed: AbstractBaseUser) -> bool:
    """True when a new follow was made; False when it already existed (the book's rule)."""
    if follower.pk == followed.pk:
        raise ValidationError("You cannot follow yourself.", code="self_follow")
    follow_refusal(follower=follower, followed=followed)
    try:
        with transaction.atomic():
            _, created = Follow.objects.get_or_create(follower=follower, followed=followed)
    except IntegrityError:  # a concurrent request made the same pair first
        return False
    if created:
        transaction.on_commit(
            lambda: user_followed.send(sender=Follow, follower=follower, followed=followed)
        )
    return created


def follow_delete(*, follower: AbstractBaseUser, followed: AbstractBaseUser) -> bool:
    """True when a follow was removed; False when there was none."""
    deleted, _ = Follow.objects.filter(follower=follower, followed=followed).delete()
    if deleted:
        transaction.on_commit(
            lambda: user_unfollowed.send(sender=Follow, follower=follower, followed=followed)
        )
    return bool(deleted)


@transaction.atomic
def post_create(*, user: AbstractBaseUser, content: str, in_reply_to_id: int | None = None) -> Post:
    post = Post(user=user, content=normalise_line_breaks(content).strip())
    if in_reply_to_id is not None:
        reply_attach(post=post, parent=reply_parent_get(user=user, in_reply_to_id=in_reply_to_id))
    post.full_clean()
    post.save()
    if post.in_reply_to_id is not None:
        reply_recorded(post=post)
    post_tags_update(post=post, new=True)
    post_mentions_notify(post=post)
    transaction.on_commit(lambda: post_created.send(sender=Post, post=post))
    return post


@transaction.atomic
def post_update(*, post: Post, by: AbstractBaseUser, content: str) -> Post:
    """The author's new text; the old one is kept in the post's history. Tags follow
    the new text and only the people it newly mentions are notified."""
    if post.user_id != by.pk:
        raise PermissionDenied("Only the author can edit this post.")
    content = normalise_line_breaks(content).strip()
    if content == post.content:
        return post
    previous = PostEdit(
        post=post, content=post.content, written_on=post.edited_on or post.created_on
    )
    post.content, post.edited_on = content, timezone.now()
    post.full_clean()
    previous.replaced_on = post.edited_on
    previous.save()
    post.save(update_fields=["content", "edited_on"])
    post_tags_update(post=post)
    post_mentions_notify(post=post, unless_in=previous.content)
    return post


@transaction.atomic
def post_delete(*, post: Post, by: AbstractBaseUser) -> None:
    if post.user_id != by.pk:
        raise PermissionDenied("Only the author can delete this post.")
    post_id, author_id = post.pk, post.user_id
    notified = list(post.notifications.filter(read_on__isnull=True).values_list("recipient_id"))
    delete_or_404(post)
    notification_counts_resync(user_ids={recipient_id for (recipient_id,) in notified})
    transaction.on_commit(
        lambda: post_deleted.send(sender=Post, post_id=post_id, author_id=author_id)
    )


# --- fan-out on write: keeping each reader's stored feed in step --------------------------

FANOUT_BATCH = 1000


def feed_fanout_post(*, post_id: int) -> int:
    """Push one post into its author's and every follower's feed; returns feeds touched.
    Idempotent: re-adding an entry changes nothing."""
    row = Post.objects.filter(pk=post_id).values_list("user_id", "created_on").first()
    if row is None:  # deleted before the task ran
        return 0
    author_id, created_on = row
    entry = [(feeds.to_micros(created_on), post_id)]
    store = feeds.feed_store()
    follower_ids = Follow.objects.filter(followed_id=author_id).values_list(
        "follower_id", flat=True
    )
    batch, touched = [author_id], 0
    for follower_id in follower_ids.iterator(chunk_size=FANOUT_BATCH):
        batch.append(follower_id)
        if len(batch) >= FANOUT_BATCH:
            _store_add(store, batch, entry)
            touched, batch = touched + len(batch), []
    _store_add(store, batch, entry)
    return touched + len(batch)


def _store_add(
    store: feeds.FeedStore, owner_ids: list[int], entries: list[tuple[int, int]]
) -> None:
    # Cached API pages were read from the store before this; they go after every change.
    store.add(owner_ids, entries)
    feeds.forget_cached_pages(owner_ids)


def _store_remove(store: feeds.FeedStore, owner_ids: list[int], post_ids: list[int]) -> None:
    store.remove(owner_ids, post_ids)
    feeds.forget_cached_pages(owner_ids)


def _recent_post_keys(author_id: int, limit: int) -> list[tuple[int, int]]:
    rows = (
        Post.objects.filter(user_id=author_id)
        .order_by("-created_on", "-id")
        .values_list("created_on", "id")[:limit]
    )
    return [(feeds.to_micros(created_on), post_id) for created_on, post_id in rows]


def feed_backfill(*, follower_id: int, followed_id: int) -> None:
    """After a follow: copy the followed user's recent posts into the follower's feed."""
    if Follow.objects.filter(follower_id=follower_id, followed_id=followed_id).exists():
        _store_add(
            feeds.feed_store(), [follower_id], _recent_post_keys(followed_id, feeds.FEED_CAP)
        )


def feed_remove_author(*, follower_id: int, followed_id: int) -> None:
    """After an unfollow: drop that author's posts from the follower's feed.
    A capped feed only ever holds an author's latest FEED_CAP posts, so those suffice."""
    if Follow.objects.filter(follower_id=follower_id, followed_id=followed_id).exists():
        return  # followed again since
    post_ids = [post_id for _, post_id in _recent_post_keys(followed_id, feeds.FEED_CAP)]
    _store_remove(feeds.feed_store(), [follower_id], post_ids)


def feed_remove_post(*, post_id: int, author_id: int) -> None:
    _store_remove(feeds.feed_store(), feeds.readers_of(author_id), [post_id])


def feed_rebuild(*, user_ids: list[int] | None = None) -> int:
    """Recompute stored feeds from the posts and follows (after a strategy switch or for repair)."""
    store, users = feeds.feed_store(), get_user_model().objects.order_by("pk")
    if user_ids is not None:
        users = users.filter(pk__in=user_ids)
    rebuilt = 0
    for user in users.iterator():
        posts = feeds.JoinFeed().page(user, before=None, limit=feeds.FEED_CAP)
        store.clear(user.pk)
        _store_add(store, [user.pk], [(feeds.to_micros(p.created_on), p.pk) for p in posts])
        rebuilt += 1
    return rebuilt
