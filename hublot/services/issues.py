"""Fetching issues (and comments) from GitHub into the database."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from hublot.github import GitHubError, Page, get_github
from hublot.models import Issue, IssueComment, Repository
from hublot.services.records import (
    COMMENT_FIELDS,
    ISSUE_FIELDS,
    Problems,
    comment_values,
    issue_values,
    newer,
)
from hublot.services.repositories import (
    HublotError,
    parse_repository_ref,
    repository_find,
    repository_get,
    repository_save_identity,
    repository_sync_identity,
)

SORTS = ("created", "updated", "comments")
DIRECTIONS = ("asc", "desc")
SEARCH_LIMIT = 1000  # GitHub's search API stops there


@dataclass
class FetchResult:
    repository: Repository
    created: int = 0
    updated: int = 0
    fetched: int = 0
    issues: list[Issue] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    not_modified: bool = False
    incremental_since: datetime | None = None
    comments: int = 0


@dataclass(frozen=True)
class IssueQuery:
    """What to ask GitHub for; also the key its incremental cursor is stored under."""

    state: str = "open"
    labels: tuple[str, ...] = ()
    assignee: str | None = None
    author: str | None = None
    mention: str | None = None
    milestone: str | None = None
    search: str | None = None
    sort: str | None = None
    direction: str | None = None
    include_prs: bool = False

    @property
    def key(self) -> str:
        values = {k: v for k, v in self.__dict__.items() if v not in (None, (), False)}
        return "issues:" + json.dumps(values, sort_keys=True, default=list)


def utc_stamp(moment: datetime) -> str:
    """GitHub's ISO 8601 in UTC: an offset given by the user is converted, not dropped."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _quoted(value: str) -> str:
    return '"' + value.replace('"', "") + '"' if any(c in value for c in ' :"') else value


def _list_params(query: IssueQuery, milestone: str | None, since: str | None) -> dict:
    params: dict = {"state": query.state}
    optional = {
        "labels": ",".join(query.labels) or None,
        "assignee": query.assignee,
        "creator": query.author,
        "mentioned": query.mention,
        "milestone": milestone,
        "sort": query.sort,
        "direction": query.direction,
        "since": since,
    }
    params.update({k: v for k, v in optional.items() if v})
    return params


def _search_params(query: IssueQuery, full_name: str, since: str | None) -> dict:
    terms = [f"repo:{full_name}"]
    if not query.include_prs:
        terms.append("is:issue")
    if query.state != "all":
        terms.append(f"state:{query.state}")
    terms += [f"label:{_quoted(label)}" for label in query.labels]
    qualifiers = {
        "assignee": query.assignee,
        "author": query.author,
        "mentions": query.mention,
        "milestone": query.milestone,
    }
    terms += [f"{k}:{_quoted(v)}" for k, v in qualifiers.items() if v]
    if since:
        terms.append(f"updated:>={since}")
    terms.append(query.search or "")
    params = {"q": " ".join(terms).strip()}
    if query.sort:
        params["sort"] = query.sort
    if query.direction:
        params["order"] = query.direction
    return params


def _resolve_milestone(full_name: str, milestone: str | None) -> str | None:
    """The list API wants a milestone number (or * / none); gh users give titles too."""
    if milestone is None or milestone.isdigit() or milestone in ("*", "none"):
        return milestone
    for page in get_github().pages(f"/repos/{full_name}/milestones", {"state": "all"}):
        for item in page.data if isinstance(page.data, list) else []:
            if isinstance(item, dict) and item.get("title") == milestone:
                return str(item.get("number"))
    raise HublotError(f"No milestone titled {milestone!r} in {full_name}.")


def _read_pages(pages: Iterator[Page], what: str, progress) -> Iterator[tuple[int, Page]]:
    number = 0
    try:
        for number, page in enumerate(pages, start=1):
            if progress:
                progress(number, page.last_page_number or number)
            yield number, page
    except GitHubError as error:
        if error.status == 404 and number >= 1:
            raise GitHubError(
                f"GitHub answered 404 Not Found for page {number + 1} of {what}: the repository "
                "was deleted, renamed or made private during the fetch. Nothing was stored; "
                "try again.",
                status=404,
            ) from None
        raise


def issues_fetch(
    ref: str,
    *,
    state: str = "open",
    labels: Iterable[str] = (),
    limit: int | None = None,
    since: datetime | None = None,
    include_prs: bool = False,
    assignee: str | None = None,
    author: str | None = None,
    mention: str | None = None,
    milestone: str | None = None,
    search: str | None = None,
    sort: str | None = None,
    direction: str | None = None,
    comments: bool = False,
    full: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> FetchResult:
    """Fetch a repository's issues from GitHub and upsert them in one transaction.

    Everything is read before anything is written, so a failure half-way (404, bad
    token, rate limit, network) leaves the database as it was. Re-syncs are
    incremental (GitHub's `since`, from the newest `updated_at` of the last complete
    sync of the same query) and conditional (If-None-Match / If-Modified-Since: an
    unchanged listing costs a free 304), unless `full` or an explicit `since`.
    """
    query = IssueQuery(
        state,
        tuple(labels),
        assignee,
        author,
        mention,
        milestone,
        search,
        sort,
        direction,
        include_prs,
    )
    local = repository_get(ref) if ref.isdigit() else repository_find(*parse_repository_ref(ref))
    requested = (local.owner, local.name) if local else parse_repository_ref(ref)
    github = get_github()
    sync_state = dict(local.sync_state) if local else {}

    repo_state = sync_state.get("repo") if local and local.github_id else None
    try:
        repo_page = github.get(
            f"/repos/{requested[0]}/{requested[1]}", validators=(repo_state or {}).get("validators")
        )
    except GitHubError as error:
        if error.status == 404:
            raise GitHubError(
                f"Repository {requested[0]}/{requested[1]} not found on GitHub "
                "(or the token cannot see it).",
                status=404,
            ) from None
        raise
    remote = repo_state["identity"] if repo_page.not_modified else repo_page.data
    if not isinstance(remote, dict):
        raise GitHubError("GitHub sent an unexpected answer for the repository.")
    repository, former = repository_sync_identity(remote, requested=requested, local=local)
    full_name = repository.full_name
    if not repo_page.not_modified:
        identity = {
            "id": repository.github_id,
            "name": repository.name,
            "owner": {"login": repository.owner},
            "description": remote.get("description")
            if isinstance(remote.get("description"), str)
            else "",
        }
        sync_state["repo"] = {"validators": repo_page.validators, "identity": identity}

    cursor = sync_state.get(query.key) or {}
    incremental = since is None and not full and limit is None and bool(cursor.get("since"))
    since_text = (
        utc_stamp(since) if since is not None else cursor.get("since") if incremental else None
    )
    validators = None
    if not search and cursor.get("validators") and cursor.get("validated_since") == since_text:
        validators = cursor["validators"]
    if search:
        path, params = "/search/issues", _search_params(query, full_name, since_text)
    else:
        wire_query = query
        if incremental and state != "all":
            # Closed since the last sync must still reach us: read all, update known ones.
            wire_query = IssueQuery(**{**query.__dict__, "state": "all"})
        path = f"/repos/{full_name}/issues"
        params = _list_params(wire_query, _resolve_milestone(full_name, milestone), since_text)

    problems = Problems()
    kept: dict[int, dict] = {}
    first_page: Page | None = None
    complete = True
    for _number, page in _read_pages(
        github.pages(path, params, validators=validators), f"{full_name}'s issues", progress
    ):
        first_page = first_page or page
        if page.not_modified:
            break
        items = page.data.get("items") if search and isinstance(page.data, dict) else page.data
        if not isinstance(items, list):
            raise GitHubError(f"GitHub sent an unexpected issue listing for {full_name}.")
        if search and page.data.get("incomplete_results"):
            problems.append("GitHub's search timed out: the results may be incomplete")
        for raw in items:
            values = issue_values(raw, problems)
            if values is None or (values["is_pull_request"] and not include_prs):
                continue
            number = values["number"]
            kept[number] = newer(kept[number], values) if number in kept else values
        if limit is not None and len(kept) >= limit:
            complete = False
            break
    if search and len(kept) >= SEARCH_LIMIT:
        problems.append(f"GitHub's search returns at most {SEARCH_LIMIT} results")
    values_list = list(kept.values())[:limit] if limit is not None else list(kept.values())

    comment_rows = (
        _read_comments(full_name, since_text, progress, problems)
        if comments and not first_page.not_modified
        else []
    )

    result = FetchResult(repository, problems=problems, incremental_since=None)
    result.incremental_since = (
        datetime.fromisoformat(since_text.replace("Z", "+00:00")) if incremental else None
    )
    result.not_modified = first_page.not_modified
    with transaction.atomic():
        repository.last_fetched_on = timezone.now()
        if complete and not search and not first_page.not_modified:
            # A date from the future would make every later sync miss everything.
            horizon = timezone.now() + timedelta(days=1)
            newest = max(
                (
                    v["updated_at"]
                    for v in values_list
                    if v["updated_at"] and v["updated_at"] < horizon
                ),
                default=None,
            )
            high_water = utc_stamp(newest) if newest else since_text or cursor.get("since")
            # Validators belong to one URL: kept with the `since` they were sent with.
            sync_state[query.key] = {
                "since": high_water,
                "validators": first_page.validators,
                "validated_since": params.get("since"),
            }
        repository.sync_state = sync_state
        repository_save_identity(repository, former)
        _store_issues(repository, values_list, query if incremental else None, result)
        result.comments = _store_comments(repository, comment_rows)
    return result


def _store_issues(
    repository: Repository,
    values_list: list[dict],
    only_known_off_state: IssueQuery | None,
    result: FetchResult,
) -> None:
    numbers = [v["number"] for v in values_list]
    existing = set(repository.issues.filter(number__in=numbers).values_list("number", flat=True))
    if only_known_off_state is not None and only_known_off_state.state != "all":
        wanted = only_known_off_state.state
        values_list = [v for v in values_list if v["state"] == wanted or v["number"] in existing]
    now = timezone.now()
    issues = [Issue(repository=repository, fetched_on=now, **v) for v in values_list]
    Issue.objects.bulk_create(
        issues,
        update_conflicts=True,
        unique_fields=["repository", "number"],
        update_fields=[f for f in ISSUE_FIELDS if f != "number"],
        batch_size=500,
    )
    stored = {v["number"] for v in values_list}
    result.created = len(stored - existing)
    result.updated = len(stored) - result.created
    result.fetched = len(issues)
    wanted = only_known_off_state.state if only_known_off_state else "all"
    result.issues = [i for i in issues if wanted in ("all", i.state)]


def _read_comments(full_name: str, since: str | None, progress, problems: Problems) -> list:
    """All of the repository's comments (since the cursor) in one paginated listing,
    instead of one request per issue."""
    params = {"sort": "updated", "direction": "asc"}
    if since:
        params["since"] = since
    rows = []
    for _number, page in _read_pages(
        get_github().pages(f"/repos/{full_name}/issues/comments", params),
        f"{full_name}'s comments",
        progress,
    ):
        for raw in page.data if isinstance(page.data, list) else []:
            if (row := comment_values(raw, problems)) is not None:
                rows.append(row)
    return rows


def _store_comments(repository: Repository, rows: list[tuple[int, dict]]) -> int:
    """Comments of stored issues (others belong to issues not fetched: skipped)."""
    if not rows:
        return 0
    ids = dict(
        repository.issues.filter(number__in={n for n, _ in rows}).values_list("number", "id")
    )
    by_id = {v["github_id"]: IssueComment(issue_id=ids[n], **v) for n, v in rows if n in ids}
    IssueComment.objects.bulk_create(
        by_id.values(),
        update_conflicts=True,
        unique_fields=["github_id"],
        update_fields=["issue", *COMMENT_FIELDS],
        batch_size=500,
    )
    return len(by_id)
