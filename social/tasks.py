"""Celery tasks: take ids, re-fetch, call one service; all safe to run twice."""

from celery import shared_task

from social import services

RETRY = {"autoretry_for": (ConnectionError, TimeoutError), "retry_backoff": True, "max_retries": 5}


@shared_task(acks_late=True, **RETRY)
def feed_fanout_post_task(*, post_id: int) -> int:
    return services.feed_fanout_post(post_id=post_id)


@shared_task(acks_late=True, **RETRY)
def feed_remove_post_task(*, post_id: int, author_id: int) -> None:
    services.feed_remove_post(post_id=post_id, author_id=author_id)


@shared_task(acks_late=True, **RETRY)
def feed_backfill_task(*, follower_id: int, followed_id: int) -> None:
    services.feed_backfill(follower_id=follower_id, followed_id=followed_id)


@shared_task(acks_late=True, **RETRY)
def feed_remove_author_task(*, follower_id: int, followed_id: int) -> None:
    services.feed_remove_author(follower_id=follower_id, followed_id=followed_id)


@shared_task(acks_late=True, **RETRY)
def notification_email_task(*, notification_id: int) -> bool:
    return services.notification_email_send(notification_id=notification_id)
