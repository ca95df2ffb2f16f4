"""Reactions to the app's signals; imported by SocialConfig.ready()."""

import logging

from django.conf import settings
from django.dispatch import receiver

from social import tasks
from social.feeds import author_timeline_invalidate
from social.signals import post_created, post_deleted, user_followed, user_unfollowed

logger = logging.getLogger(__name__)


def _fanning_out_on_write() -> bool:
    return settings.SOCIAL_FEED_STRATEGY == "write"


@receiver(user_followed, dispatch_uid="social.notify_followed_user")
def notify_followed_user(sender, follower, followed, **kwargs) -> None:
    logger.debug("%s now follows %s: queueing e-mail", follower, followed)
    tasks.send_follow_email_task.delay(follower_id=follower.pk, followed_id=followed.pk)


@receiver(user_followed, dispatch_uid="social.backfill_on_follow")
def backfill_on_follow(sender, follower, followed, **kwargs) -> None:
    if _fanning_out_on_write():
        tasks.feed_backfill_task.delay(follower_id=follower.pk, followed_id=followed.pk)


@receiver(user_unfollowed, dispatch_uid="social.prune_on_unfollow")
def prune_on_unfollow(sender, follower, followed, **kwargs) -> None:
    if _fanning_out_on_write():
        tasks.feed_remove_author_task.delay(follower_id=follower.pk, followed_id=followed.pk)


@receiver(post_created, dispatch_uid="social.spread_new_post")
def spread_new_post(sender, post, **kwargs) -> None:
    # Cached author timelines are dropped whatever the strategy, so a switch never reads stale ones.
    author_timeline_invalidate(post.user_id)
    if _fanning_out_on_write():
        tasks.feed_fanout_post_task.delay(post_id=post.pk)


@receiver(post_deleted, dispatch_uid="social.forget_deleted_post")
def forget_deleted_post(sender, post_id, author_id, **kwargs) -> None:
    author_timeline_invalidate(author_id)
    if _fanning_out_on_write():
        tasks.feed_remove_post_task.delay(post_id=post_id, author_id=author_id)
