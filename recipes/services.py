"""Writes for recipes, their cross-posts, and the common-friends lookup."""

import logging
from functools import partial

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from project import pagecache
from recipes import selectors
from recipes.clients import FacebookClient, RemoteError, XClient
from recipes.models import CrossPost, Recipe

logger = logging.getLogger(__name__)

# X counts every link as 23 characters (t.co), so the summary may take 280 - 1 - 23.
TWEET_LINK_LENGTH = 23
TWEET_LIMIT = 280
RECIPE_FIELDS = ("title", "ingredients", "instructions", "servings", "total_time_minutes")


class NotConnected(Exception):
    def __init__(self, provider: str) -> None:
        self.provider = provider
        label = {"twitter": "X", "facebook": "Facebook"}.get(provider, provider)
        super().__init__(f"Connect your {label} account first.")


def facebook_page_configured() -> bool:
    return bool(settings.FACEBOOK_PAGE_ID and settings.FACEBOOK_PAGE_TOKEN)


def available_crosspost_providers(user: AbstractBaseUser) -> list[str]:
    """Where this user's new recipes can be announced."""
    providers = []
    if "twitter" in selectors.connected_providers(user):
        providers.append(CrossPost.Provider.TWITTER)
    if facebook_page_configured():
        providers.append(CrossPost.Provider.FACEBOOK)
    return providers


def crosspost_text(recipe: Recipe) -> str:
    url = settings.SITE_URL.rstrip("/") + recipe.get_absolute_url()
    summary = recipe.summarize(TWEET_LIMIT - 1 - TWEET_LINK_LENGTH - 3)
    return f"{summary} {url}"


@transaction.atomic
def recipe_create(*, user: AbstractBaseUser, share_on: list[str] | None = None, **fields) -> Recipe:
    """Save the recipe and queue one announcement per chosen network, after commit.
    The recipe is saved whatever the networks do later."""
    recipe = Recipe(user=user, **{k: v for k, v in fields.items() if k in RECIPE_FIELDS})
    recipe.full_clean()
    recipe.save()
    transaction.on_commit(lambda: pagecache.invalidate("recipes"))
    available = available_crosspost_providers(user)
    # Each network once, however often a client names it (one CrossPost row per network).
    chosen = available if share_on is None else [p for p in available if p in share_on]
    from recipes.tasks import crosspost_send_task

    for provider in chosen:
        crosspost = CrossPost.objects.create(
            recipe=recipe, provider=provider, text=crosspost_text(recipe)
        )
        # robust: with Celery eager (development) a network failure must not undo the page.
        transaction.on_commit(
            partial(crosspost_send_task.delay, crosspost_id=crosspost.pk), robust=True
        )
    return recipe


@transaction.atomic
def recipe_update(*, recipe: Recipe, by: AbstractBaseUser, **fields) -> Recipe:
    """Edits never post anything."""
    if recipe.user_id != by.pk:
        raise PermissionDenied("Only the author can change this recipe.")
    for name, value in fields.items():
        if name in RECIPE_FIELDS:
            setattr(recipe, name, value)
    recipe.full_clean()
    recipe.save()
    transaction.on_commit(lambda: pagecache.invalidate("recipes"))
    return recipe


def recipe_delete(*, recipe: Recipe, by: AbstractBaseUser) -> None:
    if recipe.user_id != by.pk:
        raise PermissionDenied("Only the author can delete this recipe.")
    recipe.delete()
    transaction.on_commit(lambda: pagecache.invalidate("recipes"))


# --- cross-posting ---------------------------------------------------------------------------


def _claim(crosspost_id: int) -> tuple[CrossPost | None, bool]:
    """Lock the row and mark an attempt. Returns (crosspost or None if nothing to do,
    whether an earlier attempt may already have reached the network)."""
    with transaction.atomic():
        crosspost = (
            CrossPost.objects.select_for_update()
            .select_related("recipe")
            .filter(pk=crosspost_id)
            .first()
        )
        if crosspost is None or crosspost.is_final:
            return None, False
        maybe_sent = crosspost.status == CrossPost.Status.SENDING
        crosspost.status = CrossPost.Status.SENDING
        crosspost.attempts += 1
        crosspost.save(update_fields=["status", "attempts"])
        return crosspost, maybe_sent


def _finish(crosspost: CrossPost, status: str, *, remote_id: str = "", error: str = "") -> None:
    crosspost.status, crosspost.remote_id, crosspost.last_error = status, remote_id, error
    crosspost.sent_on = timezone.now() if status == CrossPost.Status.SENT else None
    crosspost.save(update_fields=["status", "remote_id", "last_error", "sent_on"])


def _poster(crosspost: CrossPost):
    """(post(text) -> id, find(text) -> id | None) for the crosspost's network, or None."""
    if crosspost.provider == CrossPost.Provider.TWITTER:
        account = selectors.social_account(crosspost.recipe.user, "twitter")
        token = selectors.social_token(crosspost.recipe.user, "twitter")
        if account is None or token is None:
            return None
        client = XClient(token)

        def find(text: str) -> str | None:
            return next((t.id for t in client.recent_posts(account.uid) if t.text == text), None)

        return client.post, find
    if not facebook_page_configured():
        return None
    client = FacebookClient(settings.FACEBOOK_PAGE_TOKEN)
    page, link = (
        settings.FACEBOOK_PAGE_ID,
        settings.SITE_URL.rstrip("/") + crosspost.recipe.get_absolute_url(),
    )

    def find_on_page(text: str) -> str | None:
        return next((p.id for p in client.recent_page_posts(page) if p.text == text), None)

    return (lambda text: client.post_to_page(page, text, link)), find_on_page


def crosspost_send(*, crosspost_id: int) -> str:
    """Announce one recipe on one network, at most once.

    The row is marked `sending` (committed) before the network call. Finding it still
    `sending` means an earlier attempt died after calling out: look for that post on
    the network before posting again, so a killed worker never doubles a post.
    Raises RemoteError when a retry may help (5xx, timeouts, rate limits)."""
    crosspost, maybe_sent = _claim(crosspost_id)
    if crosspost is None:
        return "nothing to do"
    poster = _poster(crosspost)
    if poster is None:
        _finish(
            crosspost,
            CrossPost.Status.SKIPPED,
            error="The account is not connected (or no Page is set up).",
        )
        return CrossPost.Status.SKIPPED
    post, find = poster
    try:
        remote_id = find(crosspost.text) if maybe_sent else None
        remote_id = remote_id or post(crosspost.text)
    except RemoteError as error:
        if error.retryable:
            crosspost.last_error = str(error)
            crosspost.save(update_fields=["last_error"])
            raise
        hint = " Reconnect your account." if error.status in (401, 403) else ""
        _finish(crosspost, CrossPost.Status.FAILED, error=f"{error}{hint}")
        return CrossPost.Status.FAILED
    _finish(crosspost, CrossPost.Status.SENT, remote_id=remote_id)
    return CrossPost.Status.SENT


def crosspost_give_up(*, crosspost_id: int, error: str) -> None:
    CrossPost.objects.filter(pk=crosspost_id).exclude(status=CrossPost.Status.SENT).update(
        status=CrossPost.Status.FAILED, last_error=error
    )


def crosspost_retry(*, crosspost: CrossPost) -> bool:
    """Admin action: queue a failed announcement again."""
    if crosspost.status != CrossPost.Status.FAILED:
        return False
    CrossPost.objects.filter(pk=crosspost.pk).update(status=CrossPost.Status.PENDING, last_error="")
    from recipes.tasks import crosspost_send_task

    transaction.on_commit(
        partial(crosspost_send_task.delay, crosspost_id=crosspost.pk), robust=True
    )
    return True


# --- common friends --------------------------------------------------------------------------


def common_friends(user: AbstractBaseUser, provider: str, *, refresh: bool = False) -> list:
    """Site users you follow on X (or your Facebook friends who use the app)."""
    account = selectors.social_account(user, provider)
    token = selectors.social_token(user, provider)
    if account is None or token is None:
        raise NotConnected(provider)
    key = f"recipes:friends:{provider}:{user.pk}"
    remote_ids = None if refresh else cache.get(key)
    if remote_ids is None:
        pages = settings.RECIPES_FRIENDS_MAX_PAGES
        if provider == "twitter":
            remote_ids = XClient(token).following_ids(account.uid, max_pages=pages)
        else:
            remote_ids = FacebookClient(token).friend_ids(max_pages=pages)
        cache.set(key, remote_ids, settings.RECIPES_FRIENDS_CACHE_SECONDS)
    friends: list = []
    for start in range(0, len(remote_ids), 500):  # keeps IN lists small
        friends += selectors.users_with_remote_ids(
            provider, remote_ids[start : start + 500], exclude=user
        )
    return sorted(set(friends), key=lambda u: u.username)
