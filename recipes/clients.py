"""HTTP clients for X and Facebook. Base URLs come from settings (TWITTER_API_URL,
FACEBOOK_GRAPH_URL), so tests and staging talk to local fakes through the same code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

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


class XClient:
    """X API v2 with a user's OAuth 2 access token."""

    def __init__(self, token: str) -> None:
        self.base = settings.TWITTER_API_URL.rstrip("/")
        self.headers = {"Authorization": f"Bearer {token}"}

    def post(self, text: str) -> str:
        body = _request("POST", f"{self.base}/2/tweets", json={"text": text}, headers=self.headers)
        return str(body["data"]["id"])

    def recent_posts(self, user_id: str) -> list[Tweet]:
        body = _request(
            "GET",
            f"{self.base}/2/users/{user_id}/tweets",
            params={"max_results": 20},
            headers=self.headers,
        )
        return [Tweet(str(item["id"]), item.get("text", "")) for item in body.get("data") or []]

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

    def recent_page_posts(self, page_id: str) -> list[Tweet]:
        body = _request(
            "GET",
            f"{self.base}/{page_id}/feed",
            params={"fields": "id,message", "limit": 25, "access_token": self.token},
        )
        return [Tweet(str(item["id"]), item.get("message", "")) for item in body.get("data") or []]

    def friend_ids(self, *, max_pages: int) -> list[str]:
        """Friends who also use this app (all Graph pages, up to max_pages)."""
        ids: list[str] = []
        url, params = f"{self.base}/me/friends", {"access_token": self.token, "limit": 500}
        for _ in range(max_pages):
            body = _request("GET", url, params=params)
            ids += [str(item["id"]) for item in body.get("data") or []]
            url = (body.get("paging") or {}).get("next")
            if not url:
                break
            params = {}
        return ids
