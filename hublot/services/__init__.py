"""Hublot's operations; the commands, the Celery task, the webhook view and the admin
all call these. Re-exported from the sub-modules."""

from hublot.github import GitHubError
from hublot.services.issues import (
    DIRECTIONS,
    SORTS,
    FetchResult,
    IssueQuery,
    issues_fetch,
    utc_stamp,
)
from hublot.services.repositories import (
    BAD_FORMAT,
    NOT_GITHUB,
    HublotError,
    RemoteRepository,
    RepositoryExists,
    parse_repository_ref,
    remote_repository_list,
    repository_add,
    repository_find,
    repository_get,
    repository_remove,
    repository_set_webhook_secret,
)
from hublot.services.webhooks import (
    WebhookOutcome,
    WebhookRejected,
    webhook_receive,
    webhook_signature,
    webhook_signature_valid,
)

# Every failure a command reports as one line with exit status 1.
USER_ERRORS = (HublotError, GitHubError)

__all__ = [
    "BAD_FORMAT",
    "DIRECTIONS",
    "NOT_GITHUB",
    "SORTS",
    "USER_ERRORS",
    "FetchResult",
    "HublotError",
    "IssueQuery",
    "RemoteRepository",
    "RepositoryExists",
    "WebhookOutcome",
    "WebhookRejected",
    "issues_fetch",
    "parse_repository_ref",
    "remote_repository_list",
    "repository_add",
    "repository_find",
    "repository_get",
    "repository_remove",
    "repository_set_webhook_secret",
    "utc_stamp",
    "webhook_receive",
    "webhook_signature",
    "webhook_signature_valid",
]
