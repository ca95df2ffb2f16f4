from datetime import UTC, datetime

from celery import shared_task

from hublot.github import GitHubError
from hublot.services import issues_fetch


@shared_task(bind=True, acks_late=True, max_retries=5)
def fetch_issues_task(self, *, repository_id: int, state: str = "all") -> int:
    """Refresh one repository's issues; waits out a rate limit instead of failing."""
    try:
        return issues_fetch(str(repository_id), state=state).fetched
    except GitHubError as error:
        if error.reset_at is not None:  # rate limited: come back after the reset
            countdown = max(60, int((error.reset_at - datetime.now(UTC)).total_seconds()) + 5)
            raise self.retry(countdown=countdown) from None
        if error.transient:
            raise self.retry(countdown=60 * (self.request.retries + 1)) from None
        raise
