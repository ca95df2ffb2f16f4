"""X OAuth 2 access tokens, refreshed before they lapse."""

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from recipes import selectors
from recipes.clients import RemoteError, XClient


class ReconnectNeeded(RemoteError):
    """X no longer accepts the refresh token: only the user can reconnect."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"X refused to refresh the access token ({reason}).", status=401)


# Refresh this long before X's expiry, so a token does not lapse during the request.
X_TOKEN_MARGIN = timedelta(minutes=2)


def x_access_token(user: AbstractBaseUser, *, force: bool = False) -> str | None:
    """The user's X access token, refreshed first when it has expired (X's last about
    2 hours) or `force` says X refused it. None when X is not connected; raises
    ReconnectNeeded when X refuses the refresh token, RemoteError when X is down."""
    from allauth.socialaccount.adapter import get_adapter
    from allauth.socialaccount.models import SocialToken

    provider = selectors.PROVIDER_IDS["twitter"]
    tokens = SocialToken.objects.filter(account__user=user, account__provider=provider)
    current = tokens.first()
    if current is None or not current.token:
        return None
    if not force and not _x_token_expired(current):
        return current.token
    with transaction.atomic():
        locked = tokens.select_for_update().filter(pk=current.pk).first()
        if locked is None:
            return None
        if locked.token != current.token and not _x_token_expired(locked):
            return locked.token  # another worker refreshed it meanwhile
        if not locked.token_secret:
            raise ReconnectNeeded("no refresh token was granted")
        apps = get_adapter().list_apps(None, provider=provider)
        if not apps:
            raise ReconnectNeeded("sign-in with X is not configured")
        try:
            answer = XClient.refresh(
                locked.token_secret, client_id=apps[0].client_id, secret=apps[0].secret
            )
        except RemoteError as error:
            if error.retryable:
                raise
            raise ReconnectNeeded(str(error)) from None
        if not isinstance(answer.get("access_token"), str) or not answer["access_token"]:
            raise RemoteError("X answered a refresh without an access token.")
        locked.token = answer["access_token"]
        locked.token_secret = answer.get("refresh_token") or locked.token_secret
        expires_in = answer.get("expires_in")
        locked.expires_at = (
            timezone.now() + timedelta(seconds=expires_in)
            if isinstance(expires_in, int) and expires_in > 0
            else None
        )
        locked.save(update_fields=["token", "token_secret", "expires_at"])
        return locked.token


def _x_token_expired(token) -> bool:
    return token.expires_at is not None and token.expires_at <= timezone.now() + X_TOKEN_MARGIN


class _RefreshingXClient:
    """XClient with the user's token, refreshed when expired and once more when X
    answers 401 to it (revoked early, clocks apart)."""

    def __init__(self, user: AbstractBaseUser) -> None:
        self.user, self.client = user, None

    def _call(self, name: str, *args, **kwargs):
        if self.client is None:  # here, so refresh errors are the call's errors
            self.client = XClient(x_access_token(self.user) or "")
        try:
            result = getattr(self.client, name)(*args, **kwargs)
            return list(result) if name == "posts_since" else result
        except RemoteError as error:
            if error.status != 401 or isinstance(error, ReconnectNeeded):
                raise
        self.client = XClient(x_access_token(self.user, force=True) or "")
        result = getattr(self.client, name)(*args, **kwargs)
        return list(result) if name == "posts_since" else result

    def post(self, text: str) -> str:
        return self._call("post", text)

    def posts_since(self, user_id: str, since, *, max_pages: int):
        return self._call("posts_since", user_id, since, max_pages=max_pages)

    def following_ids(self, user_id: str, *, max_pages: int) -> list[str]:
        return self._call("following_ids", user_id, max_pages=max_pages)
