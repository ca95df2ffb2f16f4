"""DRF's token scheme with the token → user lookup cached in two layers.

Every API request sent with a token would otherwise cost a database round trip
before the view runs. The shared layer (Redis) holds the user for a few minutes
and is dropped as soon as the token is deleted or the user saved (see
accounts.receivers). Each worker process also remembers a token's user for
API_TOKEN_LOCAL_SECONDS (default 2 s) to spare the Redis round trip on busy
clients; that is the longest a revoked token or deactivated user is still
accepted by a worker that served it just before.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from drf_spectacular.authentication import BasicScheme
from rest_framework.authentication import BasicAuthentication, TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.renderers import BrowsableAPIRenderer

from accounts.bruteforce import LoginBlocked
from accounts.models import ApiToken, hash_token_key
from project.cache import optional_read, optional_write
from project.middleware import has_unstorable

TOKEN_CACHE_SECONDS = 5 * 60
LOCAL_MAX_ENTRIES = 10_000
# A token's last_used_at is written at most this often (one UPDATE, no signals).
LAST_USED_EVERY_SECONDS = 60

# key hash -> ((user, token id), trusted until [time.monotonic()]); one per worker process
_local: dict[str, tuple[tuple[object, int], float]] = {}
# token id -> when this worker last recorded its use [time.monotonic()]
_touched: dict[int, float] = {}


def _cache_key(key_hash: str) -> str:
    return "authtoken:" + key_hash


def token_cache_key(key: str) -> str:
    # Hashed, so the cache never holds a usable credential in its key space.
    return _cache_key(hash_token_key(key))


def forget_tokens(key_hashes: list[str]) -> None:
    cache.delete_many([_cache_key(key_hash) for key_hash in key_hashes])
    for key_hash in key_hashes:
        _local.pop(key_hash, None)


def forget_all_locally() -> None:
    _local.clear()
    _touched.clear()


def _remember_locally(key_hash: str, found: tuple[object, int]) -> None:
    if settings.API_TOKEN_LOCAL_SECONDS <= 0:
        return
    if len(_local) >= LOCAL_MAX_ENTRIES:
        _local.clear()  # crude but bounded; refilled from Redis at once
    _local[key_hash] = (found, time.monotonic() + settings.API_TOKEN_LOCAL_SECONDS)


def _record_use(token_id: int) -> None:
    """last_used_at, cheaply: a dict look-up per request; per minute and token, one Redis
    claim per worker and one UPDATE in all."""
    now = time.monotonic()
    if now - _touched.get(token_id, -LAST_USED_EVERY_SECONDS) < LAST_USED_EVERY_SECONDS:
        return
    if len(_touched) >= LOCAL_MAX_ENTRIES:
        _touched.clear()
    _touched[token_id] = now
    claim = f"authtoken:used:{token_id}"
    if optional_read(lambda: cache.add(claim, 1, LAST_USED_EVERY_SECONDS), True):
        ApiToken.objects.filter(pk=token_id).update(last_used_at=timezone.now())


class CachedTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, looked up by the key's hash. `request.auth` is the
    ApiToken (only its id and user are loaded)."""

    model = ApiToken

    def authenticate_credentials(self, key: str):
        key_hash = hash_token_key(key)
        if (hit := _local.get(key_hash)) is not None and hit[1] > time.monotonic():
            found = hit[0]
        else:
            cache_key = _cache_key(key_hash)
            found = optional_read(lambda: cache.get(cache_key), None)  # Redis down: ask the DB
            if found is None:
                token = ApiToken.objects.select_related("user").filter(key_hash=key_hash).first()
                if token is None:
                    raise AuthenticationFailed("Invalid token.")
                if not token.user.is_active:
                    raise AuthenticationFailed("User inactive or deleted.")
                found = (token.user, token.pk)
                optional_write(lambda: cache.set(cache_key, found, TOKEN_CACHE_SECONDS))
            _remember_locally(key_hash, found)
        user, token_id = found
        _record_use(token_id)
        return user, ApiToken(pk=token_id, user=user)


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
            user, auth = super().authenticate_credentials(userid, password, request)
        except LoginBlocked as blocked:
            from project.exceptions import login_blocked_as_throttled

            raise login_blocked_as_throttled(blocked) from None
        from django.core.exceptions import ValidationError

        from accounts.services import user_check_email_verified, user_has_second_factor

        try:
            user_check_email_verified(user)
        except ValidationError as error:
            raise AuthenticationFailed(error.messages[0]) from None
        if user_has_second_factor(user):  # the password alone is not enough for them
            raise AuthenticationFailed(
                "This account uses two-factor authentication: HTTP Basic is not accepted. "
                "Use a token (Settings → API tokens, or POST auth/token/ with otp_code)."
            )
        return user, auth

    def authenticate_header(self, request) -> str:
        if _is_browser(request):
            return CachedTokenAuthentication().authenticate_header(request)
        return super().authenticate_header(request)


class RateLimitedBasicScheme(BasicScheme):
    """Keep `basicAuth` in the OpenAPI schema for the subclass above."""

    target_class = RateLimitedBasicAuthentication
    priority = 0
