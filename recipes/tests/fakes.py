"""Local stand-ins for X (API v2 + OAuth 2) and Facebook's Graph API, in their wire formats."""

from __future__ import annotations

import base64
import itertools
import re
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

from project.tests.fake_http import FakeHTTPServer, Recorded

URL_PATTERN = re.compile(r"https?://\S+")


def _x_time(value: str) -> datetime | None:
    """X's ISO 8601 (YYYY-MM-DDTHH:mm:ssZ, fractions allowed)."""
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _x_invalid(parameter: str, value: str, message: str):
    return (
        400,
        {
            "errors": [{"parameters": {parameter: [value]}, "message": message}],
            "title": "Invalid Request",
            "detail": "One or more parameters to your request was invalid.",
            "type": "https://api.twitter.com/2/problems/invalid-request",
        },
        {},
    )


def _cursor(index: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{index}".encode()).decode().rstrip("=")


def _uncursor(token: str) -> int | None:
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        return int(text.removeprefix("offset:")) if text.startswith("offset:") else None
    except ValueError:
        return None


X_UNAUTHORIZED = {
    "title": "Unauthorized",
    "type": "about:blank",
    "status": 401,
    "detail": "Unauthorized",
}


class FakeX(FakeHTTPServer):
    def __init__(self) -> None:
        super().__init__()
        self.ids = itertools.count(1_800_000_000_000_000_001)
        self.identities: dict[str, dict] = {}  # oauth code -> {"id", "name", "username"}
        self.tokens: dict[str, dict] = {}  # access token -> identity
        self.tweets: list[dict] = []  # {"id", "text", "author_id"[, "created_at"]}
        self.following: dict[str, list[str]] = {}  # user id -> followed ids
        self.fail_next: list[int] = []  # statuses to answer POST /2/tweets with, in order
        self.hold_posts = False  # record a tweet, then wait for `release` before answering
        self.received_post = threading.Event()
        self.release = threading.Event()
        self.after_post = None  # called with each new tweet before the answer goes out
        self.post_delay = 0.0  # seconds each POST /2/tweets takes
        self._lock = threading.Lock()
        self.refresh_tokens: dict[str, dict] = {}  # refresh token -> identity (single use)

    def expire(self, token: str) -> None:
        """The access token's two hours are over: X answers 401 to it."""
        self.tokens.pop(token, None)

    def _refresh(self, request: Recorded):
        """X rotates refresh tokens: each works once, and gives a new pair."""
        identity = self.refresh_tokens.pop(request.form.get("refresh_token", ""), None)
        if identity is None or request.form.get("client_id") != "x-client":
            return (
                400,
                {
                    "error": "invalid_request",
                    "error_description": "Value passed for the token was invalid.",
                },
                {},
            )
        token = f"x-token-{identity['id']}-r{len(self.requests)}"
        self.tokens[token] = identity
        self.refresh_tokens[f"refresh-{token}"] = identity
        body = {"token_type": "bearer", "expires_in": 7200, "access_token": token}
        return 200, {**body, "refresh_token": f"refresh-{token}"}, {}

    def identity(self, code: str, *, uid: str, username: str) -> None:
        self.identities[code] = {"id": uid, "name": username.title(), "username": username}

    def token_for(self, uid: str, token: str = "") -> str:
        token = token or f"x-token-{uid}"
        self.tokens[token] = {"id": uid, "username": f"user{uid}", "name": f"User {uid}"}
        return token

    def route(self, request: Recorded):
        path = request.path
        if path == "/2/oauth2/token" and request.method == "POST":
            if request.form.get("grant_type") == "refresh_token":
                return self._refresh(request)
            identity = self.identities.get(request.form.get("code", ""))
            if identity is None:
                return (
                    400,
                    {
                        "error": "invalid_request",
                        "error_description": "Value passed for the authorization code was invalid.",
                    },
                    {},
                )
            token = self.token_for(identity["id"], f"x-token-{identity['id']}-{len(self.requests)}")
            self.tokens[token] = identity
            self.refresh_tokens[f"refresh-{token}"] = identity
            return (
                200,
                {
                    "token_type": "bearer",
                    "expires_in": 7200,
                    "access_token": token,
                    "scope": "tweet.read tweet.write users.read follows.read offline.access",
                    "refresh_token": f"refresh-{token}",
                },
                {},
            )
        me = self.tokens.get(request.bearer or "")
        if me is None:
            return 401, X_UNAUTHORIZED, {}
        if path == "/2/users/me":
            return 200, {"data": me}, {}
        if path == "/2/tweets" and request.method == "POST":
            return self._post_tweet(me, request.json.get("text", ""))
        parts = path.strip("/").split("/")
        if len(parts) == 4 and parts[:2] == ["2", "users"] and parts[3] == "tweets":
            return self._timeline_page(parts[2], request.query)
        if len(parts) == 4 and parts[:2] == ["2", "users"] and parts[3] == "following":
            return self._following_page(parts[2], request.query)
        return (
            404,
            {
                "title": "Not Found Error",
                "type": "about:blank",
                "status": 404,
                "detail": "Not found",
            },
            {},
        )

    def _timeline_page(self, uid: str, query: dict):
        """GET /2/users/:id/tweets: newest first, `start_time`, `max_results` (5-100,
        default 10), opaque `pagination_token` / `meta.next_token`; links in the text
        are t.co, their full URLs in `entities.urls` when tweet.fields asks for them."""
        size = query.get("max_results", "10")
        if not size.isdigit() or not 5 <= int(size) <= 100:
            message = f"The `max_results` query parameter value [{size}] is not between 5 and 100"
            return _x_invalid("max_results", size, message)
        start_time = None
        if "start_time" in query:
            start_time = _x_time(query["start_time"])
            if start_time is None:
                message = f"Invalid 'start_time':'{query['start_time']}'."
                return _x_invalid("start_time", query["start_time"], message)
        start = 0
        if "pagination_token" in query:
            start = _uncursor(query["pagination_token"])
            if start is None:
                message = "The `pagination_token` query parameter value is not valid"
                return _x_invalid("pagination_token", query["pagination_token"], message)
        with self._lock:
            tweets = list(self.tweets)
        mine = [
            t
            for t in reversed(tweets)
            if t["author_id"] == uid
            and (start_time is None or t.get("created_at", datetime.now(UTC)) >= start_time)
        ]
        chunk = mine[start : start + int(size)]
        fields = set(query.get("tweet.fields", "").split(","))
        data = [self._rendered(t, fields) for t in chunk]
        meta: dict = {"result_count": len(chunk)}
        if chunk:
            meta |= {"newest_id": chunk[0]["id"], "oldest_id": chunk[-1]["id"]}
        if start + int(size) < len(mine):
            meta["next_token"] = _cursor(start + int(size))
        return 200, {"data": data, "meta": meta} if data else {"meta": meta}, {}

    @staticmethod
    def _rendered(tweet: dict, fields: set[str]) -> dict:
        text, urls = tweet["text"], []
        for number, match in enumerate(URL_PATTERN.finditer(tweet["text"])):
            short = f"https://t.co/{tweet['id'][-6:]}{number:04d}"
            urls.append({"url": short, "expanded_url": match.group(), "display_url": "…"})
            text = text.replace(match.group(), short, 1)
        for url in urls:
            url["start"] = text.index(url["url"])
            url["end"] = url["start"] + len(url["url"])
        item = {"id": tweet["id"], "text": text, "edit_history_tweet_ids": [tweet["id"]]}
        if "created_at" in fields:
            created = tweet.get("created_at", datetime.now(UTC))
            item["created_at"] = created.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        if "entities" in fields and urls:
            item["entities"] = {"urls": urls}
        return item

    def _post_tweet(self, me: dict, text: str):
        if self.post_delay:
            time.sleep(self.post_delay)
        if self.fail_next:
            status = self.fail_next.pop(0)
            headers = {"x-rate-limit-reset": str(int(time.time()) + 90)} if status == 429 else {}
            return (
                status,
                {
                    "title": "Service Unavailable" if status >= 500 else "Error",
                    "status": status,
                    "detail": f"Simulated {status}",
                    "type": "about:blank",
                },
                headers,
            )
        if any(t["text"] == text and t["author_id"] == me["id"] for t in self.tweets):
            return (
                403,
                {
                    "detail": "You are not allowed to create a Tweet with duplicate content.",
                    "type": "about:blank",
                    "title": "Forbidden",
                    "status": 403,
                },
                {},
            )
        with self._lock:
            tweet = {
                "id": str(next(self.ids)),
                "text": text,
                "author_id": me["id"],
                "created_at": datetime.now(UTC),
            }
            self.tweets.append(tweet)
        if self.after_post:
            self.after_post(tweet)
        if self.hold_posts:
            self.received_post.set()
            self.release.wait(timeout=60)
        return (
            201,
            {"data": {"id": tweet["id"], "text": text, "edit_history_tweet_ids": [tweet["id"]]}},
            {},
        )

    def _following_page(self, uid: str, query: dict):
        ids = self.following.get(uid, [])
        size = int(query.get("max_results", 100))
        start = int(query.get("pagination_token", "0") or 0)
        chunk = ids[start : start + size]
        meta = {"result_count": len(chunk)}
        if start + size < len(ids):
            meta["next_token"] = str(start + size)
        data = [{"id": i, "name": f"Person {i}", "username": f"person{i}"} for i in chunk]
        return 200, {"data": data, "meta": meta}, {}


def _graph_error(message: str, code: int) -> dict:
    return {"error": {"message": message, "type": "OAuthException", "code": code}}


class FakeFacebook(FakeHTTPServer):
    def __init__(self) -> None:
        super().__init__()
        self.codes: dict[str, dict] = {}  # oauth code -> profile
        self.tokens: dict[str, dict] = {}
        self.friends: dict[str, list[str]] = {}
        self.page_posts: list[dict] = []
        self.page_token = "page-token"

    def profile(self, code: str, *, uid: str, name: str, email: str) -> None:
        self.codes[code] = {
            "id": uid,
            "name": name,
            "email": email,
            "first_name": name.split()[0],
            "last_name": name.split()[-1],
        }

    def token_for(self, uid: str) -> str:
        token = f"fb-token-{uid}"
        self.tokens[token] = {"id": uid, "name": f"Friend {uid}"}
        return token

    def _feed_page(self, page_id: str, token: str, query: dict):
        """GET /<page-id>/feed: newest first, `since` (unix time), `limit` (at most 100),
        `fields`, cursor pages whose `paging.next` is a complete URL."""
        limit = min(100, int(query["limit"])) if query.get("limit", "").isdigit() else 25
        since = int(query["since"]) if query.get("since", "").isdigit() else None
        start = _uncursor(query["after"]) if "after" in query else 0
        if start is None:
            return 400, _graph_error("Invalid cursor", 100), {}
        posts = [
            p
            for p in reversed(self.page_posts)
            if since is None or p.get("created_time", datetime.now(UTC)).timestamp() >= since
        ]
        chunk = posts[start : start + limit]
        fields = set(query.get("fields", "id,message").split(",")) | {"id"}
        data = []
        for post in chunk:
            item = {k: v for k, v in post.items() if k in fields and k != "created_time"}
            if "created_time" in fields:
                created = post.get("created_time", datetime.now(UTC))
                item["created_time"] = created.strftime("%Y-%m-%dT%H:%M:%S+0000")
            data.append(item)
        body: dict = {"data": data}
        if chunk:
            body["paging"] = {
                "cursors": {"before": _cursor(start), "after": _cursor(start + limit)}
            }
            if start + limit < len(posts):
                rest = {k: v for k, v in query.items() if k != "after"}
                rest |= {"access_token": token, "after": _cursor(start + limit)}
                body["paging"]["next"] = f"{self.url}/{page_id}/feed?{urlencode(rest)}"
        return 200, body, {}

    def route(self, request: Recorded):
        params = {**request.query, **request.form}
        if request.path.endswith("/oauth/access_token"):
            profile = self.codes.get(params.get("code", ""))
            if profile is None:
                return (
                    400,
                    {
                        "error": {
                            "message": "Invalid verification code format.",
                            "type": "OAuthException",
                            "code": 100,
                        }
                    },
                    {},
                )
            token = f"fb-token-{profile['id']}"
            self.tokens[token] = profile
            return 200, {"access_token": token, "token_type": "bearer", "expires_in": 5183944}, {}
        token = params.get("access_token", "")
        parts = request.path.strip("/").split("/")
        if parts[-1] == "feed" and len(parts) == 2:
            if token != self.page_token:
                return (
                    400,
                    {
                        "error": {
                            "message": "Invalid OAuth access token.",
                            "type": "OAuthException",
                            "code": 190,
                        }
                    },
                    {},
                )
            if request.method == "POST":
                post = {
                    "id": f"{parts[0]}_{len(self.page_posts) + 1}",
                    "message": params.get("message", ""),
                    "link": params.get("link", ""),
                    "created_time": datetime.now(UTC),
                }
                self.page_posts.append(post)
                return 200, {"id": post["id"]}, {}
            return self._feed_page(parts[0], token, request.query)
        me = self.tokens.get(token)
        if me is None:
            return (
                400,
                {
                    "error": {
                        "message": "Invalid OAuth access token.",
                        "type": "OAuthException",
                        "code": 190,
                    }
                },
                {},
            )
        if parts == ["me"]:
            return 200, me, {}
        if parts == ["me", "friends"]:
            ids = self.friends.get(me["id"], [])
            offset, size = int(request.query.get("offset", 0)), int(request.query.get("limit", 500))
            body = {
                "data": [{"id": i, "name": f"Friend {i}"} for i in ids[offset : offset + size]],
                "summary": {"total_count": len(ids)},
            }
            if offset + size < len(ids):
                query = urlencode({"access_token": token, "limit": size, "offset": offset + size})
                body["paging"] = {"next": f"{self.url}/me/friends?{query}"}
            return 200, body, {}
        return (
            404,
            {
                "error": {
                    "message": "Unknown path components",
                    "type": "OAuthException",
                    "code": 2500,
                }
            },
            {},
        )


class FakeRecipeSite(FakeHTTPServer):
    """A recipe website: pages by path (HTML bytes), redirects, slow and huge answers."""

    PAGES = Path(__file__).parent / "pages"

    def __init__(self) -> None:
        super().__init__()
        self.pages: dict[str, tuple[int, bytes, dict[str, str]]] = {}
        self.delay = 0.0
        for page in self.PAGES.glob("*.html"):
            self.page(f"/{page.stem}/", page.read_bytes())

    def page(self, path: str, html: bytes, status: int = 200, **headers: str) -> str:
        self.pages[path] = (status, html, headers)
        return f"{self.url}{path}"

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        return self.page(path, b"", status, Location=location)

    def route(self, request: Recorded):
        if self.delay:
            time.sleep(self.delay)  # the site is slow; the importer's deadline must cut it
        return self.pages.get(request.path, (404, b"<h1>Not found</h1>", {}))
