"""Local stand-ins for X (API v2 + OAuth 2) and Facebook's Graph API, in their wire formats."""

from __future__ import annotations

import itertools
import threading
import time
from urllib.parse import urlencode

from project.fake_http import FakeHTTPServer, Recorded

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
        self.tweets: list[dict] = []  # {"id", "text", "author_id"}
        self.following: dict[str, list[str]] = {}  # user id -> followed ids
        self.fail_next: list[int] = []  # statuses to answer POST /2/tweets with, in order
        self.hold_posts = False  # record a tweet, then wait for `release` before answering
        self.received_post = threading.Event()
        self.release = threading.Event()

    def identity(self, code: str, *, uid: str, username: str) -> None:
        self.identities[code] = {"id": uid, "name": username.title(), "username": username}

    def token_for(self, uid: str, token: str = "") -> str:
        token = token or f"x-token-{uid}"
        self.tokens[token] = {"id": uid, "username": f"user{uid}", "name": f"User {uid}"}
        return token

    def route(self, request: Recorded):
        path = request.path
        if path == "/2/oauth2/token" and request.method == "POST":
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
            mine = [t for t in reversed(self.tweets) if t["author_id"] == parts[2]][:20]
            return (
                200,
                {
                    "data": [{"id": t["id"], "text": t["text"]} for t in mine],
                    "meta": {"result_count": len(mine)},
                },
                {},
            )
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

    def _post_tweet(self, me: dict, text: str):
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
        tweet = {"id": str(next(self.ids)), "text": text, "author_id": me["id"]}
        self.tweets.append(tweet)
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
                }
                self.page_posts.append(post)
                return 200, {"id": post["id"]}, {}
            return 200, {"data": list(reversed(self.page_posts))}, {}
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
