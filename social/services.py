"""Writes for the social graph and posts. Signals go out only once the data is committed."""

from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse

from project.deletion import delete_or_404
from social import feeds
from social.models import Follow, Post
from social.signals import post_created, post_deleted, user_followed, user_unfollowed


def follow_create(*, follower: AbstractBaseUser, followed: AbstractBaseUser) -> bool:
    """True when a new follow was made; False when it already existed (the book's rule)."""
    if follower.pk == followed.pk:
        raise ValidationError("You cannot follow yourself.", code="self_follow")
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


FOLLOW_EMAIL_EVERY_SECONDS = 24 * 60 * 60


def follow_notify(*, follower_id: int, followed_id: int) -> bool:
    """E-mail the followed user (the book's receiver wrongly addressed the follower):
    at most once per follower and day, however often they re-follow, and never when
    the followed user turned these e-mails off. True when a mail went out."""
    users = get_user_model().objects.in_bulk([follower_id, followed_id])
    follower, followed = users.get(follower_id), users.get(followed_id)
    if follower is None or followed is None or not followed.email:
        return False
    if not followed.email_on_follow:
        return False
    # cache.add is atomic: of several tasks for the same pair, one claims the day.
    claim = f"social:follow-email:{follower_id}:{followed_id}"
    if not cache.add(claim, 1, FOLLOW_EMAIL_EVERY_SECONDS):
        return False
    profile = settings.SITE_URL.rstrip("/") + reverse("social:profile", args=[follower.username])
    preferences = settings.SITE_URL.rstrip("/") + reverse("account-preferences")
    try:
        send_mail(
            subject=f"{follower.username} now follows you on Blueprints",
            message=f"Hi {followed.username},\n\n{follower.username} now follows you.\n"
            f"See their profile: {profile}\n\n"
            f"To stop these e-mails: {preferences}\n",
            from_email=None,
            recipient_list=[followed.email],
        )
    except Exception:
        cache.delete(claim)  # not sent: let the task's retry send it
        raise
    return True


@transaction.atomic
def post_create(*, user: AbstractBaseUser, content: str) -> Post:
    post = Post(user=user, content=content.strip())
    post.full_clean()
    post.save()
    transaction.on_commit(lambda: post_created.send(sender=Post, post=post))
    return post


@transaction.atomic
def post_delete(*, post: Post, by: AbstractBaseUser) -> None:
    if post.user_id != by.pk:
        raise PermissionDenied("Only the author can delete this post.")
    post_id, author_id = post.pk, post.user_id
    delete_or_404(post)
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
