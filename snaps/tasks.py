from celery import shared_task

from snaps.services import snap_purge_expired


@shared_task(acks_late=True)
def snap_purge_expired_task() -> int:
    return snap_purge_expired()
