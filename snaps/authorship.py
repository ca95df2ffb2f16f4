"""Who wrote a snap: its signed-in owner, or, for an anonymous snap, whoever holds its
secret edit token (kept in their browser as a cookie, or sent as X-Snap-Token)."""

import hashlib
import hmac

TOKEN_HEADER = "X-Snap-Token"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_cookie_name(hash_key: str) -> str:
    return f"snap_token_{hash_key}"


def is_author(snap, viewer, token: str = "") -> bool:
    if snap.user_id is None:
        return bool(token and snap.edit_token_hash) and hmac.compare_digest(
            token_hash(token), snap.edit_token_hash
        )
    return viewer is not None and viewer.is_authenticated and viewer.pk == snap.user_id


def request_token(request, hash_key: str) -> str:
    """The token a request presents for this snap: header (API) or cookie (web)."""
    return request.headers.get(TOKEN_HEADER) or request.COOKIES.get(token_cookie_name(hash_key), "")
