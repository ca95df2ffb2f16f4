import random

from celery import shared_task

from recipes.clients import RemoteError
from recipes.services import crosspost_give_up, crosspost_send

MAX_RETRIES = 5


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=MAX_RETRIES)
def crosspost_send_task(self, *, crosspost_id: int) -> str:
    """Safe to run twice: the CrossPost row decides whether anything is posted."""
    try:
        return crosspost_send(crosspost_id=crosspost_id)
    except RemoteError as error:
        if self.request.retries >= MAX_RETRIES:
            crosspost_give_up(crosspost_id=crosspost_id, error=f"Gave up after retries: {error}")
            return "failed"
        backoff = min(600, 2 ** (self.request.retries + 1) * 5) + random.uniform(0, 3)
        raise self.retry(countdown=error.retry_after or backoff) from None
