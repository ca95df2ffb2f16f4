from celery import shared_task

from mastodon_api import streaming


@shared_task(acks_late=True, ignore_result=True)
def stream_post_announce_task(*, post_id: int) -> int:
    return streaming.stream_post_announce(post_id=post_id)
