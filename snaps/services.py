"""Writes. Every snap change goes through here."""

import logging
import secrets
from contextlib import nullcontext
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from project import pagecache
from project.deletion import delete_or_404
from snaps.authorship import is_author, token_hash
from snaps.languages import resolve_language
from snaps.models import Snap, new_hash_key
from social import services as social_services

logger = logging.getLogger(__name__)

HASH_KEY_ATTEMPTS = 5
# Private means "only its owner's account": an anonymous snap has none.
ANONYMOUS_PRIVATE = "An anonymous snap cannot be private: sign in for that."


def _announces(snap: Snap) -> bool:
    """Whether the snap belongs in its author's followers' timelines (social's activity
    stream): listed for everyone and lasting; one-time snaps never (a view burns them)."""
    return (
        snap.user_id is not None
        and snap.visibility == Snap.Visibility.PUBLIC
        and not snap.burn_after_reading
    )


def _announce(snap: Snap) -> None:
    """Publish or withdraw the snap's timeline entry once this transaction commits, so the
    snap's own write stays one INSERT."""
    user_id, snap_id, public = snap.user_id, snap.pk, _announces(snap)
    if user_id is None:
        return
    transaction.on_commit(
        lambda: social_services.activity_set(
            user_id=user_id, kind="snap", subject_id=snap_id, public=public
        )
    )


def snap_create(
    *,
    user: AbstractBaseUser | None,
    name: str,
    content: str,
    extension: str = "",
    language: str = "",
    visibility: str = Snap.Visibility.PUBLIC,
    expires_in: timedelta | None = None,
    expires_at: datetime | None = None,
    burn_after_reading: bool = False,
    parent: Snap | None = None,
    edit_token_hash: str = "",
) -> Snap:
    """A new snap; a missing language or extension is guessed (snaps.languages).

    One INSERT and nothing else (the hot write, issue #15: dpaste needs two statements).
    No transaction of its own: a single INSERT is atomic in autocommit, and inside a
    caller's transaction a savepoint keeps a key clash retryable. No page-cache drop:
    only a snap's own detail page is cached, and this snap's key is new."""
    if expires_in is not None:
        expires_at = timezone.now() + expires_in
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "The expiry time must be in the future."})
    snap = Snap(
        user=user,
        name=name,
        content=content,
        visibility=visibility,
        expires_at=expires_at,
        burn_after_reading=burn_after_reading,
        parent=parent,
        edit_token_hash=edit_token_hash,
        **resolve_language(name=name, extension=extension, language=language, content=content),
    )
    # `user` is the signed-in caller, so no query to check it exists.
    snap.full_clean(exclude=["hash_key", "user"])
    connection = transaction.get_connection()
    # 160 random bits make a clash practically impossible; the unique index is the guarantee.
    for _ in range(HASH_KEY_ATTEMPTS):
        snap.hash_key = new_hash_key()
        try:
            with transaction.atomic() if connection.in_atomic_block else nullcontext():
                snap.save(force_insert=True)
            if _announces(snap):
                _announce(snap)
            return snap
        except IntegrityError:
            if Snap.objects.filter(hash_key=snap.hash_key).exists():
                logger.warning("hash_key collision, retrying")
                continue
            raise
    raise IntegrityError("Could not find a free hash key.")


def snap_create_anonymous(**fields) -> tuple[Snap, str]:
    """An anonymous snap (if SNAPS_ALLOW_ANONYMOUS) and its secret edit/delete token,
    known only to the caller: the database keeps its SHA-256."""
    if not settings.SNAPS_ALLOW_ANONYMOUS:
        raise PermissionDenied("Sign in to post a snap.")
    if fields.get("visibility") == Snap.Visibility.PRIVATE:
        raise ValidationError({"visibility": ANONYMOUS_PRIVATE})
    token = secrets.token_urlsafe(24)
    snap = snap_create(user=None, edit_token_hash=token_hash(token), **fields)
    return snap, token


def can_fork(snap: Snap, viewer) -> bool:
    """Anyone signed in forks a listed snap; only its author an unlisted or private one."""
    if viewer is None or not viewer.is_authenticated:
        return False
    return is_author(snap, viewer) or snap.is_listed


def snap_fork(*, snap: Snap, by: AbstractBaseUser, **changes) -> Snap:
    """A copy of `snap` in `by`'s account, linked to it; `changes` (content, name,
    language, visibility, ...) make it a reply. Others' unlisted snaps are a 404, as
    everywhere else they must not be seen."""
    if not can_fork(snap, by):
        raise Http404("No snap with that key.")
    fields = {
        "name": snap.name,
        "content": snap.content,
        "language": snap.language,
        "extension": snap.extension,
        "visibility": snap.visibility,
    }
    if "language" in changes and "extension" not in changes:
        fields["extension"] = ""  # follows the new language
    return snap_create(user=by, parent=snap, **(fields | changes))


def expiry_options(choice: str) -> dict:
    """snap_create's keywords for one of Snap.Expiry's choices."""
    if choice == Snap.Expiry.ONETIME:
        return {"burn_after_reading": True}
    return {"expires_in": Snap.EXPIRY_DELTAS[Snap.Expiry(choice)]}


def snap_open(*, snap: Snap, viewer, token: str = "") -> Snap:
    """The snap, as the viewer opens it to read (page, raw text, API).

    A one-time snap opened by anyone but its author is deleted, in one transaction
    with its row locked first (delete_or_404): of two concurrent first
    views, one reads the snap and the other gets a 404.
    """
    if snap.burn_after_reading and not is_author(snap, viewer, token):
        delete_or_404(snap)
        pagecache.invalidate_on_commit("snaps")
    return snap


REVISED_FIELDS = ("name", "extension", "language", "content")


@transaction.atomic
def snap_update(*, snap: Snap, by: AbstractBaseUser | None, token: str = "", **fields) -> Snap:
    """Change a snap; a change to what it holds keeps the former state as a revision.

    The row is locked first, so two concurrent edits number their revisions in turn."""
    if not is_author(snap, by, token):
        raise PermissionDenied("Only the owner can change this snap.")
    if snap.user_id is None and fields.get("visibility") == Snap.Visibility.PRIVATE:
        raise ValidationError({"visibility": ANONYMOUS_PRIVATE})
    new_expiry = fields.get("expires_at")
    if new_expiry is not None and new_expiry <= timezone.now():
        raise ValidationError({"expires_at": "The expiry time must be in the future."})
    current = Snap.objects.select_for_update().get(pk=snap.pk)
    former = current.as_revision()
    for field, value in fields.items():
        setattr(snap, field, value)
    snap.revision, snap.revised_on = current.revision, current.revised_on
    if any(getattr(former, field) != getattr(snap, field) for field in REVISED_FIELDS):
        snap.revision += 1
        snap.revised_on = timezone.now()
    snap.full_clean()
    snap.save()
    if snap.revision != current.revision:
        former.save(force_insert=True)
    if _announces(current) != _announces(snap):
        _announce(snap)
    pagecache.invalidate_on_commit("snaps")
    return snap


@transaction.atomic
def snap_delete(*, snap: Snap, by: AbstractBaseUser | None, token: str = "") -> None:
    if not is_author(snap, by, token):
        raise PermissionDenied("Only the owner can delete this snap.")
    snap_id = snap.pk
    delete_or_404(snap)
    social_services.activity_withdraw(kind="snap", subject_ids=[snap_id])
    pagecache.invalidate_on_commit("snaps")


def snap_purge_expired(*, now: datetime | None = None) -> int:
    """Delete every snap whose expiry has passed; returns how many went."""
    expired = Snap.objects.filter(expires_at__lte=now or timezone.now())
    social_services.activity_withdraw(
        kind="snap", subject_ids=expired.filter(user__isnull=False).values_list("pk", flat=True)
    )
    deleted, _ = expired.delete()
    if deleted:
        pagecache.invalidate("snaps")
    return deleted


def delete_user_content(*, user_id: int) -> int:
    """Every snap of one user (their account is being deleted); returns how many went."""
    snaps = Snap.objects.filter(user_id=user_id)
    social_services.activity_withdraw(kind="snap", subject_ids=snaps.values_list("pk", flat=True))
    deleted, _ = snaps.delete()
    pagecache.invalidate_on_commit("snaps")
    return deleted
