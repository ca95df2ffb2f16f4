from celery import shared_task

from photos.direct_uploads import direct_upload_sweep
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


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def photo_direct_upload_sweep_task() -> int:
    return direct_upload_sweep()
