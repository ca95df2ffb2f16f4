"""Writes for the social graph and posts. Signals go out only once the data is committed.

Each sub-domain added since lives in its own module here (notifications, ...) and is
re-exported below, so callers always write `from social import services`."""

from collections.abc import Iterator, Mapping, Sequence
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from project.deletion import delete_or_404
from social import feeds
from social.models import Follow, Post, PostEdit
from social.services.activities import activity_publish, activity_set, activity_withdraw
from social.services.attachments import post_photos_set
from social.services.blocks import (
    block_create,
    block_delete,
    follow_refusal,
    mute_create,
    mute_delete,
)
from social.services.boosts import (
    boost_count_move,
    boost_create,
    boost_delete,
    boosts_delete_between,
)
from social.services.likes import like_count_move, like_create, like_delete
from social.services.live import live_posts_announce
from social.services.mentions import post_mentions_notify, post_tags_update
from social.services.notifications import (
    notification_counts_resync,
    notification_create,
    notification_dismiss,
    notification_email_send,
    notification_mark_all_read,
    notification_mark_read,
)
from social.services.pages import feed_pages_forget_for_readers_of
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
    "activity_publish",
    "activity_set",
    "activity_withdraw",
    "block_create",
    "block_delete",
    "boost_count_move",
    "boost_create",
    "boost_delete",
    "boosts_delete_between",
    "feed_pages_forget_for_readers_of",
    "like_count_move",
    "like_create",
    "like_delete",
    "mute_create",
    "mute_delete",
    "notification_counts_resync",
    "notification_create",
    "notification_dismiss",
    "notification_email_send",
    "notification_mark_all_read",
    "notification_mark_read",
    "post_photos_set",
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
def post_create(
    *,
    user: AbstractBaseUser,
    content: str,
    in_reply_to_id: int | None = None,
    photo_ids: Sequence[int] = (),
    alt_texts: Mapping[int, str] | None = None,
    uploaded_photos: Sequence = (),
) -> Post:
    """A new post, optionally a reply, with up to 4 photos (see post_photos_set)."""
    post = Post(user=user, content=normalise_line_breaks(content).strip())
    if in_reply_to_id is not None:
        reply_attach(post=post, parent=reply_parent_get(user=user, in_reply_to_id=in_reply_to_id))
    post.full_clean()
    post.save()
    if photo_ids:
        post_photos_set(
            post=post,
            by=user,
            photo_ids=photo_ids,
            alt_texts=alt_texts,
            uploaded=uploaded_photos,
            new=True,
        )
    if post.in_reply_to_id is not None:
        reply_recorded(post=post)
    post_tags_update(post=post, new=True)
    post_mentions_notify(post=post)
    transaction.on_commit(lambda: post_created.send(sender=Post, post=post))
    return post


@transaction.atomic
def post_update(
    *,
    post: Post,
    by: AbstractBaseUser,
    content: str | None = None,
    photo_ids: Sequence[int] | None = None,
    alt_texts: Mapping[int, str] | None = None,
) -> Post:
    """The author's new text and/or photos (None: unchanged); the old text is kept in
    the post's history. Tags follow the new text and only the people it newly mentions
    are notified."""
    if post.user_id != by.pk:
        raise PermissionDenied("Only the author can edit this post.")
    if photo_ids is not None:
        post_photos_set(post=post, by=by, photo_ids=photo_ids, alt_texts=alt_texts)
    if content is None:
        return post
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


# --- fan-out: keeping every reader's feed (stored entries, cached pages) in step ---------
#
# Runs in Celery tasks, never in the request: a post, an edit, a deletion or a rename
# reaches the author's readers in batches of SOCIAL_FEED_FANOUT_CHUNK, one task per batch
# (social.tasks). Under `write` the stored feeds change; under every strategy the readers'
# cached API pages are dropped after. Followers not seen for SOCIAL_FEED_INACTIVE_DAYS are
# skipped; their stored feed has expired by then and is rebuilt when they read it again.


def _fanning_out_on_write() -> bool:
    return settings.SOCIAL_FEED_STRATEGY == "write"


def feed_reader_batches(*, author_id: int) -> Iterator[list[int]]:
    """Whose feeds show this author's posts, in batches: the author's own and each
    recently seen follower's."""
    size = max(settings.SOCIAL_FEED_FANOUT_CHUNK, 1)
    active_since = timezone.now() - timedelta(days=settings.SOCIAL_FEED_INACTIVE_DAYS)
    follower_ids = Follow.objects.filter(
        followed_id=author_id, follower__last_seen__gte=active_since
    ).values_list("follower_id", flat=True)
    batch = [author_id]
    for follower_id in follower_ids.iterator(chunk_size=size):
        batch.append(follower_id)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def feed_entry(*, post_id: int) -> tuple[int, tuple[int, int]] | None:
    """(author id, feed key) of a post, None once it is gone."""
    row = Post.objects.filter(pk=post_id).values_list("user_id", "created_on").first()
    if row is None:
        return None
    author_id, created_on = row
    return author_id, (feeds.to_micros(created_on), post_id)


def feed_deliver(
    *,
    owner_ids: list[int],
    add: Sequence[tuple[int, int]] = (),
    remove: Sequence[int] = (),
) -> None:
    """Apply one change to these readers' feeds. Idempotent: re-adding or re-removing an
    entry changes nothing. Cached pages were read from the old state; they go after."""
    if _fanning_out_on_write():
        store = feeds.feed_store()
        if add:
            store.add(owner_ids, list(add))
        if remove:
            store.remove(owner_ids, list(remove))
    feeds.forget_cached_pages_now(owner_ids)
    if add:  # now in their feeds (stored under `write`): tell their open timelines
        live_posts_announce(owner_ids=owner_ids, post_ids=[post_id for _, post_id in add])


def feed_fanout_post(*, post_id: int) -> int:
    """The whole fan-out of one post in this process (tests, repairs); returns feeds touched.
    The task (social.tasks.feed_fanout_post_task) spreads the same batches over workers."""
    found = feed_entry(post_id=post_id)
    if found is None:  # deleted before the task ran
        return 0
    author_id, entry = found
    touched = 0
    for batch in feed_reader_batches(author_id=author_id):
        feed_deliver(owner_ids=batch, add=[entry])
        touched += len(batch)
    return touched


def feed_remove_post(*, post_id: int, author_id: int) -> None:
    for batch in feed_reader_batches(author_id=author_id):
        feed_deliver(owner_ids=batch, remove=[post_id])


def feed_forget_pages(*, author_id: int) -> None:
    """After an edit or a rename: what the readers' cached pages show changed."""
    for batch in feed_reader_batches(author_id=author_id):
        feed_deliver(owner_ids=batch)


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


REBUILD_OVERLAP = timedelta(minutes=5)


def feed_rebuild(*, user_ids: list[int] | None = None) -> int:
    """Recompute stored feeds from the posts and follows (after a strategy switch, for
    repair, or for a reader whose feed expired while away)."""
    store, users = feeds.feed_store(), get_user_model().objects.order_by("pk")
    if user_ids is not None:
        users = users.filter(pk__in=user_ids)
    rebuilt = 0
    for user in users.iterator():
        # Posts fanned out meanwhile are kept: the SQL read may have missed the newest.
        since = (feeds.to_micros(timezone.now() - REBUILD_OVERLAP), 0)
        posts = feeds.JoinFeed().page(user, before=None, limit=feeds.FEED_CAP)
        store.rebuild(user.pk, [(feeds.to_micros(p.created_on), p.pk) for p in posts], since=since)
        feeds.forget_cached_pages_now([user.pk])
        rebuilt += 1
    return rebuilt


def feed_mark_new_reader_ready(*, user: AbstractBaseUser) -> None:
    """A new user's feed is complete as it is (empty), for as long as they count as active."""
    seen = getattr(user, "last_seen", None) or timezone.now()
    inactive_at = seen + timedelta(days=settings.SOCIAL_FEED_INACTIVE_DAYS)
    seconds = int((inactive_at - timezone.now()).total_seconds()) - 3600
    if seconds > 0:
        feeds.feed_store().mark_ready(user.pk, min(seconds, feeds.ready_seconds()))


@transaction.atomic
def delete_user_content(*, user_id: int) -> int:
    """Every post and follow of one user (their account is being deleted), with the
    same signals as one-by-one deletes so stored feeds and caches follow; returns how
    many posts went."""
    follows = list(
        Follow.objects.filter(Q(follower_id=user_id) | Q(followed_id=user_id)).select_related(
            "follower", "followed"
        )
    )
    Follow.objects.filter(pk__in=[f.pk for f in follows]).delete()
    for follow in follows:
        transaction.on_commit(
            partial(
                user_unfollowed.send,
                sender=Follow,
                follower=follow.follower,
                followed=follow.followed,
            )
        )
    post_ids = list(Post.objects.filter(user_id=user_id).values_list("pk", flat=True))
    Post.objects.filter(pk__in=post_ids).delete()
    for post_id in post_ids:
        transaction.on_commit(
            partial(post_deleted.send, sender=Post, post_id=post_id, author_id=user_id)
        )
    return len(post_ids)
