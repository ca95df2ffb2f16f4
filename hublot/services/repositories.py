"""Registered repositories: parsing references, add/get/remove, renames and transfers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlparse

from django.db.models.functions import Lower

from hublot.github import GitHubError, get_github
from hublot.models import Repository, RepositoryName

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
    """By its current name, else by a name it had before a rename or transfer."""
    current = (
        Repository.objects.annotate(lo=Lower("owner"), ln=Lower("name"))
        .filter(lo=owner.lower(), ln=name.lower())
        .first()
    )
    if current is not None:
        return current
    former = (
        RepositoryName.objects.annotate(lo=Lower("owner"), ln=Lower("name"))
        .filter(lo=owner.lower(), ln=name.lower())
        .select_related("repository")
        .first()
    )
    return former.repository if former else None


def repository_add(ref: str, *, description: str = "", webhook_secret: str = "") -> Repository:
    """Register a repository (offline, like the book)."""
    owner, name = parse_repository_ref(ref)
    if existing := repository_find(owner, name):
        raise RepositoryExists(existing)
    return Repository.objects.create(
        owner=owner, name=name, description=description, webhook_secret=webhook_secret
    )


def repository_set_webhook_secret(repository: Repository, *, secret: str) -> Repository:
    repository.webhook_secret = secret
    repository.save(update_fields=["webhook_secret"])
    return repository


def repository_get(ref: str) -> Repository:
    """A registered repository by local id, `owner/name` (current or former) or URL."""
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


def _remote_identity(remote: dict) -> tuple[int, str, str]:
    try:
        github_id = int(remote["id"])
        owner = str(remote["owner"]["login"])
        name = str(remote["name"])
    except (KeyError, TypeError, ValueError):
        raise GitHubError("GitHub sent a repository without id, owner or name.") from None
    if not OWNER_RE.match(owner) or not NAME_RE.match(name):
        raise GitHubError(f"GitHub sent an invalid repository name: {owner[:40]}/{name[:100]}")
    return github_id, owner, name


def repository_sync_identity(
    remote: dict, *, requested: tuple[str, str], local: Repository | None
) -> tuple[Repository, tuple[str, str] | None]:
    """The row for GitHub's repository `remote`, matched by GitHub's id first (names
    change on renames and transfers), then by the name asked for, then by the current
    name; owner and name set to GitHub's. Returns it unsaved with the name it had, if
    that changed: repository_save_identity() writes both, once the fetch has succeeded."""
    github_id, owner, name = _remote_identity(remote)
    by_id = Repository.objects.filter(github_id=github_id).first()
    candidates = [by_id, local, repository_find(*requested), repository_find(owner, name)]
    # A row bound to another GitHub id is another repository (GitHub lets a new one take
    # a renamed repository's old name).
    matched = [row for row in candidates if row is not None and row.github_id in (None, github_id)]
    repository = matched[0] if matched else Repository(owner=owner, name=name)
    for other in matched[1:]:
        if other.pk != repository.pk:
            raise HublotError(
                f"{repository.full_name} and {other.full_name} are both registered and are the "
                f"same GitHub repository ({owner}/{name}): remove one with "
                f"`manage.py repositories remove {other.pk}`."
            )
    holder = repository_find(owner, name)
    if holder is not None and holder.pk != repository.pk and holder.owner_name_is(owner, name):
        raise HublotError(
            f"{holder.full_name} (ID: {holder.pk}) is registered for another GitHub repository "
            f"than the one GitHub now calls {owner}/{name}: remove it first."
        )
    former = None
    if repository.pk and (repository.owner, repository.name) != (owner, name):
        former = (repository.owner, repository.name)
    repository.github_id = github_id
    repository.owner, repository.name = owner, name
    if not repository.description and isinstance(remote.get("description"), str):
        repository.description = remote["description"].replace("\x00", "")[:2000]
    return repository, former


def repository_save_identity(repository: Repository, former: tuple[str, str] | None) -> None:
    """Save the repository; its former name becomes an alias (and its new name stops
    being one, for a repository renamed back)."""
    repository.save()
    if former is None:
        return
    _forget_alias(repository.owner, repository.name)
    if (former[0].lower(), former[1].lower()) != (
        repository.owner.lower(),
        repository.name.lower(),
    ):
        _forget_alias(*former)
        RepositoryName.objects.create(repository=repository, owner=former[0], name=former[1])


def _forget_alias(owner: str, name: str) -> None:
    RepositoryName.objects.annotate(lo=Lower("owner"), ln=Lower("name")).filter(
        lo=owner.lower(), ln=name.lower()
    ).delete()


@dataclass(frozen=True)
class RemoteRepository:
    full_name: str
    description: str


def remote_repository_list(owner: str, *, limit: int = 30) -> list[RemoteRepository]:
    """An owner's public repositories on GitHub (organisations included)."""
    if not OWNER_RE.match(owner or ""):
        raise HublotError(BAD_FORMAT)
    github = get_github()
    try:
        account = github.get(f"/users/{owner}").data
    except GitHubError as error:
        if error.status == 404:
            raise HublotError(f"No GitHub user or organisation named {owner}.") from None
        raise
    if isinstance(account, dict) and account.get("type") == "Organization":
        path, params = f"/orgs/{owner}/repos", {"type": "all"}
    else:
        path, params = f"/users/{owner}/repos", {"type": "owner"}
    listed: list[RemoteRepository] = []
    for page in github.pages(path, params):
        for repo in page.data if isinstance(page.data, list) else []:
            if not isinstance(repo, dict) or not isinstance(repo.get("full_name"), str):
                continue
            description = repo.get("description")
            listed.append(
                RemoteRepository(
                    repo["full_name"], description if isinstance(description, str) else ""
                )
            )
            if len(listed) >= limit:
                return listed
    return listed
