"""HTTP clients for X and Facebook. Base URLs come from settings (TWITTER_API_URL,
FACEBOOK_GRAPH_URL), so tests and staging talk to local fakes through the same code."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import requests
from django.conf import settings


class RemoteError(Exception):
    """The network said no. `retryable` tells the task whether trying again can help."""

    def __init__(
        self, message: str, *, status: int | None = None, retry_after: int | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        return self.status is None or self.status >= 500 or self.status == 429


def _session() -> requests.Session:
    session = requests.Session()
    session.headers["User-Agent"] = "blueprints-recipes"
    return session


def _request(method: str, url: str, **kwargs) -> dict:
    try:
        response = _session().request(method, url, timeout=settings.RECIPES_HTTP_TIMEOUT, **kwargs)
    except requests.RequestException as error:  # timeouts, refused connections
        raise RemoteError(f"{error.__class__.__name__}: {error}") from None
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code >= 400:
        raise RemoteError(
            _error_text(body) or f"HTTP {response.status_code}",
            status=response.status_code,
            retry_after=_retry_after(response),
        )
    return body


def _error_text(body) -> str:
    if not isinstance(body, dict):
        return ""
    if isinstance(body.get("error"), dict):  # Facebook
        return body["error"].get("message", "")
    return body.get("detail") or body.get("title") or body.get("error_description") or ""


def _retry_after(response: requests.Response) -> int | None:
    reset = response.headers.get("x-rate-limit-reset")
    if reset and reset.isdigit():
        return max(1, int(reset) - int(datetime.now(UTC).timestamp()))
    after = response.headers.get("Retry-After")
    return int(after) if after and after.isdigit() else None


@dataclass(frozen=True)
class Tweet:
    id: str
    text: str
    links: tuple[str, ...] = ()  # the full URLs (X shows t.co links in the text)

    def mentions(self, marker: str) -> bool:
        return any(marker in part for part in (self.text, *self.links))


LOOKUP_PAGE_SIZE = 100  # the most either API returns per page


class XClient:
    """X API v2 with a user's OAuth 2 access token."""

    def __init__(self, token: str) -> None:
        self.base = settings.TWITTER_API_URL.rstrip("/")
        self.headers = {"Authorization": f"Bearer {token}"}

    @staticmethod
    def refresh(refresh_token: str, *, client_id: str, secret: str) -> dict:
        """A new access token (and X's rotated refresh token) for `refresh_token`:
        {"access_token", "refresh_token", "expires_in"}."""
        base = settings.TWITTER_API_URL.rstrip("/")
        data = {"grant_type": "refresh_token", "refresh_token": refresh_token}
        data["client_id"] = client_id
        auth = (client_id, secret) if secret else None  # confidential clients: Basic auth
        return _request("POST", f"{base}/2/oauth2/token", data=data, auth=auth)

    def post(self, text: str) -> str:
        body = _request("POST", f"{self.base}/2/tweets", json={"text": text}, headers=self.headers)
        return str(body["data"]["id"])

    def posts_since(self, user_id: str, since: datetime, *, max_pages: int) -> Iterator[Tweet]:
        """The user's tweets from `since` on, newest first, following every page
        (`meta.next_token`) up to max_pages."""
        params: dict = {
            "max_results": LOOKUP_PAGE_SIZE,
            "start_time": since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "tweet.fields": "created_at,entities",
        }
        for _ in range(max_pages):
            body = _request(
                "GET", f"{self.base}/2/users/{user_id}/tweets", params=params, headers=self.headers
            )
            for item in body.get("data") or []:
                urls = (item.get("entities") or {}).get("urls") or []
                links = tuple(u.get("expanded_url") or u.get("url") or "" for u in urls)
                yield Tweet(str(item["id"]), item.get("text", ""), links)
            next_token = (body.get("meta") or {}).get("next_token")
            if not next_token:
                return
            params["pagination_token"] = next_token

    def following_ids(self, user_id: str, *, max_pages: int) -> list[str]:
        """Every account the user follows (all pages, up to max_pages of 1000)."""
        ids: list[str] = []
        params: dict = {"max_results": 1000}
        for _ in range(max_pages):
            body = _request(
                "GET",
                f"{self.base}/2/users/{user_id}/following",
                params=params,
                headers=self.headers,
            )
            ids += [str(item["id"]) for item in body.get("data") or []]
            next_token = (body.get("meta") or {}).get("next_token")
            if not next_token:
                break
            params["pagination_token"] = next_token
        return ids


class FacebookClient:
    def __init__(self, token: str) -> None:
        self.base = settings.FACEBOOK_GRAPH_URL.rstrip("/")
        self.token = token

    def post_to_page(self, page_id: str, message: str, link: str) -> str:
        body = _request(
            "POST",
            f"{self.base}/{page_id}/feed",
            data={"message": message, "link": link, "access_token": self.token},
        )
        return str(body["id"])

    def page_posts_since(self, page_id: str, since: datetime, *, max_pages: int) -> Iterator[Tweet]:
        """The Page's posts from `since` on, newest first, following `paging.next`."""
        url = f"{self.base}/{page_id}/feed"
        params: dict = {
            "fields": "id,message,link",
            "since": int(since.timestamp()),
            "limit": LOOKUP_PAGE_SIZE,
            "access_token": self.token,
        }
        for _ in range(max_pages):
            body = _request("GET", url, params=params)
            for item in body.get("data") or []:
                link = item.get("link")
                yield Tweet(str(item["id"]), item.get("message", ""), (link,) if link else ())
            url = self._next_page(body)
            if not url:
                return
            params = {}  # the next URL carries them

    def friend_ids(self, *, max_pages: int) -> list[str]:
        """Friends who also use this app (all Graph pages, up to max_pages)."""
        ids: list[str] = []
        url, params = f"{self.base}/me/friends", {"access_token": self.token, "limit": 500}
        for _ in range(max_pages):
            body = _request("GET", url, params=params)
            ids += [str(item["id"]) for item in body.get("data") or []]
            url = self._next_page(body)
            if not url:
                break
            params = {}
        return ids

    def _next_page(self, body: dict) -> str | None:
        """Graph's `paging.next`, followed only when it points back at the Graph API
        (the token travels with it)."""
        url = (body.get("paging") or {}).get("next")
        if not isinstance(url, str) or urlsplit(url)[:2] != urlsplit(self.base)[:2]:
            return None
        return url
