from datetime import UTC, datetime

from celery import shared_task

from hublot.github import GitHubError
from hublot.services import issues_fetch


def retry_countdown(error: GitHubError, retries: int) -> int | None:
    """Seconds until a retry may succeed, or None if retrying cannot help. A rate limit
    (primary: until its reset; secondary: GitHub's Retry-After) says exactly when."""
    if error.reset_at is not None:
        return max(1, int((error.reset_at - datetime.now(UTC)).total_seconds()) + 1)
    if error.transient:
        return 60 * (retries + 1)
    return None


@shared_task(bind=True, acks_late=True, max_retries=5)
def fetch_issues_task(self, *, repository_id: int, state: str = "all") -> int:
    """Refresh one repository's issues (incrementally); waits out rate limits."""
    try:
        return issues_fetch(str(repository_id), state=state).fetched
    except GitHubError as error:
        countdown = retry_countdown(error, self.request.retries)
        if countdown is None:
            raise
        raise self.retry(countdown=countdown) from None
