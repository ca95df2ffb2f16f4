import json

from django.db.models import CharField, Count, Prefetch, Q, QuerySet
from django.db.models.functions import Cast

from hublot.models import ISSUE_SEARCH_FIELDS, Issue, IssueComment, Repository
from project.search import search as full_text_search


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


def issue_filter(issues: QuerySet[Issue], *, label: str = "", search: str = "") -> QuerySet[Issue]:
    """The web page's filters: one label, a full-text search of titles and bodies (then
    best match first)."""
    if label:
        issues = issues_with_label(issues, label)
    if search:
        issues = full_text_search(issues, ISSUE_SEARCH_FIELDS, search)
    return issues


def issue_state_counts(issues: QuerySet[Issue]) -> dict[str, int]:
    """Open / closed / all counts of these issues, in one query."""
    counts = issues.order_by().aggregate(
        open=Count("pk", filter=Q(state=Issue.State.OPEN)),
        closed=Count("pk", filter=Q(state=Issue.State.CLOSED)),
        all=Count("pk"),
    )
    return counts


def issue_get(repository: Repository, number: int) -> Issue | None:
    return (
        repository.issues.filter(number=number)
        .prefetch_related(
            Prefetch("comments", queryset=IssueComment.objects.order_by("created_at", "github_id"))
        )
        .first()
    )
