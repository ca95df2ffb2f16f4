import json

from django.db.models import CharField, Count, Q, QuerySet
from django.db.models.functions import Cast

from hublot.models import Issue, Repository


def repository_list() -> QuerySet[Repository]:
    """Repositories with their open/total stored issue counts (one query)."""
    return Repository.objects.annotate(
        issue_count=Count("issues"),
        open_issue_count=Count("issues", filter=Q(issues__state=Issue.State.OPEN)),
    ).order_by("owner", "name")


def issue_list(repository: Repository) -> QuerySet[Issue]:
    return repository.issues.order_by("-number")


def issues_with_label(issues: QuerySet[Issue], label: str) -> QuerySet[Issue]:
    """Portable across PostgreSQL and SQLite: match the JSON-encoded name in the label list."""
    return issues.annotate(labels_text=Cast("labels", CharField())).filter(
        labels_text__contains=json.dumps(label)
    )
