"""GitHub webhook deliveries: verified with the repository's secret, applied once."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from hublot.models import Issue, IssueComment, Repository, WebhookDelivery
from hublot.selectors import issues_with_label
from hublot.services.records import Problems, comment_values, issue_values
from hublot.services.repositories import repository_find

MAX_DELIVERY_ID = WebhookDelivery._meta.get_field("delivery_id").max_length


class WebhookRejected(Exception):
    """A delivery refused with an HTTP status and a one-line reason."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class WebhookOutcome:
    status: str  # "applied" | "duplicate" | "ignored" | "pong"
    detail: str = ""


def webhook_signature(secret: str, body: bytes) -> str:
    """The X-Hub-Signature-256 value GitHub sends for `body`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_signature_valid(secret: str, body: bytes, header: str | None) -> bool:
    if not secret or not header:
        return False
    return hmac.compare_digest(webhook_signature(secret, body).encode(), header.strip().encode())


def _repository_of(payload: dict) -> Repository | None:
    remote = payload.get("repository")
    if not isinstance(remote, dict):
        return None
    github_id = remote.get("id")
    by_id = None
    if isinstance(github_id, int) and not isinstance(github_id, bool):
        by_id = Repository.objects.filter(github_id=github_id).first()
    if by_id is not None:
        return by_id
    full_name = remote.get("full_name")
    if isinstance(full_name, str) and full_name.count("/") == 1:
        found = repository_find(*full_name.split("/"))
        # Matched by name only if not bound to another GitHub repository.
        if found and found.github_id in (None, github_id):
            return found
    return None


def webhook_receive(
    *, event: str | None, delivery_id: str | None, signature: str | None, body: bytes
) -> WebhookOutcome:
    """Verify and apply one delivery. Raises WebhookRejected (nothing stored) for a bad
    signature (401), an unknown repository (404) or a malformed delivery (400)."""
    if not event or not delivery_id or len(delivery_id) > MAX_DELIVERY_ID:
        raise WebhookRejected(400, "X-GitHub-Event and X-GitHub-Delivery headers are required.")
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise WebhookRejected(
            400, "The body is not JSON (set the content type to application/json)."
        ) from None
    if not isinstance(payload, dict):
        raise WebhookRejected(400, "The body is not a JSON object.")
    repository = _repository_of(payload)
    if repository is None:
        raise WebhookRejected(404, "That repository is not tracked here.")
    if not webhook_signature_valid(repository.webhook_secret, body, signature):
        raise WebhookRejected(401, "Invalid or missing X-Hub-Signature-256.")
    with transaction.atomic():  # the delivery is remembered only if it applied
        try:
            with transaction.atomic():
                WebhookDelivery.objects.create(
                    delivery_id=delivery_id, event=event[:50], repository=repository
                )
        except IntegrityError:
            return WebhookOutcome("duplicate", "This delivery was already processed.")
        return _apply(repository, event, payload)


def _apply(repository: Repository, event: str, payload: dict) -> WebhookOutcome:
    action = payload.get("action")
    if event == "ping":
        return WebhookOutcome("pong")
    if event == "issues":
        return _apply_issue(repository, action, payload.get("issue"))
    if event == "issue_comment":
        outcome = _apply_issue(repository, "edited", payload.get("issue"))
        if outcome.status != "applied":
            return outcome
        return _apply_comment(repository, action, payload.get("comment"))
    if event == "label":
        return _apply_label(repository, action, payload.get("label"), payload.get("changes"))
    return WebhookOutcome("ignored", f"{event} events are not used.")


def _apply_issue(repository: Repository, action, raw) -> WebhookOutcome:
    problems = Problems()
    values = issue_values(raw, problems)
    if values is None:
        raise WebhookRejected(400, "; ".join(problems) or "No usable issue in the payload.")
    if action in ("deleted", "transferred"):  # gone from this repository
        repository.issues.filter(number=values["number"]).delete()
        return WebhookOutcome("applied", f"#{values['number']} removed")
    number = values.pop("number")
    Issue.objects.update_or_create(
        repository=repository,
        number=number,
        defaults={**values, "fetched_on": timezone.now()},
    )
    return WebhookOutcome("applied", f"#{number} {action or 'updated'}")


def _apply_comment(repository: Repository, action, raw) -> WebhookOutcome:
    problems = Problems()
    row = comment_values(raw, problems)
    if row is None:
        raise WebhookRejected(400, "; ".join(problems) or "No usable comment in the payload.")
    number, values = row
    if action == "deleted":
        IssueComment.objects.filter(
            github_id=values["github_id"], issue__repository=repository
        ).delete()
        return WebhookOutcome("applied", f"comment {values['github_id']} removed")
    issue = repository.issues.filter(number=number).first()
    if issue is None:
        raise WebhookRejected(400, f"The comment's issue #{number} is not the payload's issue.")
    github_id = values.pop("github_id")
    IssueComment.objects.update_or_create(github_id=github_id, defaults={**values, "issue": issue})
    return WebhookOutcome("applied", f"comment {github_id} on #{number}")


def _apply_label(repository: Repository, action, label, changes) -> WebhookOutcome:
    """Labels are stored as names on issues: a rename or deletion rewrites those lists."""
    name = label.get("name") if isinstance(label, dict) else None
    if not isinstance(name, str):
        raise WebhookRejected(400, "No usable label in the payload.")
    old = name
    if action == "edited" and isinstance(changes, dict):
        old = (
            (changes.get("name") or {}).get("from", name)
            if isinstance(changes.get("name"), dict)
            else name
        )
    if action not in ("edited", "deleted") or not isinstance(old, str):
        return WebhookOutcome("ignored", f"label {action}")
    touched = []
    for issue in issues_with_label(repository.issues.all(), old).only("id", "labels"):
        labels = [item for item in issue.labels if item != old]
        if action == "edited" and name not in labels:
            labels.insert(issue.labels.index(old), name)
        issue.labels = labels
        touched.append(issue)
    Issue.objects.bulk_update(touched, ["labels"], batch_size=500)
    return WebhookOutcome("applied", f"label {old!r} {action} on {len(touched)} issues")
