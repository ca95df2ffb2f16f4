"""The common-friends lookup: site users you follow on X or are friends with on Facebook."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache

from project.cache import optional_read, optional_write
from recipes import selectors
from recipes.clients import FacebookClient
from recipes.services.x_tokens import _RefreshingXClient


class NotConnected(Exception):
    def __init__(self, provider: str) -> None:
        self.provider = provider
        label = {"twitter": "X", "facebook": "Facebook"}.get(provider, provider)
        super().__init__(f"Connect your {label} account first.")


def common_friends(user: AbstractBaseUser, provider: str, *, refresh: bool = False) -> list:
    """Site users you follow on X (or your Facebook friends who use the app)."""
    account = selectors.social_account(user, provider)
    token = selectors.social_token(user, provider)
    if account is None or token is None:
        raise NotConnected(provider)
    key = f"recipes:friends:{provider}:{user.pk}"
    remote_ids = None if refresh else optional_read(lambda: cache.get(key), None)
    if remote_ids is None:
        pages = settings.RECIPES_FRIENDS_MAX_PAGES
        if provider == "twitter":
            client = _RefreshingXClient(user)
            remote_ids = client.following_ids(account.uid, max_pages=pages)
        else:
            remote_ids = FacebookClient(token).friend_ids(max_pages=pages)
        ids = remote_ids
        optional_write(lambda: cache.set(key, ids, settings.RECIPES_FRIENDS_CACHE_SECONDS))
    friends: list = []
    for start in range(0, len(remote_ids), 500):  # keeps IN lists small
        friends += selectors.users_with_remote_ids(
            provider, remote_ids[start : start + 500], exclude=user
        )
    return sorted(set(friends), key=lambda u: u.username)
