"""Cross-posting: where a recipe can be announced, and the at-least-once delivery."""

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from recipes import selectors
from recipes.clients import FacebookClient, RemoteError
from recipes.models import (
    CrossPost,
    Recipe,
)
from recipes.services.x_tokens import _RefreshingXClient

logger = logging.getLogger(__name__)


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


# Delivery is at least once (acks_late, redelivery after a lost worker or broker), so every
# step is idempotent. The row is claimed (`sending`, `claimed_on`) before the network call.
# A claim younger than the lease (the task's hard time limit plus a margin) may still be
# running: nobody else posts for that row until it expires. After it expires, or after a
# failed attempt, the next attempt first looks for the post by the row's unique marker.


class ClaimHeld(Exception):
    """Another attempt claimed this row moments ago and may still be posting."""

    def __init__(self, wait: float) -> None:
        super().__init__(f"claimed by another attempt; try again in {wait:.0f}s")
        self.wait = wait


def _lease_left(crosspost: CrossPost, now) -> float:
    """Seconds the current claim still holds the row (0 when free)."""
    if crosspost.status != CrossPost.Status.SENDING or crosspost.claimed_on is None:
        return 0.0
    age = (now - crosspost.claimed_on).total_seconds()
    return max(0.0, settings.RECIPES_CROSSPOST_LEASE_SECONDS - age)


def _claim(crosspost_id: int) -> tuple[CrossPost | None, bool]:
    """Lock the row and take it for one attempt. Returns (crosspost or None if nothing to
    do, whether an earlier attempt may already have reached the network). Raises
    ClaimHeld while another attempt's claim is still live."""
    with transaction.atomic():
        crosspost = (
            CrossPost.objects.select_for_update()
            .select_related("recipe")
            .filter(pk=crosspost_id)
            .first()
        )
        if crosspost is None or crosspost.is_final:
            return None, False
        now = timezone.now()
        if wait := _lease_left(crosspost, now):
            raise ClaimHeld(wait)
        maybe_sent = crosspost.status == CrossPost.Status.SENDING
        crosspost.status = CrossPost.Status.SENDING
        crosspost.attempts += 1
        crosspost.claimed_on = now
        crosspost.save(update_fields=["status", "attempts", "claimed_on"])
        return crosspost, maybe_sent


def _finish(crosspost: CrossPost, status: str, *, remote_id: str = "", error: str = "") -> None:
    crosspost.status, crosspost.remote_id, crosspost.last_error = status, remote_id, error
    crosspost.sent_on = timezone.now() if status == CrossPost.Status.SENT else None
    crosspost.save(update_fields=["status", "remote_id", "last_error", "sent_on"])


def _release(crosspost: CrossPost, error: str) -> None:
    """A failed attempt that may still have posted: keep `sending` (the next attempt
    looks before it posts) and end the lease so that attempt may start at once."""
    crosspost.last_error = error
    crosspost.claimed_on = timezone.now() - timedelta(
        seconds=settings.RECIPES_CROSSPOST_LEASE_SECONDS
    )
    crosspost.save(update_fields=["last_error", "claimed_on"])


class _Network:
    """Post to, and look up on, the crosspost's network."""

    def __init__(self, crosspost: CrossPost, post, posts_since) -> None:
        self.crosspost, self._post, self._posts_since = crosspost, post, posts_since

    def post(self) -> str:
        return self._post(self.crosspost.text)

    def find(self) -> str | None:
        """The remote id of the post carrying this row's marker, if it exists. Reads the
        timeline from just before the row was created (X's and Graph's clocks may
        differ from ours by a little), every page."""
        marker = self.crosspost.marker
        if not marker:  # rows written before markers: match the whole text
            marker = self.crosspost.text
        since = self.crosspost.created_on - timedelta(minutes=5)
        posts = self._posts_since(since, max_pages=settings.RECIPES_LOOKUP_MAX_PAGES)
        return next((post.id for post in posts if post.mentions(marker)), None)


def _network(crosspost: CrossPost) -> _Network | None:
    """The crosspost's network, or None when the account or Page is not set up."""
    if crosspost.provider == CrossPost.Provider.TWITTER:
        account = selectors.social_account(crosspost.recipe.user, "twitter")
        token = selectors.social_token(crosspost.recipe.user, "twitter")
        if account is None or token is None:
            return None
        client = _RefreshingXClient(crosspost.recipe.user)
        return _Network(crosspost, client.post, partial(client.posts_since, account.uid))
    if not facebook_page_configured():
        return None
    facebook, page = FacebookClient(settings.FACEBOOK_PAGE_TOKEN), settings.FACEBOOK_PAGE_ID
    return _Network(
        crosspost,
        lambda text: facebook.post_to_page(page, text, crosspost.link),
        partial(facebook.page_posts_since, page),
    )


NOT_CONNECTED = "The account is not connected (or no Page is set up)."
DUPLICATE_NOTE = "X answered 'duplicate content': it was already posted."


def _is_duplicate(error: RemoteError) -> bool:
    return error.status in (400, 403) and "duplicate content" in str(error).lower()


def crosspost_send(*, crosspost_id: int) -> str:
    """Announce one recipe on one network, exactly once however often it runs.

    Raises RemoteError when a retry may help (5xx, timeouts, rate limits), ClaimHeld
    while another attempt holds the row; database errors propagate (the task retries
    them, and the row stays claimed, so the next attempt looks before it posts)."""
    crosspost, maybe_sent = _claim(crosspost_id)
    if crosspost is None:
        return "nothing to do"
    if crosspost.recipe.visibility != Recipe.Visibility.PUBLIC and not maybe_sent:
        _finish(crosspost, CrossPost.Status.SKIPPED, error="The recipe is no longer public.")
        return CrossPost.Status.SKIPPED
    network = _network(crosspost)
    if network is None:
        _finish(crosspost, CrossPost.Status.SKIPPED, error=NOT_CONNECTED)
        return CrossPost.Status.SKIPPED
    try:
        remote_id = network.find() if maybe_sent else None
        remote_id = remote_id or network.post()
    except RemoteError as error:
        if crosspost.provider == CrossPost.Provider.TWITTER and _is_duplicate(error):
            # X refuses the same text twice: it is already posted (by an attempt we lost
            # track of, or by hand). Record it as sent, with its id when X shows it.
            try:
                remote_id = network.find() or ""
            except RemoteError:
                remote_id = ""
            _finish(crosspost, CrossPost.Status.SENT, remote_id=remote_id, error=DUPLICATE_NOTE)
            return CrossPost.Status.SENT
        if not error.retryable:
            hint = " Reconnect your account." if error.status in (401, 403) else ""
            _finish(crosspost, CrossPost.Status.FAILED, error=f"{error}{hint}")
            return CrossPost.Status.FAILED
        if crosspost.attempts >= settings.RECIPES_CROSSPOST_MAX_ATTEMPTS:
            # Final, but the post may exist: the admin's retry looks it up first.
            text = f"Gave up after retries ({crosspost.attempts} attempts): {error}"
            _finish(crosspost, CrossPost.Status.FAILED, error=text)
            return CrossPost.Status.FAILED
        _release(crosspost, str(error))
        raise
    _finish(crosspost, CrossPost.Status.SENT, remote_id=remote_id)
    return CrossPost.Status.SENT


def crosspost_enqueue(crosspost_id: int) -> None:
    """Queue the send task. Never raises: with Celery eager (development) a network
    failure, and with a broker outage the publish, must not fail the page; the row
    stays retryable and the reconciliation (or the admin's retry) picks it up."""
    from recipes.tasks import crosspost_send_task

    try:
        crosspost_send_task.delay(crosspost_id=crosspost_id)
    except Exception as error:
        logger.warning("Cross-post %s not sent now (%r); it stays retryable.", crosspost_id, error)


def crosspost_resolve(*, crosspost_id: int) -> str:
    """Settle one announcement that may have reached the network: look for its post by
    the marker and record it as sent (with the remote id), or queue it again. Used by
    the periodic reconciliation and by the admin's retry action."""
    crosspost = CrossPost.objects.select_related("recipe").filter(pk=crosspost_id).first()
    if crosspost is None or crosspost.status in (CrossPost.Status.SENT, CrossPost.Status.SKIPPED):
        return "nothing to do"
    if _lease_left(crosspost, timezone.now()):
        return "busy"  # an attempt is running; it settles the row itself
    if crosspost.status == CrossPost.Status.PENDING:
        transaction.on_commit(partial(crosspost_enqueue, crosspost.pk))
        return "requeued"
    network = _network(crosspost)
    seen = CrossPost.objects.filter(
        pk=crosspost.pk, status=crosspost.status, claimed_on=crosspost.claimed_on
    )  # compare-and-set: changes nothing if an attempt took the row meanwhile
    if network is None:
        seen.update(status=CrossPost.Status.SKIPPED, last_error=NOT_CONNECTED)
        return CrossPost.Status.SKIPPED
    try:
        remote_id = network.find() if crosspost.attempts else None
    except RemoteError as error:
        seen.update(last_error=f"Lookup failed: {error}")
        return "unreachable"
    if remote_id:
        seen.update(
            status=CrossPost.Status.SENT,
            remote_id=remote_id,
            last_error="",
            sent_on=timezone.now(),
        )
        return CrossPost.Status.SENT
    if seen.update(status=CrossPost.Status.PENDING, last_error=""):
        transaction.on_commit(partial(crosspost_enqueue, crosspost.pk))
        return "requeued"
    return "busy"


def crosspost_stuck_ids(*, limit: int = 500) -> list[int]:
    """Rows no attempt has settled for RECIPES_RECONCILE_AFTER_SECONDS: `sending` with an
    old (or no) claim, or `pending` whose message may have been lost."""
    before = timezone.now() - timedelta(seconds=settings.RECIPES_RECONCILE_AFTER_SECONDS)
    old_claim = Q(claimed_on__lt=before) | Q(claimed_on__isnull=True)
    stuck = CrossPost.objects.filter(old_claim).filter(
        Q(status=CrossPost.Status.SENDING)
        | Q(status=CrossPost.Status.PENDING, created_on__lt=before)
    )
    return list(stuck.order_by("pk").values_list("pk", flat=True)[:limit])


def crosspost_reconcile() -> dict[str, int]:
    """The periodic sweep: settle every stuck announcement. Returns counts by outcome."""
    outcomes: dict[str, int] = {}
    for crosspost_id in crosspost_stuck_ids():
        outcome = crosspost_resolve(crosspost_id=crosspost_id)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def crosspost_retry(*, crosspost: CrossPost) -> bool:
    """Admin action: settle a failed or stuck announcement the way the reconciliation
    does (look it up first, since a failed attempt may have posted). True when it was
    found and recorded, or queued again."""
    if crosspost.status in (CrossPost.Status.SENT, CrossPost.Status.SKIPPED):
        return False
    return crosspost_resolve(crosspost_id=crosspost.pk) in (CrossPost.Status.SENT, "requeued")
