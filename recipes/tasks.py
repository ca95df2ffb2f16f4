import random

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from project.celery import TRANSIENT_DB_ERRORS
from recipes.clients import RemoteError
from recipes.services import ClaimHeld, crosspost_reconcile, crosspost_send


def _countdown(seconds: float) -> float:
    """A retry waits in the worker unacknowledged; past the visibility timeout Redis
    would hand it out a second time, so no wait may come near it."""
    longest = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] / 2
    return min(longest, seconds) + random.uniform(0, 1)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_DB_ERRORS,
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=10,
)
def crosspost_send_task(self, *, crosspost_id: int) -> str:
    """Safe to run twice, or at once: the CrossPost row decides whether anything is
    posted. Gives up (status failed) after RECIPES_CROSSPOST_MAX_ATTEMPTS attempts."""
    try:
        return crosspost_send(crosspost_id=crosspost_id)
    except ClaimHeld as held:
        raise self.retry(countdown=_countdown(held.wait), max_retries=None) from None
    except SoftTimeLimitExceeded:
        # The claim stands until its lease ends; try again after that.
        lease = settings.RECIPES_CROSSPOST_LEASE_SECONDS
        raise self.retry(countdown=_countdown(lease), max_retries=None) from None
    except RemoteError as error:
        backoff = min(600, 2 ** (self.request.retries + 1) * 5)
        wait = error.retry_after or backoff
        raise self.retry(countdown=_countdown(wait), max_retries=None) from None


@shared_task(acks_late=True, autoretry_for=TRANSIENT_DB_ERRORS, retry_backoff=True, max_retries=5)
def crosspost_reconcile_task() -> dict[str, int]:
    """Beat: settle announcements stuck in `sending` (or `pending`) past the threshold."""
    return crosspost_reconcile()
