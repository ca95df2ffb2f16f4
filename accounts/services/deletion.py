"""Deleting an account: confirmed with the password, then done by a Celery task that has
every app delete the person's content through its own service."""

import logging

from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from accounts.models import User

logger = logging.getLogger(__name__)

WRONG_PASSWORD = "That is not your password."


def _content_deleters():
    # Each app owns its content; imported late so accounts does not import every app.
    from accounts.services.export import delete_user_exports
    from photos.services import delete_user_content as photos
    from recipes.services import delete_user_content as recipes
    from snaps.services import delete_user_content as snaps
    from social.services import delete_user_content as social

    return {
        "snaps": snaps,
        "social": social,
        "photos": photos,
        "recipes": recipes,
        "exports": delete_user_exports,
    }


def user_delete_request(*, user: User, password: str, request: HttpRequest | None = None) -> None:
    """Confirmed with the password: the account stops working at once (no login, its
    tokens revoked, every session signed out), and a Celery task deletes everything
    of it after the commit."""
    if not password or not user.check_password(password):
        raise ValidationError({"password": WRONG_PASSWORD}, code="wrong_password")
    with transaction.atomic():
        user.is_active = False
        # A new password hash drops every session (their auth hash no longer matches)
        # and, through accounts.receivers, every API token.
        user.set_unusable_password()
        user.save(update_fields=["is_active", "password"])
        from accounts.services import user_tokens_revoke

        user_tokens_revoke(user=user)
        from accounts.tasks import user_delete_task

        user_id = user.pk
        transaction.on_commit(lambda: user_delete_task.delay(user_id=user_id))
    if request is not None:
        logout(request)


def user_delete(*, user_id: int) -> bool:
    """Delete the account and everything of it in every app (snaps, posts and follows,
    photos and their files, recipes and cross-post records, exports, avatar, tokens,
    e-mail addresses, two-factor devices, social logins). Idempotent: False when the
    account is already gone. Refuses an account that was not asked to be deleted."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return False
    if user.is_active:
        raise ValidationError("This account was not asked to be deleted.", code="active")
    for app, delete_content in _content_deleters().items():
        count = delete_content(user_id=user_id)
        logger.info("account %s deletion: %s %s", user_id, count, app)
    avatar, storage = user.avatar.name, user.avatar.storage
    with transaction.atomic():
        user.delete()  # tokens, addresses, authenticators, social accounts cascade
        if avatar:
            transaction.on_commit(lambda: storage.delete(avatar))
    return True
