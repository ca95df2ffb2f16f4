"""Hublot's operations; the commands, the Celery task and the admin all call these."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlparse

import requests
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from github import GithubException

from hublot.github import GitHubError, describe, get_github
from hublot.models import Issue, Repository
from project.urlsafety import safe_http_url

OWNER_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")
NAME_RE = re.compile(r"^[A-Za-z0-9._-]{1,100}$")
GITHUB_HOSTS = {"github.com", "www.github.com"}
NOT_GITHUB = "Not from Github! Aborting."
BAD_FORMAT = "Invalid Github project URL format!"


class HublotError(Exception):
    """A failure with a one-line message for the user (exit status 1)."""


class RepositoryExists(HublotError):
    def __init__(self, repository: Repository) -> None:
        self.repository = repository
        super().__init__(f"That repository already exists! (ID: {repository.pk})")


def parse_repository_ref(text: str) -> tuple[str, str]:
    """`https://github.com/o/r`, `…/r.git`, `git@github.com:o/r.git` or `o/r` -> (owner, name)."""
    text = (text or "").strip()
    if text.startswith("git@"):
        host, _, path = text[4:].partition(":")
    elif "://" in text:
        parsed = urlparse(text)
        if parsed.scheme not in ("http", "https"):
            raise HublotError(NOT_GITHUB)
        host, path = (parsed.hostname or ""), parsed.path
    elif text.count("/") == 1 and "." not in text.split("/")[0]:
        host, path = "github.com", text
    else:
        raise HublotError(BAD_FORMAT)
    if host.lower() not in GITHUB_HOSTS:
        raise HublotError(NOT_GITHUB)
    parts = path.strip("/").removesuffix(".git").split("/")
    if len(parts) != 2:
        raise HublotError(BAD_FORMAT)
    owner, name = parts
    if not OWNER_RE.match(owner) or not NAME_RE.match(name) or name in (".", ".."):
        raise HublotError(BAD_FORMAT)
    return owner, name


def repository_find(owner: str, name: str) -> Repository | None:
    return (
        Repository.objects.annotate(lo=Lower("owner"), ln=Lower("name"))
        .filter(lo=owner.lower(), ln=name.lower())
        .first()
    )


def repository_add(ref: str, *, description: str = "") -> Repository:
    """Register a repository (offline, like the book)."""
    owner, name = parse_repository_ref(ref)
    if existing := repository_find(owner, name):
        raise RepositoryExists(existing)
    return Repository.objects.create(owner=owner, name=name, description=description)


def repository_get(ref: str) -> Repository:
    """A registered repository by local id, `owner/name` or URL."""
    if ref.isdigit():
        repository = Repository.objects.filter(pk=int(ref)).first()
        if repository is None:
            raise HublotError("No such repository ID!")
        return repository
    repository = repository_find(*parse_repository_ref(ref))
    if repository is None:
        raise HublotError(
            f"Repository {ref} is not registered: run `manage.py repositories add {ref}`."
        )
    return repository


def repository_remove(ref: str) -> tuple[Repository, int]:
    """Forget a repository and its stored issues; returns it and how many issues went."""
    repository = repository_get(ref)
    issues = repository.issues.count()
    repository.delete()
    return repository, issues


@dataclass
class FetchResult:
    repository: Repository
    created: int = 0
    updated: int = 0
    fetched: int = 0
    issues: list[Issue] = field(default_factory=list)


def _listed_data(item) -> dict:
    """The JSON GitHub sent in the list page. PyGithub's `raw_data` and its properties
    for absent keys (e.g. `pull_request`) would each fetch the issue again: N requests."""
    return item._rawData


def _parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def _issue_from_github(repository: Repository, item) -> Issue:
    raw = _listed_data(item)
    return Issue(
        repository=repository,
        number=raw["number"],
        github_id=raw.get("id"),
        title=raw.get("title") or "",
        state=raw.get("state") if raw.get("state") in ("open", "closed") else "open",
        labels=[label["name"] for label in raw.get("labels") or [] if isinstance(label, dict)],
        author=(raw.get("user") or {}).get("login", ""),
        html_url=safe_http_url(raw.get("html_url")) or "",
        is_pull_request="pull_request" in raw,
        opened_at=_parse_time(raw.get("created_at")),
        updated_at=_parse_time(raw.get("updated_at")),
        closed_at=_parse_time(raw.get("closed_at")),
        fetched_on=timezone.now(),
    )


UPSERT_FIELDS = [
    "github_id",
    "title",
    "state",
    "labels",
    "author",
    "html_url",
    "is_pull_request",
    "opened_at",
    "updated_at",
    "closed_at",
    "fetched_on",
]


def issues_fetch(
    ref: str,
    *,
    state: str = "open",
    labels: Iterable[str] = (),
    limit: int | None = None,
    since: datetime | None = None,
    include_prs: bool = False,
    progress: Callable[[int], None] | None = None,
) -> FetchResult:
    """Fetch a repository's issues from GitHub and upsert them in one transaction.

    Everything is read before anything is written, so a failure half-way (404, bad
    token, rate limit, network) leaves the database as it was. A repository that is
    not registered yet is registered once GitHub confirms it exists.
    """
    repository = repository_get(ref) if ref.isdigit() else None
    owner, name = (repository.owner, repository.name) if repository else parse_repository_ref(ref)
    full_name = f"{owner}/{name}"
    try:
        remote = get_github().get_repo(full_name)
        query = {"state": state}
        if labels := list(labels):
            query["labels"] = labels
        if since is not None:
            query["since"] = since
        kept: list = []
        for seen, item in enumerate(remote.get_issues(**query), start=1):
            if include_prs or "pull_request" not in _listed_data(item):
                kept.append(item)
            if progress and seen % 100 == 0:
                progress(seen)
            if limit is not None and len(kept) >= limit:
                break
    except (GithubException, requests.RequestException) as error:
        raise describe(error, repository=full_name) from None

    with transaction.atomic():
        if repository is None:
            repository = repository_find(owner, name) or Repository(
                owner=remote.owner.login, name=remote.name
            )
        repository.github_id = remote.id
        if not repository.description:
            repository.description = remote.description or ""
        repository.last_fetched_on = timezone.now()
        repository.save()
        issues = [_issue_from_github(repository, item) for item in kept]
        numbers = [issue.number for issue in issues]
        existing = set(
            repository.issues.filter(number__in=numbers).values_list("number", flat=True)
        )
        Issue.objects.bulk_create(
            issues,
            update_conflicts=True,
            unique_fields=["repository", "number"],
            update_fields=UPSERT_FIELDS,
            batch_size=500,
        )
    created = len(set(numbers) - existing)
    return FetchResult(repository, created, len(issues) - created, len(issues), issues)


@dataclass(frozen=True)
class RemoteRepository:
    full_name: str
    description: str


def remote_repository_list(owner: str, *, limit: int = 30) -> list[RemoteRepository]:
    """An owner's public repositories on GitHub (organisations included)."""
    if not OWNER_RE.match(owner or ""):
        raise HublotError(BAD_FORMAT)
    try:
        account = get_github().get_user(owner)
        if account.type == "Organization":
            repos = get_github().get_organization(owner).get_repos(type="all")
        else:
            repos = account.get_repos(type="owner")
        listed = []
        for repo in repos:
            listed.append(RemoteRepository(repo.full_name, repo.description or ""))
            if len(listed) >= limit:
                break
        return listed
    except (GithubException, requests.RequestException) as error:
        if isinstance(error, GithubException) and error.status == 404:
            raise HublotError(f"No GitHub user or organisation named {owner}.") from None
        raise describe(error) from None


# Every failure a command reports as one line with exit status 1.
USER_ERRORS = (HublotError, GitHubError)
