import json
from dataclasses import dataclass

from django.db import connections
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
    """Issues carrying `label`: jsonb containment on PostgreSQL (no text rendering of every
    row's labels); SQLite has no JSON `contains`, so there the JSON-encoded name is matched."""
    if connections[issues.db].vendor == "postgresql":
        return issues.filter(labels__contains=[label])
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


# Tabs count at most this many issues per state ("1000+"), as GitHub does: an exact
# count of a big repository would read every one of its issues on every page view.
STATE_COUNT_CAP = 1000


@dataclass(frozen=True)
class StateCount:
    count: int
    capped: bool  # there are more than `count`


def issue_state_counts(issues: QuerySet[Issue], *, cap: int | None = None) -> dict[str, StateCount]:
    """Open / closed / all counts of these issues, each state counted no further than
    `cap` + 1 rows (one query; the (repository, state, number) index serves each)."""
    cap = STATE_COUNT_CAP if cap is None else cap
    if issues.query.is_empty():  # e.g. a search with no word in it: nothing to count
        zero = StateCount(0, False)
        return {state: zero for state in [*Issue.State.values, "all"]}
    parts, params = [], []
    for state in Issue.State.values:
        rows = issues.filter(state=state).order_by().values("pk")[: cap + 1]
        sql, state_params = rows.query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS {state}_rows)")
        params.extend(state_params)
    with connections[issues.db].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        found = dict(zip(Issue.State.values, cursor.fetchone(), strict=True))
    counts = {state: StateCount(min(n, cap), n > cap) for state, n in found.items()}
    counts["all"] = StateCount(
        sum(c.count for c in counts.values()), any(c.capped for c in counts.values())
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
