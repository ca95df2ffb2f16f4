"""Celery tasks: take ids, re-fetch, call one service; all safe to run twice."""

from celery import shared_task

from social import services

RETRY = {"autoretry_for": (ConnectionError, TimeoutError), "retry_backoff": True, "max_retries": 5}


# --- fan-out: one task per post splits its readers into batches, one task per batch,
# which the workers run in parallel. Re-running any of them changes nothing.


def _spread(author_id: int, **change) -> int:
    readers = 0
    for batch in services.feed_reader_batches(author_id=author_id):
        feed_deliver_task.delay(owner_ids=batch, **change)
        readers += len(batch)
    return readers


@shared_task(acks_late=True, **RETRY)
def feed_fanout_post_task(*, post_id: int) -> int:
    found = services.feed_entry(post_id=post_id)
    if found is None:  # deleted before the task ran
        return 0
    author_id, entry = found
    return _spread(author_id, add=[list(entry)])


@shared_task(acks_late=True, **RETRY)
def feed_remove_post_task(*, post_id: int, author_id: int) -> int:
    return _spread(author_id, remove=[post_id])


@shared_task(acks_late=True, **RETRY)
def feed_forget_pages_task(*, author_id: int) -> int:
    return _spread(author_id)


@shared_task(acks_late=True, **RETRY)
def feed_deliver_task(
    *, owner_ids: list[int], add: list[list[int]] | None = None, remove: list[int] | None = None
) -> None:
    services.feed_deliver(
        owner_ids=owner_ids, add=[tuple(key) for key in add or ()], remove=remove or ()
    )


@shared_task(acks_late=True, **RETRY)
def feed_rebuild_task(*, user_id: int) -> int:
    return services.feed_rebuild(user_ids=[user_id])


@shared_task(acks_late=True, **RETRY)
def feed_backfill_task(*, follower_id: int, followed_id: int) -> None:
    services.feed_backfill(follower_id=follower_id, followed_id=followed_id)


@shared_task(acks_late=True, **RETRY)
def feed_remove_author_task(*, follower_id: int, followed_id: int) -> None:
    services.feed_remove_author(follower_id=follower_id, followed_id=followed_id)


@shared_task(acks_late=True, **RETRY)
def notification_email_task(*, notification_id: int) -> bool:
    return services.notification_email_send(notification_id=notification_id)
