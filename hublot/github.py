"""The one door to GitHub's REST API (the book's "Githubber" extension).

A thin `requests` client rather than PyGithub: Hublot needs what PyGithub hides,
namely conditional requests (ETag/Last-Modified -> 304, free against the rate limit)
on paginated lists, `Retry-After` honoured up to a cap instead of silent sleeps,
and the raw JSON of each page (no lazy per-item requests).

Settings: GITHUB_API_URL (tests point it at a local fake), GITHUB_TOKEN (optional:
anonymous access is limited to 60 requests/hour), GITHUB_PER_PAGE (100, so N issues
cost ceil(N/100) list requests), GITHUB_TIMEOUT, GITHUB_RETRY_AFTER_MAX_SECONDS.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

import requests
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

API_VERSION = "2022-11-28"
MAX_RETRY_AFTER_ATTEMPTS = 3
# GitHub: a secondary limit without Retry-After means "wait at least one minute".
SECONDARY_DEFAULT_WAIT = 60

sleep = time.sleep  # patched in tests: no real waiting


class GitHubError(Exception):
    """A failure worth one clear line to the user. `reset_at` is set for rate limits
    (primary or secondary: when to come back); `transient` marks failures that a later
    try may get past (network, 5xx); `status` is the HTTP status, if any."""

    def __init__(
        self,
        message: str,
        *,
        reset_at: datetime | None = None,
        transient: bool = False,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.reset_at = reset_at
        self.transient = transient
        self.status = status


@dataclass
class Page:
    status: int
    data: object
    headers: requests.structures.CaseInsensitiveDict
    url: str

    @property
    def not_modified(self) -> bool:
        return self.status == HTTPStatus.NOT_MODIFIED

    @property
    def validators(self) -> dict[str, str]:
        """What to send next time to get a 304 if nothing changed."""
        found = {
            "etag": self.headers.get("ETag"),
            "last_modified": self.headers.get("Last-Modified"),
        }
        return {key: value for key, value in found.items() if value}

    def link(self, rel: str) -> str | None:
        for part in (self.headers.get("Link") or "").split(","):
            url, _, params = part.partition(";")
            if f'rel="{rel}"' in params.replace(" ", ""):
                return url.strip().strip("<>")
        return None

    @property
    def last_page_number(self) -> int | None:
        last = self.link("last")
        if not last:
            return None
        page = parse_qs(urlsplit(last).query).get("page", [""])[-1]
        return int(page) if page.isdigit() and len(page) < 7 else None


class GitHubClient:
    def __init__(
        self, base_url: str, token: str, per_page: int, timeout: int, retry_after_max: int
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.per_page = per_page
        self.timeout = timeout
        self.retry_after_max = retry_after_max
        self.session = requests.Session()
        self.session.headers.update(
            {
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": API_VERSION,
                "User-Agent": "blueprints-hublot",
            }
        )
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def get(
        self, path_or_url: str, params: dict | None = None, *, validators: dict | None = None
    ) -> Page:
        """One GET (redirects followed: renamed repositories answer 301). Secondary rate
        limits are waited out when GitHub's Retry-After is within the cap."""
        url = path_or_url if "://" in path_or_url else self.base_url + path_or_url
        headers = {}
        if validators:
            if validators.get("etag"):
                headers["If-None-Match"] = validators["etag"]
            if validators.get("last_modified"):
                headers["If-Modified-Since"] = validators["last_modified"]
        for _attempt in range(MAX_RETRY_AFTER_ATTEMPTS + 1):
            try:
                response = self.session.get(
                    url, params=params, headers=headers, timeout=self.timeout
                )
            except requests.RequestException as error:
                raise GitHubError(
                    f"Could not reach GitHub: {error.__class__.__name__}: {error}",
                    transient=True,
                ) from None
            wait = secondary_wait(response)
            if wait is None:
                break
            if wait > self.retry_after_max:
                raise GitHubError(
                    _secondary_message(wait), reset_at=_in(wait), status=response.status_code
                )
            sleep(wait)
        else:
            raise GitHubError(
                _secondary_message(wait), reset_at=_in(wait), status=response.status_code
            )
        if response.status_code >= 400:
            raise http_error(response)
        data = None
        if response.status_code != HTTPStatus.NOT_MODIFIED and response.content:
            try:
                data = response.json()
            except ValueError:
                raise GitHubError(
                    f"GitHub sent a response that is not JSON ({response.status_code}).",
                    transient=True,
                    status=response.status_code,
                ) from None
        return Page(response.status_code, data, response.headers, response.url)

    def pages(
        self, path: str, params: dict | None = None, *, validators: dict | None = None
    ) -> Iterator[Page]:
        """Follow Link rel="next". Only the first page is conditional: a 304 there means
        the whole listing is unchanged, and the iteration stops after yielding it."""
        page = self.get(path, {"per_page": self.per_page, **(params or {})}, validators=validators)
        yield page
        while not page.not_modified and (next_url := page.link("next")):
            if _origin(next_url) != _origin(self.base_url):
                # The session sends the token: never to a host the Link header names.
                raise GitHubError(f"GitHub's next-page link leaves {_origin(self.base_url)}.")
            page = self.get(next_url)
            yield page


@lru_cache(maxsize=1)
def _client(
    base_url: str, token: str, per_page: int, timeout: int, retry_after_max: int
) -> GitHubClient:
    return GitHubClient(base_url, token, per_page, timeout, retry_after_max)


def get_github() -> GitHubClient:
    return _client(
        settings.GITHUB_API_URL,
        settings.GITHUB_TOKEN,
        settings.GITHUB_PER_PAGE,
        settings.GITHUB_TIMEOUT,
        settings.GITHUB_RETRY_AFTER_MAX_SECONDS,
    )


def is_anonymous() -> bool:
    return not settings.GITHUB_TOKEN


@receiver(setting_changed)
def _forget_client(setting: str, **kwargs) -> None:
    if setting.startswith("GITHUB_"):
        _client.cache_clear()


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _in(seconds: int) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=seconds)


def _message_of(response: requests.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return ""
    message = data.get("message") if isinstance(data, dict) else None
    return message.strip() if isinstance(message, str) else ""


def secondary_wait(response: requests.Response) -> int | None:
    """Seconds GitHub asks us to wait for a secondary rate limit, else None.

    GitHub signals it with 403/429 plus Retry-After, or 403/429 whose message says
    "secondary rate limit" (then: at least a minute). A primary limit (remaining 0)
    is not one: its wait is until x-ratelimit-reset, handled by http_error()."""
    if response.status_code not in (403, 429):
        return None
    retry_after = response.headers.get("Retry-After")
    if retry_after is not None:
        try:
            return max(0, int(retry_after))
        except ValueError:
            return SECONDARY_DEFAULT_WAIT
    if response.headers.get("x-ratelimit-remaining") == "0":
        return None
    if "secondary rate limit" in _message_of(response).lower():
        return SECONDARY_DEFAULT_WAIT
    return None


def http_error(response: requests.Response) -> GitHubError:
    """The one-line message for a GitHub error response (not the 404 wording: callers
    know whether the repository itself or a later page was missing)."""
    status = response.status_code
    if status in (403, 429) and response.headers.get("x-ratelimit-remaining") == "0":
        reset = reset_time(response.headers.get("x-ratelimit-reset"))
        return GitHubError(_rate_limit_message(reset), reset_at=reset, status=status)
    if status == 401:
        return GitHubError("GitHub rejected the credentials: check GITHUB_TOKEN.", status=status)
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    message = _message_of(response)
    if status >= 500:
        detail = f": {message}" if message else ""
        return GitHubError(
            f"GitHub is having trouble (HTTP {status} {phrase}){detail}; try again later.",
            transient=True,
            status=status,
        )
    detail = message or "no message"
    return GitHubError(f"GitHub API error {status} {phrase}: {detail}", status=status)


def reset_time(reset_header: str | None) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(reset_header), tz=UTC) if reset_header else None
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _rate_limit_message(reset: datetime | None) -> str:
    message = "GitHub API rate limit exceeded"
    if reset is not None:
        minutes = max(0, round((reset - datetime.now(UTC)).total_seconds() / 60))
        message += f"; resets at {reset:%Y-%m-%dT%H:%M:%SZ} (in {minutes} min)"
    message += "."
    if is_anonymous():
        message += " Set GITHUB_TOKEN for 5,000 requests/hour."
    return message


def _secondary_message(seconds: int) -> str:
    at = _in(seconds)
    return (
        f"GitHub asked us to slow down (secondary rate limit): retry after {seconds} s, "
        f"at {at:%Y-%m-%dT%H:%M:%SZ}."
    )
