"""The one door to GitHub (the book's "Githubber" extension), through PyGithub.

Settings: GITHUB_API_URL (tests point it at a local fake), GITHUB_TOKEN (optional:
anonymous access is limited to 60 requests/hour), GITHUB_PER_PAGE (100, so N issues
cost ceil(N/100) list requests), GITHUB_TIMEOUT, GITHUB_MIN_INTERVAL.
Retries are off: an exhausted rate limit fails at once with its reset time instead
of PyGithub sleeping silently until the reset.
"""

from datetime import UTC, datetime
from functools import lru_cache

import requests
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from github import Auth, Github, GithubException, RateLimitExceededException


class GitHubError(Exception):
    """A failure worth one clear line to the user. `reset_at` is set for rate limits;
    `transient` marks network failures that a later try may get past."""

    def __init__(
        self, message: str, *, reset_at: datetime | None = None, transient: bool = False
    ) -> None:
        super().__init__(message)
        self.reset_at = reset_at
        self.transient = transient


@lru_cache(maxsize=1)
def _client(base_url: str, token: str, per_page: int, timeout: int, interval: float) -> Github:
    return Github(
        auth=Auth.Token(token) if token else None,
        base_url=base_url,
        per_page=per_page,
        timeout=timeout,
        retry=None,
        seconds_between_requests=interval or None,
        user_agent="blueprints-hublot",
    )


def get_github() -> Github:
    return _client(
        settings.GITHUB_API_URL.rstrip("/"),
        settings.GITHUB_TOKEN,
        settings.GITHUB_PER_PAGE,
        settings.GITHUB_TIMEOUT,
        settings.GITHUB_MIN_INTERVAL,
    )


def is_anonymous() -> bool:
    return not settings.GITHUB_TOKEN


@receiver(setting_changed)
def _forget_client(setting: str, **kwargs) -> None:
    if setting.startswith("GITHUB_"):
        _client.cache_clear()


def _header(headers: dict | None, name: str) -> str | None:
    for key, value in (headers or {}).items():
        if key.lower() == name:
            return value
    return None


def describe(error: Exception, *, repository: str | None = None) -> GitHubError:
    """Turn a PyGithub/requests failure into the one-line message users see."""
    if isinstance(error, GithubException):
        headers = getattr(error, "headers", None)
        remaining = _header(headers, "x-ratelimit-remaining")
        if isinstance(error, RateLimitExceededException) or (
            error.status in (403, 429) and remaining == "0"
        ):
            reset = reset_time(_header(headers, "x-ratelimit-reset"))
            return GitHubError(_rate_limit_message(reset), reset_at=reset)
        if error.status == 401:
            return GitHubError("GitHub rejected the credentials: check GITHUB_TOKEN.")
        if error.status == 404 and repository:
            return GitHubError(
                f"Repository {repository} not found on GitHub (or the token cannot see it)."
            )
        message = error.data.get("message") if isinstance(error.data, dict) else str(error.data)
        return GitHubError(f"GitHub API error {error.status}: {message}")
    if isinstance(error, requests.RequestException):
        return GitHubError(
            f"Could not reach GitHub: {error.__class__.__name__}: {error}", transient=True
        )
    return GitHubError(str(error))


def reset_time(reset_header: str | None) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(reset_header), tz=UTC) if reset_header else None
    except (TypeError, ValueError):
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
