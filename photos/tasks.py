from celery import shared_task

from photos.services import photo_make_thumbnail
from project.celery import TRANSIENT_DB_ERRORS


@shared_task(
    acks_late=True,
    autoretry_for=(OSError, *TRANSIENT_DB_ERRORS),
    retry_backoff=True,
    max_retries=5,
)
def photo_make_thumbnail_task(*, photo_id: int) -> bool:
    return photo_make_thumbnail(photo_id=photo_id)
