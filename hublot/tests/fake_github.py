"""A small local GitHub REST server for tests, speaking GitHub's wire format: real JSON
shapes, Link pagination, ETag/Last-Modified with 304 (free against the rate limit),
x-ratelimit-* headers, secondary limits with Retry-After, 301 for renamed or
transferred repositories (to /repositories/<id>), the search API, and GitHub's
401/403/404 bodies. It records every request; `hooks` can script any reply."""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

from project.tests.fake_http import FakeHTTPServer, Recorded

DOCS = "https://docs.github.com/rest"
Reply = tuple[int, object, dict[str, str]]


@dataclass
class FakeRepo:
    owner: str
    name: str
    description: str = ""
    id: int = 1
    issues: list[dict] = field(default_factory=list)
    comments: list[dict] = field(default_factory=list)
    milestones: list[dict] = field(default_factory=list)
    updated_at: datetime = field(default_factory=lambda: datetime(2024, 1, 1, tzinfo=UTC))


class FakeGitHub(FakeHTTPServer):
    def __init__(self) -> None:
        super().__init__()
        self._server.server_close()  # replaced by one whose handler does 301/304
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._github_handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self.repos: dict[str, FakeRepo] = {}
        self.moved: dict[str, int] = {}  # old "owner/name" -> repository id
        self.accounts: dict[str, str] = {}  # login -> "User" | "Organization"
        self.valid_token: str | None = None  # when set, any other token gets 401
        self.rate_limited = False
        self.reset_at = int(time.time()) + 1800
        self.remaining = 5000
        # Replies tried before routing; the first non-None one is sent (scripted failures).
        self.hooks: list[Callable[[Recorded], Reply | None]] = []
        self.replies: list[int] = []  # status of every reply, in order

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

    def rename(self, repo: FakeRepo, owner: str, name: str) -> None:
        """GitHub's rename or transfer: the old name answers 301 to /repositories/<id>."""
        old = f"{repo.owner}/{repo.name}".lower()
        del self.repos[old]
        self.moved[old] = repo.id
        old_path = f"{repo.owner}/{repo.name}"
        repo.owner, repo.name = owner, name
        self.repos[f"{owner}/{name}".lower()] = repo
        for issue in repo.issues:  # their URLs name the repository
            for key in ("url", "html_url"):
                issue[key] = issue[key].replace(old_path, f"{owner}/{name}")
        self.accounts.setdefault(owner.lower(), "User")
        repo.updated_at += timedelta(minutes=1)

    def issue_json(
        self,
        repo: FakeRepo,
        number: int,
        *,
        created: datetime,
        pr: bool = False,
        state: str = "open",
        labels: tuple[str, ...] = (),
        **extra,
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
            "assignee": None,
            "assignees": [],
            "milestone": None,
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
        item.update(extra)
        return item

    def add_comment(
        self, repo: FakeRepo, number: int, body: str, *, at: datetime, login: str = "hubot"
    ) -> dict:
        comment_id = 9_000_000 + len(repo.comments) + 1
        stamp = at.strftime("%Y-%m-%dT%H:%M:%SZ")
        comment = {
            "id": comment_id,
            "node_id": f"IC_{comment_id}",
            "url": f"{self.url}/repos/{repo.owner}/{repo.name}/issues/comments/{comment_id}",
            "html_url": f"https://github.com/{repo.owner}/{repo.name}/issues/{number}"
            f"#issuecomment-{comment_id}",
            "issue_url": f"{self.url}/repos/{repo.owner}/{repo.name}/issues/{number}",
            "body": body,
            "user": {"login": login, "id": 1, "type": "User"},
            "created_at": stamp,
            "updated_at": stamp,
            "author_association": "CONTRIBUTOR",
        }
        repo.comments.append(comment)
        for issue in repo.issues:
            if issue["number"] == number:
                issue["comments"] += 1
        return comment

    def list_requests(self, suffix: str = "/issues") -> list[Recorded]:
        return [r for r in self.requests if r.path.endswith(suffix)]

    # --- HTTP ------------------------------------------------------------------------
    def rate_headers(self) -> dict[str, str]:
        return {
            "x-ratelimit-limit": "5000",
            "x-ratelimit-remaining": "0" if self.rate_limited else str(self.remaining),
            "x-ratelimit-used": str(5000 - self.remaining),
            "x-ratelimit-reset": str(self.reset_at),
            "x-ratelimit-resource": "core",
        }

    def reply(self, request: Recorded) -> tuple[int, bytes, dict[str, str]]:
        """The full answer: status, body bytes, headers (conditional requests applied)."""
        for hook in self.hooks:
            if (scripted := hook(request)) is not None:
                status, payload, headers = scripted
                body = b"" if payload is None else json.dumps(payload).encode()
                return status, body, {**self.rate_headers(), **headers}
        status, payload, headers = self.route(request)
        body = json.dumps(payload).encode()
        if status == 200:
            etag = 'W/"' + hashlib.md5(body).hexdigest() + '"'
            headers = {"ETag": etag, **headers}
            if _not_modified(request.headers, etag, headers.get("Last-Modified")):
                return 304, b"", {**self.rate_headers(), **headers}  # free: not counted
        if status != 304 and not self.rate_limited:
            self.remaining = max(0, self.remaining - 1)
        return status, body, {**self.rate_headers(), **headers}

    def route(self, request: Recorded) -> Reply:
        authorization = request.headers.get("Authorization") or ""
        token = authorization.removeprefix("Bearer ").removeprefix("token ")
        if self.valid_token is not None and token != self.valid_token:
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
        path, query = request.path, request.query
        parts = path.strip("/").split("/")
        not_found = (404, {"message": "Not Found", "documentation_url": DOCS, "status": "404"}, {})
        repo, rest = None, []
        if parts[0] == "repos" and len(parts) >= 3:
            key = f"{parts[1]}/{parts[2]}".lower()
            if key in self.moved and key not in self.repos:
                target = f"{self.url}/repositories/{self.moved[key]}" + "".join(
                    f"/{p}" for p in parts[3:]
                )
                if query:
                    target += "?" + urlencode(query)
                body = {"message": "Moved Permanently", "url": target, "documentation_url": DOCS}
                return 301, body, {"Location": target}
            repo, rest = self.repos.get(key), parts[3:]
        elif parts[0] == "repositories" and len(parts) >= 2:
            repo = next((r for r in self.repos.values() if str(r.id) == parts[1]), None)
            rest = parts[2:]
        if parts[0] in ("repos", "repositories"):
            if repo is None:
                return not_found
            if not rest:
                last_modified = format_datetime(repo.updated_at, usegmt=True)
                return 200, self._repo_json(repo), {"Last-Modified": last_modified}
            if rest == ["issues"]:
                return self._paged(path, query, self._filter_issues(repo, query))
            if rest == ["issues", "comments"]:
                return self._paged(path, query, self._filter_comments(repo, query))
            if rest == ["milestones"]:
                return self._paged(path, query, repo.milestones)
            return not_found
        if parts == ["search", "issues"]:
            return self._search(path, query)
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
            return self._paged(path, query, owned)
        return not_found

    def _repo_json(self, repo: FakeRepo) -> dict:
        kind = self.accounts.get(repo.owner.lower(), "User")
        return {
            "id": repo.id,
            "node_id": f"R_{repo.id}",
            "name": repo.name,
            "full_name": f"{repo.owner}/{repo.name}",
            "owner": {"login": repo.owner, "id": 7, "type": kind},
            "private": False,
            "description": repo.description,
            "html_url": f"https://github.com/{repo.owner}/{repo.name}",
            "url": f"{self.url}/repos/{repo.owner}/{repo.name}",
            "open_issues_count": len(repo.issues),
            "updated_at": repo.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }

    def _filter_issues(self, repo: FakeRepo, query: dict) -> list[dict]:
        state = query.get("state", "open")
        wanted = set(filter(None, query.get("labels", "").split(",")))
        since = query.get("since")
        sort = query.get("sort", "created")
        milestone = query.get("milestone")

        def keep(item) -> bool:
            try:
                return matches(item)
            except (AttributeError, KeyError, TypeError):  # hostile test data: pass it on
                return True

        def matches(item: dict) -> bool:
            assignees = {a["login"] for a in item.get("assignees") or []}
            number = (item.get("milestone") or {}).get("number")
            return (
                (state == "all" or item["state"] == state)
                and wanted <= {label["name"] for label in item["labels"]}
                and (since is None or item["updated_at"] >= since)
                and ("creator" not in query or item["user"]["login"] == query["creator"])
                and ("assignee" not in query or _matches(query["assignee"], assignees))
                and ("mentioned" not in query or f"@{query['mentioned']}" in item["body"])
                and (milestone is None or _matches(milestone, {str(number)} if number else set()))
            )

        key = {"created": "created_at", "updated": "updated_at", "comments": "comments"}[sort]
        reverse = query.get("direction", "desc") == "desc"
        order = lambda i: str(i.get(key)) if isinstance(i, dict) else ""  # noqa: E731
        return sorted(filter(keep, repo.issues), key=order, reverse=reverse)

    def _filter_comments(self, repo: FakeRepo, query: dict) -> list[dict]:
        since = query.get("since")
        items = [c for c in repo.comments if since is None or c["updated_at"] >= since]
        return sorted(items, key=lambda c: (c["updated_at"], c["id"]))

    def _search(self, path: str, query: dict) -> Reply:
        """GitHub's issue search: qualifiers, free text in title/body, at most 1000 hits."""
        q = query.get("q", "")
        terms = re.findall(r'(\w+):(>=)?("[^"]*"|\S+)|(\S+)', q)
        items = [i for r in self.repos.values() for i in r.issues]
        for key, _op, value, word in terms:
            value = value.strip('"')
            if word:
                items = [i for i in items if word.lower() in (i["title"] + i["body"]).lower()]
            elif key == "repo":
                items = [i for i in items if f"/repos/{value.lower()}/" in i["url"].lower()]
            elif key == "is":
                items = [i for i in items if ("pull_request" in i) == (value == "pr")]
            elif key == "state":
                items = [i for i in items if i["state"] == value]
            elif key == "label":
                items = [i for i in items if value in {label["name"] for label in i["labels"]}]
            elif key == "author":
                items = [i for i in items if i["user"]["login"] == value]
            elif key == "updated":
                items = [i for i in items if i["updated_at"] >= value]
        items.sort(key=lambda i: i["updated_at"], reverse=query.get("order", "desc") == "desc")
        status, page, headers = self._paged(path, query, items[:1000])
        return (
            status,
            {"total_count": len(items), "incomplete_results": False, "items": page},
            headers,
        )

    def _paged(self, path: str, query: dict, items: list) -> Reply:
        per_page = min(int(query.get("per_page", 30)), 100)
        page = int(query.get("page", 1))
        last = max(1, -(-len(items) // per_page))
        chunk = items[(page - 1) * per_page : page * per_page]
        links = []
        if page < last:
            links.append(f'<{self.url}{path}?{urlencode({**query, "page": page + 1})}>; rel="next"')
            links.append(f'<{self.url}{path}?{urlencode({**query, "page": last})}>; rel="last"')
        return 200, chunk, ({"Link": ", ".join(links)} if links else {})

    def _github_handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:
                parsed = urlparse(self.path)
                query = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
                request = Recorded(self.command, parsed.path, query, dict(self.headers))
                fake.requests.append(request)
                status, body, headers = fake.reply(request)
                fake.replies.append(status)
                self.send_response(status)
                if status != 304:
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

        return Handler


def _matches(wanted: str, values: set[str]) -> bool:
    if wanted == "*":
        return bool(values)
    if wanted == "none":
        return not values
    return wanted in values


def _not_modified(headers: dict, etag: str, last_modified: str | None) -> bool:
    lower = {k.lower(): v for k, v in headers.items()}
    if "if-none-match" in lower:
        return etag in [tag.strip() for tag in lower["if-none-match"].split(",")]
    if last_modified and "if-modified-since" in lower:
        try:
            return parsedate_to_datetime(last_modified) <= parsedate_to_datetime(
                lower["if-modified-since"]
            )
        except (TypeError, ValueError):
            return False
    return False
