"""Notifications: the one place where "tell a user that someone did something" lives.

Any app calls `notification_create` (through `social.services`); it stores the
in-app notification, keeps the recipient's unread count (on the user row, for the
navigation badge) in step, and queues the optional e-mail once committed. E-mails
are per kind and per user (accounts' `email_on_<kind>` preferences) and throttled:
at most one per recipient, actor and kind in each window.
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from accounts.services import (
    user_unread_notifications_add,
    user_unread_notifications_set,
    user_wants_email,
)
from social.models import Notification, Post

Kind = Notification.Kind

# Re-following (or re-liking) is not news twice a day; a conversation, once an hour.
EMAIL_EVERY_SECONDS = {Kind.FOLLOW: 24 * 60 * 60}
# {site} is SITE_NAME, as every e-mail names the site (accounts.adapters).
SUBJECTS = {
    Kind.FOLLOW: "{actor} now follows you on {site}",
    Kind.MENTION: "{actor} mentioned you on {site}",
    Kind.REPLY: "{actor} replied to your post on {site}",
    Kind.LIKE: "{actor} liked your post on {site}",
    Kind.BOOST: "{actor} boosted your post on {site}",
}


def _email_window(kind: str) -> int:
    return EMAIL_EVERY_SECONDS.get(kind, settings.SOCIAL_NOTIFICATION_EMAIL_EVERY_SECONDS)


def notification_create(
    *,
    recipient: AbstractBaseUser,
    actor: AbstractBaseUser,
    kind: str,
    post: Post | None = None,
) -> Notification | None:
    """Tell `recipient` that `actor` did `kind` (about `post`). None when there is
    nothing to tell: one's own action, a block between the two or a mute by the
    recipient (social.services.blocks), or the same news still unread."""
    from social.services.blocks import silenced_between  # blocks builds on the package

    if recipient.pk == actor.pk or silenced_between(recipient_id=recipient.pk, actor_id=actor.pk):
        return None
    with transaction.atomic():
        same = Notification.objects.filter(
            recipient=recipient, actor=actor, kind=kind, post=post, read_on__isnull=True
        )
        if same.exists():
            return None
        notification = Notification(recipient=recipient, actor=actor, kind=kind, post=post)
        notification.full_clean()
        notification.save()
        user_unread_notifications_add(user_id=recipient.pk, delta=1)
    from social.services.live import live_notification_announce

    live_notification_announce(recipient_id=recipient.pk, kind=kind)
    from social import tasks  # tasks import the services

    notification_id = notification.pk
    transaction.on_commit(
        lambda: tasks.notification_email_task.delay(notification_id=notification_id)
    )
    return notification


def notification_mark_read(*, notification: Notification, by: AbstractBaseUser) -> bool:
    """True when it was unread. Another user's notification is not found (404)."""
    marked = Notification.objects.filter(
        pk=notification.pk, recipient=by, read_on__isnull=True
    ).update(read_on=timezone.now())
    if marked:
        user_unread_notifications_add(user_id=by.pk, delta=-1)
        notification.read_on = notification.read_on or timezone.now()
    return bool(marked)


def notification_mark_all_read(*, user: AbstractBaseUser) -> int:
    """Mark every unread notification of `user` read; returns how many were unread."""
    with transaction.atomic():
        marked = Notification.objects.filter(recipient=user, read_on__isnull=True).update(
            read_on=timezone.now()
        )
        notification_counts_resync(user_ids=[user.pk])
    return marked


def notification_counts_resync(*, user_ids: Iterable[int]) -> None:
    """Recount the stored unread counts of these users (after deletions cascaded
    notifications away, or to repair drift): two queries for any number of users."""
    user_ids = list(user_ids)
    if not user_ids:
        return
    counts = dict.fromkeys(user_ids, 0)
    rows = (
        Notification.objects.filter(recipient_id__in=user_ids, read_on__isnull=True)
        .values("recipient_id")
        .annotate(unread=Count("id"))
        .values_list("recipient_id", "unread")
    )
    counts.update(rows)
    user_unread_notifications_set(counts=counts)


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def notification_email_send(*, notification_id: int) -> bool:
    """E-mail one notification when its recipient wants that kind and none went out
    for the same recipient, actor and kind within the window. True when sent."""
    notification = (
        Notification.objects.select_related("recipient", "actor", "post")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None:  # gone (e.g. its post was deleted) before the task ran
        return False
    recipient, actor, kind = notification.recipient, notification.actor, notification.kind
    if not recipient.is_active or not user_wants_email(user=recipient, kind=kind):
        return False
    # cache.add is atomic: of several tasks for the same news, one claims the window.
    claim = f"social:notify-email:{kind}:{actor.pk}:{recipient.pk}"
    if not cache.add(claim, 1, _email_window(kind)):
        return False
    lines = [
        f"Hi {recipient.username},",
        "",
        f"{actor.username} {notification.get_kind_display()}.",
    ]
    if notification.post is not None:
        lines += [
            "",
            notification.post.content[:300],
            _absolute(notification.post.get_absolute_url()),
        ]
    lines += [
        "",
        f"See their profile: {_absolute(reverse('profile', args=[actor.username]))}",
        f"All your notifications: {_absolute(reverse('social:notifications'))}",
        "",
        f"To stop these e-mails: {_absolute(reverse('account-preferences'))}",
    ]
    try:
        send_mail(
            subject=SUBJECTS[kind].format(actor=actor.username, site=settings.SITE_NAME),
            message="\n".join(lines) + "\n",
            from_email=None,
            recipient_list=[recipient.email],
        )
    except Exception:
        cache.delete(claim)  # not sent: let the task's retry send it
        raise
    return True


def notification_dismiss(*, user: AbstractBaseUser, notification_id: int | None = None) -> int:
    """Delete one of the user's notifications (or, without an id, all of them), keeping
    the unread count right; returns how many went (Mastodon's dismiss and clear)."""
    with transaction.atomic():
        rows = Notification.objects.filter(recipient=user)
        if notification_id is not None:
            rows = rows.filter(pk=notification_id)
        deleted, _ = rows.delete()
        notification_counts_resync(user_ids=[user.pk])
    return deleted
