"""One activity stream across the apps: a person's public snaps, photos, albums and
recipes become timeline entries (Post rows of that kind, no content), so the feed
strategies fan them out, cap and page them like posts.

Each app announces its items from its own services: `activity_publish` when an item
becomes public (created, processed, made public), `activity_withdraw` when it stops
being public or goes. Both are idempotent. What an entry shows is read at render time
through the app's selectors (social.selectors.activity_subjects_attach), which also
leave out anything no longer public, so a missed withdrawal never shows a private item.
"""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from social.models import Post, PostAttachment

ANNOUNCED_KINDS = tuple(kind for kind in Post.Kind.values if kind != Post.Kind.POST)


def _check_kind(kind: str) -> None:
    if kind not in ANNOUNCED_KINDS:
        raise ValidationError(f"Not an activity kind: {kind!r}.", code="invalid_kind")


def activity_publish(
    *, user_id: int, kind: str, subject_id: int, created_on: datetime | None = None
) -> bool:
    """Announce one item of `kind` by `user_id` to their followers; True when new."""
    _check_kind(kind)
    if Post.objects.filter(kind=kind, subject_id=subject_id).exists():
        return False
    if kind == Post.Kind.PHOTO and PostAttachment.objects.filter(photo_id=subject_id).exists():
        return False  # shown on the post it is attached to, not twice
    activity = Post(user_id=user_id, kind=kind, subject_id=subject_id, content="")
    if created_on is not None:
        activity.created_on = created_on
    try:
        with transaction.atomic():
            activity.save()  # the receivers fan it out once committed
    except IntegrityError:  # announced concurrently
        return False
    return True


def activity_withdraw(*, kind: str, subject_ids: Iterable[int]) -> int:
    """Take these items' entries out of every feed (each deletion is retracted by the
    receivers, under every strategy); returns how many there were."""
    _check_kind(kind)
    ids = list(subject_ids)
    if not ids:
        return 0
    deleted, _ = Post.objects.filter(kind=kind, subject_id__in=ids).delete()
    return deleted


def activity_set(*, user_id: int, kind: str, subject_id: int, public: bool) -> None:
    """Publish or withdraw, after a change that may have changed the item's visibility."""
    if public:
        activity_publish(user_id=user_id, kind=kind, subject_id=subject_id)
    else:
        activity_withdraw(kind=kind, subject_ids=[subject_id])
