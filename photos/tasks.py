from celery import shared_task

from photos.services import photo_process
from project.celery import TRANSIENT_DB_ERRORS


@shared_task(
    acks_late=True,
    autoretry_for=(OSError, *TRANSIENT_DB_ERRORS),
    retry_backoff=True,
    max_retries=5,
)
def photo_process_task(*, photo_id: int) -> bool:
    return photo_process(photo_id=photo_id)
