from celery import shared_task

from accounts.services import data_export_purge_expired, user_delete, user_export_build
from project.celery import TRANSIENT_DB_ERRORS


@shared_task(
    acks_late=True,
    autoretry_for=(OSError, *TRANSIENT_DB_ERRORS),
    retry_backoff=True,
    max_retries=8,
)
def user_delete_task(*, user_id: int) -> bool:
    return user_delete(user_id=user_id)


@shared_task(
    acks_late=True,
    autoretry_for=(OSError, *TRANSIENT_DB_ERRORS),
    retry_backoff=True,
    max_retries=5,
)
def user_export_build_task(*, export_id: int) -> bool:
    return user_export_build(export_id=export_id)


@shared_task(acks_late=True, autoretry_for=(OSError, *TRANSIENT_DB_ERRORS), retry_backoff=True)
def data_export_purge_expired_task() -> int:
    return data_export_purge_expired()
