"""A small local GitHub REST server for tests: real JSON shapes, Link pagination,
rate-limit headers and GitHub's 401/403/404 bodies. It records every request."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from project.fake_http import FakeHTTPServer, Recorded

DOCS = "https://docs.github.com/rest"


@dataclass
class FakeRepo:
    owner: str
    name: str
    description: str = ""
    id: int = 1
    issues: list[dict] = field(default_factory=list)


class FakeGitHub(FakeHTTPServer):
    def __init__(self) -> None:
        super().__init__()
        self.repos: dict[str, FakeRepo] = {}
        self.accounts: dict[str, str] = {}  # login -> "User" | "Organization"
        self.valid_token: str | None = None  # when set, any other token gets 401
        self.rate_limited = False
        self.reset_at = int(time.time()) + 1800

    # --- data ------------------------------------------------------------------------
    def add_repo(
        self, owner: str, name: str, *, issues: int = 0, prs: int = 0, description: str = ""
    ) -> FakeRepo:
        repo = FakeRepo(owner, name, description, id=len(self.repos) + 1)
        self.repos[f"{owner}/{name}".lower()] = repo
        self.accounts.setdefault(owner.lower(), "User")
        start = datetime(2024, 1, 1, tzinfo=UTC)
        for number in range(1, issues + prs + 1):
            is_pr = number > issues
            repo.issues.append(
                self.issue_json(repo, number, created=start + timedelta(hours=number), pr=is_pr)
            )
        return repo

    def issue_json(
        self,
        repo: FakeRepo,
        number: int,
        *,
        created: datetime,
        pr: bool = False,
        state: str = "open",
        labels: tuple[str, ...] = (),
    ) -> dict:
        stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
        kind = "pull" if pr else "issues"
        item = {
            "url": f"{self.url}/repos/{repo.owner}/{repo.name}/issues/{number}",
            "html_url": f"https://github.com/{repo.owner}/{repo.name}/{kind}/{number}",
            "id": repo.id * 1_000_000 + number,
            "node_id": f"I_{number}",
            "number": number,
            "title": f"Issue number {number}",
            "user": {"login": "octocat", "id": 583231, "type": "User"},
            "labels": [
                {"id": i, "name": label, "color": "d73a4a", "default": False}
                for i, label in enumerate(labels)
            ],
            "state": state,
            "locked": False,
            "comments": 0,
            "created_at": stamp,
            "updated_at": stamp,
            "closed_at": stamp if state == "closed" else None,
            "author_association": "OWNER",
            "body": "Something is broken.",
        }
        if pr:
            item["pull_request"] = {
                "url": f"{self.url}/repos/{repo.owner}/{repo.name}/pulls/{number}"
            }
        return item

    def list_requests(self, suffix: str = "/issues") -> list[Recorded]:
        return [r for r in self.requests if r.path.endswith(suffix)]

    # --- HTTP ------------------------------------------------------------------------
    def extra_headers(self) -> dict[str, str]:
        return {
            "x-ratelimit-limit": "5000",
            "x-ratelimit-remaining": "0" if self.rate_limited else "4999",
            "x-ratelimit-reset": str(self.reset_at),
        }

    def route(self, request: Recorded):
        return self._route(request.path, request.query, request.headers.get("Authorization"))

    def _route(self, path: str, query: dict, authorization: str | None):
        if self.valid_token is not None and authorization != f"token {self.valid_token}":
            return (
                401,
                {"message": "Bad credentials", "documentation_url": DOCS, "status": "401"},
                {},
            )
        if self.rate_limited:
            return (
                403,
                {
                    "message": "API rate limit exceeded for 127.0.0.1. (But here's the good news: "
                    "Authenticated requests get a higher rate limit.)",
                    "documentation_url": f"{DOCS}/overview/rate-limits-for-the-rest-api",
                },
                {},
            )
        parts = path.strip("/").split("/")
        not_found = (404, {"message": "Not Found", "documentation_url": DOCS, "status": "404"}, {})
        if parts[0] == "repos" and len(parts) in (3, 4):
            repo = self.repos.get(f"{parts[1]}/{parts[2]}".lower())
            if repo is None:
                return not_found
            if len(parts) == 3:
                return 200, self._repo_json(repo), {}
            if parts[3] == "issues":
                return self._issues_page(repo, path, query)
        if parts[0] in ("users", "orgs") and len(parts) in (2, 3):
            kind = self.accounts.get(parts[1].lower())
            if kind is None:
                return not_found
            if len(parts) == 2:
                return 200, {"login": parts[1], "id": 7, "type": kind, "public_repos": 1}, {}
            owned = [
                self._repo_json(r)
                for r in self.repos.values()
                if r.owner.lower() == parts[1].lower()
            ]
            return 200, owned, {}
        return not_found

    def _repo_json(self, repo: FakeRepo) -> dict:
        kind = self.accounts.get(repo.owner.lower(), "User")
        return {
            "id": repo.id,
            "name": repo.name,
            "full_name": f"{repo.owner}/{repo.name}",
            "owner": {"login": repo.owner, "id": 7, "type": kind},
            "private": False,
            "description": repo.description,
            "html_url": f"https://github.com/{repo.owner}/{repo.name}",
            "url": f"{self.url}/repos/{repo.owner}/{repo.name}",
            "open_issues_count": len(repo.issues),
        }

    def _issues_page(self, repo: FakeRepo, path: str, query: dict):
        state = query.get("state", "open")
        wanted = set(filter(None, query.get("labels", "").split(",")))
        since = query.get("since")
        items = [
            item
            for item in sorted(repo.issues, key=lambda i: i["created_at"], reverse=True)
            if (state == "all" or item["state"] == state)
            and wanted <= {label["name"] for label in item["labels"]}
            and (since is None or item["updated_at"] >= since)
        ]
        per_page = min(int(query.get("per_page", 30)), 100)
        page = int(query.get("page", 1))
        last = max(1, -(-len(items) // per_page))
        chunk = items[(page - 1) * per_page : page * per_page]
        links = []
        if page < last:
            links.append(f'<{self.url}{path}?{urlencode({**query, "page": page + 1})}>; rel="next"')
            links.append(f'<{self.url}{path}?{urlencode({**query, "page": last})}>; rel="last"')
        return 200, chunk, ({"Link": ", ".join(links)} if links else {})
