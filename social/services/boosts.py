"""Boosts: a boost is a Post row by the booster with `boost_of` set and no content, so
fan-out, caps and cursors carry it to the booster's followers under every strategy.
Readers see each original once (social.selectors: the entry that first brings it into
their feed); un-boosting deletes the row, and deleting the original deletes its boosts
(the FK cascades, and each deletion is retracted from the feeds by the receivers)."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest

from social.feeds import forget_cached_pages
from social.models import Notification, Post
from social.services.blocks import is_blocked_between
from social.services.notifications import notification_create
from social.services.pages import feed_pages_forget_for_readers_of


def boost_count_move(*, post_id: int, author_id: int, delta: int) -> None:
    """Move the original's boost count atomically (never below 0). Removals come through
    the Post post_delete receiver, so un-boosts, admin deletions and cascades all count."""
    Post.objects.filter(pk=post_id).update(boost_count=Greatest(F("boost_count") + delta, 0))
    feed_pages_forget_for_readers_of(author_id)  # cached feed pages show the count


def _original(post: Post) -> Post:
    # Boosting a boost boosts what it boosts (as on Mastodon).
    return post.boost_of if post.boost_of_id is not None else post


def boost_create(*, user: AbstractBaseUser, post: Post) -> tuple[Post, bool]:
    """The user's boost of `post` and whether it is new (the author is then notified).
    Refused across a block between the booster and the author."""
    original = _original(post)
    if is_blocked_between(original.user_id, user.pk):
        raise ValidationError("You cannot boost this post.", code="blocked")
    existing = Post.objects.filter(user=user, boost_of=original).first()
    if existing is not None:
        return existing, False
    boost = Post(user=user, boost_of=original, content="")
    boost.full_clean(exclude=["content"], validate_constraints=False)
    try:
        with transaction.atomic():
            boost.save()
            boost_count_move(post_id=original.pk, author_id=original.user_id, delta=+1)
    except IntegrityError:  # a concurrent request boosted it first
        return Post.objects.get(user=user, boost_of=original), False
    forget_cached_pages([user.pk])  # the booster's own pages show "boosted by you" at once
    notification_create(
        recipient=original.user, actor=user, kind=Notification.Kind.BOOST, post=original
    )
    return boost, True


@transaction.atomic
def boost_delete(*, user: AbstractBaseUser, post: Post) -> bool:
    """True when a boost was removed; False when there was none."""
    original = _original(post)
    deleted, _ = Post.objects.filter(user=user, boost_of=original).delete()  # counted
    forget_cached_pages([user.pk])
    return bool(deleted)


def boosts_delete_between(*, a: AbstractBaseUser, b: AbstractBaseUser) -> None:
    """After a block: each one's boosts of the other's posts go."""
    Post.objects.filter(
        Q(user=a, boost_of__user=b) | Q(user=b, boost_of__user=a), boost_of__isnull=False
    ).delete()
