"""Reactions to the app's signals; imported by SocialConfig.ready()."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.signals import username_may_have_changed
from project.cache import optional_write
from project.transactions import now_and_after_commit
from social import services, tasks
from social.feeds import author_timeline_invalidate, forget_cached_pages
from social.models import Follow, Like, Notification, Post, PostAttachment
from social.signals import user_followed, user_unfollowed

logger = logging.getLogger(__name__)


def _fanning_out_on_write() -> bool:
    return settings.SOCIAL_FEED_STRATEGY == "write"


@receiver(user_followed, dispatch_uid="social.notify_followed_user")
def notify_followed_user(sender, follower, followed, **kwargs) -> None:
    logger.debug("%s now follows %s: notifying", follower, followed)
    services.notification_create(recipient=followed, actor=follower, kind=Notification.Kind.FOLLOW)


@receiver(user_followed, dispatch_uid="social.backfill_on_follow")
def backfill_on_follow(sender, follower, followed, **kwargs) -> None:
    if _fanning_out_on_write():
        tasks.feed_backfill_task.delay(follower_id=follower.pk, followed_id=followed.pk)


@receiver(user_unfollowed, dispatch_uid="social.prune_on_unfollow")
def prune_on_unfollow(sender, follower, followed, **kwargs) -> None:
    if _fanning_out_on_write():
        tasks.feed_remove_author_task.delay(follower_id=follower.pk, followed_id=followed.pk)


# Cached author timelines and API feed pages go whenever what they show changes,
# through any code path (services, admin, fixtures). The request drops only what is
# the author's own (their timeline, their feed pages) now and again once committed; the
# followers' feeds and pages are the fan-out tasks' work (social.services), queued once
# committed, so a request costs the same whatever the follower count.


@receiver(post_save, sender=Post, dispatch_uid="social.forget_feeds_on_post_save")
def spread_saved_post(sender, instance: Post, created=False, **kwargs) -> None:
    author_id, post_id = instance.user_id, instance.pk
    _forget_own(author_id)
    if created:
        _after_commit(lambda: tasks.feed_fanout_post_task.delay(post_id=post_id))
    else:  # an edit: the readers' cached pages show the old text
        services.feed_pages_forget_for_readers_of(author_id)


@receiver(post_delete, sender=Post, dispatch_uid="social.forget_feeds_on_post_delete")
def retract_deleted_post(sender, instance: Post, **kwargs) -> None:
    author_id, post_id = instance.user_id, instance.pk
    _forget_own(author_id)
    _after_commit(lambda: tasks.feed_remove_post_task.delay(post_id=post_id, author_id=author_id))


def _after_commit(queue) -> None:
    # Committed is committed: a broker that fails now is logged, never the request's error.
    # Followers' cached pages then expire with API_CACHE_SECONDS; rebuild_feeds repairs stores.
    transaction.on_commit(queue, robust=True)


def _forget_own(author_id: int) -> None:
    # Dropped whatever the strategy, so a switch of strategy never reads stale timelines.
    now_and_after_commit(lambda: author_timeline_invalidate(author_id))
    forget_cached_pages([author_id])


@receiver(post_save, sender=Follow, dispatch_uid="social.forget_feed_on_follow")
@receiver(post_delete, sender=Follow, dispatch_uid="social.forget_feed_on_unfollow")
def forget_feed_of_follower(sender, instance: Follow, **kwargs) -> None:
    forget_cached_pages([instance.follower_id])


@receiver(post_save, sender=get_user_model(), dispatch_uid="social.forget_feeds_on_user_save")
def forget_feeds_showing_user(
    sender, instance, created=False, update_fields=None, **kwargs
) -> None:
    if created and _fanning_out_on_write():
        optional_write(lambda: services.feed_mark_new_reader_ready(user=instance))
    if username_may_have_changed(created=created, update_fields=update_fields):
        services.feed_pages_forget_for_readers_of(instance.pk)  # posts show the name


@receiver(post_delete, sender=Like, dispatch_uid="social.count_removed_like")
def count_removed_like(sender, instance: Like, origin=None, **kwargs) -> None:
    deleting = origin.model if hasattr(origin, "model") else type(origin)
    if deleting is Post:  # the post itself is going: nothing left to count
        return
    author_id = Post.objects.filter(pk=instance.post_id).values_list("user_id", flat=True).first()
    if author_id is not None:
        services.like_count_move(post_id=instance.post_id, author_id=author_id, delta=-1)


@receiver(post_delete, sender=Post, dispatch_uid="social.count_removed_reply")
def count_removed_reply(sender, instance: Post, **kwargs) -> None:
    if instance.in_reply_to_id is None:
        return
    parent = Post.objects.filter(pk=instance.in_reply_to_id).values_list("user_id", flat=True)
    if (author_id := parent.first()) is not None:
        services.reply_count_move(post_id=instance.in_reply_to_id, author_id=author_id, delta=-1)


@receiver(post_delete, sender=Post, dispatch_uid="social.count_removed_boost")
def count_removed_boost(sender, instance: Post, origin=None, **kwargs) -> None:
    if instance.boost_of_id is None:
        return
    if isinstance(origin, Post) and origin.pk == instance.boost_of_id:
        return  # the original itself is going: nothing left to count
    original = Post.objects.filter(pk=instance.boost_of_id).values_list("user_id", flat=True)
    if (author_id := original.first()) is not None:
        services.boost_count_move(post_id=instance.boost_of_id, author_id=author_id, delta=-1)


@receiver(post_delete, sender=PostAttachment, dispatch_uid="social.forget_pages_on_photo_gone")
def forget_pages_showing_removed_photo(sender, instance: PostAttachment, origin=None, **kwargs):
    """A deleted photo leaves every post it was on (CASCADE): cached pages show it."""
    deleting = origin.model if hasattr(origin, "model") else type(origin)
    if deleting is not PostAttachment._meta.get_field("photo").related_model:
        return  # the post is going too, or the services replace its photos (they forget)
    author_id = Post.objects.filter(pk=instance.post_id).values_list("user_id", flat=True).first()
    if author_id is not None:
        services.feed_pages_forget_for_readers_of(author_id)
