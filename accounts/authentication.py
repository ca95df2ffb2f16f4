"""DRF's token scheme with the token → user lookup cached in two layers.

Every API request sent with a token would otherwise cost a database round trip
before the view runs. The shared layer (Redis) holds the user for a few minutes
and is dropped as soon as the token is deleted or the user saved (see
accounts.receivers). Each worker process also remembers a token's user for
API_TOKEN_LOCAL_SECONDS (default 2 s) to spare the Redis round trip on busy
clients; that is the longest a revoked token or deactivated user is still
accepted by a worker that served it just before.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from drf_spectacular.authentication import BasicScheme
from rest_framework.authentication import BasicAuthentication, TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.renderers import BrowsableAPIRenderer

from accounts.bruteforce import LoginBlocked
from project.cache import optional_read, optional_write
from project.middleware import has_unstorable

TOKEN_CACHE_SECONDS = 5 * 60
LOCAL_MAX_ENTRIES = 10_000

# token key -> (user, trusted until [time.monotonic()]); one per worker process
_local: dict[str, tuple[object, float]] = {}


def token_cache_key(key: str) -> str:
    # Hashed, so the cache never holds a usable credential in its key space.
    return "authtoken:" + hashlib.sha256(key.encode()).hexdigest()


def forget_tokens(keys: list[str]) -> None:
    cache.delete_many([token_cache_key(key) for key in keys])
    for key in keys:
        _local.pop(key, None)


def forget_all_locally() -> None:
    _local.clear()


def _remember_locally(key: str, user) -> None:
    if settings.API_TOKEN_LOCAL_SECONDS <= 0:
        return
    if len(_local) >= LOCAL_MAX_ENTRIES:
        _local.clear()  # crude but bounded; refilled from Redis at once
    _local[key] = (user, time.monotonic() + settings.API_TOKEN_LOCAL_SECONDS)


class CachedTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str):
        if (hit := _local.get(key)) is not None and hit[1] > time.monotonic():
            return hit[0], Token(key=key, user=hit[0])
        cache_key = token_cache_key(key)
        user = optional_read(lambda: cache.get(cache_key), None)  # Redis down: ask the DB
        if user is None:
            user, token = super().authenticate_credentials(key)  # raises: unknown/inactive
            optional_write(lambda: cache.set(cache_key, user, TOKEN_CACHE_SECONDS))
        else:
            token = Token(key=key, user=user)
        _remember_locally(key, user)
        return user, token


def _is_browser(request) -> bool:
    # Browsers send Fetch metadata with every request (pages and scripts alike); the
    # browsable API is HTML, so whoever asked for it is a browser too.
    renderer = getattr(request, "accepted_renderer", None)
    return "sec-fetch-mode" in request.headers or isinstance(renderer, BrowsableAPIRenderer)


class RateLimitedBasicAuthentication(BasicAuthentication):
    """HTTP Basic under the brute-force policy (accounts.bruteforce): each guess costs
    an Argon2 hash, so failures are limited like the web login's; 429 + Retry-After.
    Credentials, hidden from the middleware in base64, may not carry NUL either
    (PostgreSQL refuses it in the username lookup: a 500 instead of a 401).

    Only non-browser clients are challenged with `Basic`: that challenge makes a browser
    pop up its own password dialog (over the browsable API's "Log in" link, or over
    Swagger UI's calls); browsers get the token scheme's challenge instead, which keeps
    the 401 but shows no dialog. Basic credentials are accepted from everyone."""

    def authenticate_credentials(self, userid, password, request=None):
        if has_unstorable(userid) or has_unstorable(password):
            raise AuthenticationFailed("Invalid username/password.")
        try:
            return super().authenticate_credentials(userid, password, request)
        except LoginBlocked as blocked:
            from project.exceptions import login_blocked_as_throttled

            raise login_blocked_as_throttled(blocked) from None

    def authenticate_header(self, request) -> str:
        if _is_browser(request):
            return CachedTokenAuthentication().authenticate_header(request)
        return super().authenticate_header(request)


class RateLimitedBasicScheme(BasicScheme):
    """Keep `basicAuth` in the OpenAPI schema for the subclass above."""

    target_class = RateLimitedBasicAuthentication
    priority = 0
