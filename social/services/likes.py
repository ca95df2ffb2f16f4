"""Likes: one per user and post, the post's denormalised count moved atomically."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest

from social.feeds import forget_cached_pages
from social.models import Like, Notification, Post
from social.services.notifications import notification_create
from social.services.pages import feed_pages_forget_for_readers_of


def like_count_move(*, post_id: int, author_id: int, delta: int) -> None:
    """Move the post's like count by `delta` atomically (never below 0). Removals come
    through the Like post_delete receiver, so unlikes, admin deletions and cascades
    from a deleted account all count."""
    Post.objects.filter(pk=post_id).update(like_count=Greatest(F("like_count") + delta, 0))
    # Cached API feed pages show the count: those of everyone who may see the post.
    feed_pages_forget_for_readers_of(author_id)


def like_create(*, user: AbstractBaseUser, post: Post) -> bool:
    """True when the like is new (the author is notified); False when it existed."""
    try:
        with transaction.atomic():
            _, created = Like.objects.get_or_create(user=user, post=post)
            if created:
                like_count_move(post_id=post.pk, author_id=post.user_id, delta=+1)
    except IntegrityError:  # a concurrent request liked it first
        return False
    forget_cached_pages([user.pk])  # the liker's own pages show "liked by you" at once
    if created:
        notification_create(recipient=post.user, actor=user, kind=Notification.Kind.LIKE, post=post)
    return created


@transaction.atomic
def like_delete(*, user: AbstractBaseUser, post: Post) -> bool:
    """True when a like was removed; False when there was none."""
    deleted, _ = Like.objects.filter(user=user, post=post).delete()  # counted by the receiver
    forget_cached_pages([user.pk])
    return bool(deleted)
