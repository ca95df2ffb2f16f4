from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import EMAIL_TAKEN, USERNAME_TAKEN, User
from accounts.validators import validate_username_form
from project.cache import optional_read


class SignupConflict(ValidationError):
    """The username or email is taken (any case, any compatibility form): HTTP 409."""


def user_get_or_create_demo(*, username: str, password: str) -> User:
    """The demo account; its password is reset so the printed credentials always work."""
    user, _ = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.com"}
    )
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def username_clean(username: str) -> str:
    """The stored form of a wanted username (NFKC). ValidationError when it mixes
    scripts, SignupConflict when that form is taken in any case."""
    username = User.normalize_username(username)
    validate_username_form(username)
    if User.objects.filter(username__iexact=username).exists():
        raise SignupConflict(USERNAME_TAKEN, code="duplicate")
    return username


def user_conflict_error(*, username: str, email: str) -> SignupConflict:
    """What a sign-up that lost a race hit, by field, for the form or API to show."""
    errors = {}
    if User.objects.filter(username__iexact=User.normalize_username(username)).exists():
        errors["username"] = USERNAME_TAKEN
    if User.objects.filter(email__iexact=email).exists():
        errors["email"] = EMAIL_TAKEN
    return SignupConflict(errors or {"username": USERNAME_TAKEN})


def user_create(*, username: str, email: str, password: str) -> User:
    """A new account. SignupConflict when the username (in any case or compatibility
    form) or the email is taken, also by a concurrent sign-up; ValidationError when
    the name mixes writing systems."""
    try:
        username = username_clean(username)
    except SignupConflict as error:
        raise SignupConflict({"username": error.messages}) from None
    except ValidationError as error:
        raise ValidationError({"username": error.messages}) from None
    if User.objects.filter(email__iexact=email).exists():
        raise SignupConflict({"email": EMAIL_TAKEN})
    try:
        with transaction.atomic():
            return User.objects.create_user(username=username, email=email, password=password)
    except IntegrityError:  # a concurrent sign-up took it first; the constraints tell
        raise user_conflict_error(username=username, email=email) from None


def user_tokens_revoke(*, user: User) -> int:
    """Delete the user's API tokens (their cached lookups go with them, see receivers);
    returns how many went. Called whenever the password changes."""
    deleted, _ = Token.objects.filter(user_id=user.pk).delete()
    return deleted


EMAIL_PREFERENCES = ("email_on_follow", "email_on_mention", "email_on_reply", "email_on_like")


def user_preferences_update(*, user: User, **preferences: bool | None) -> User:
    """The user's own settings (web preferences page and PATCH /api/v1/users/me/):
    the `EMAIL_PREFERENCES` switches; what is not given (or None) stays as it is."""
    unknown = set(preferences) - set(EMAIL_PREFERENCES)
    if unknown:
        raise ValidationError(f"Unknown preference: {', '.join(sorted(unknown))}.", code="unknown")
    changed = [name for name, value in preferences.items() if value is not None]
    for name in changed:
        setattr(user, name, preferences[name])
    if changed:
        user.save(update_fields=changed)
    return user


def user_mark_seen(*, user: User) -> bool:
    """Record that the user is here, at most every ACCOUNTS_LAST_SEEN_EVERY_SECONDS: free
    while the loaded row's `last_seen` is recent, else one cache claim (so concurrent
    requests and workers write once) and one UPDATE. True when it was written."""
    now = timezone.now()
    every = settings.ACCOUNTS_LAST_SEEN_EVERY_SECONDS
    if user.last_seen is not None and now - user.last_seen < timedelta(seconds=every):
        return False
    if not optional_read(lambda: cache.add(f"accounts:seen:{user.pk}", 1, every), False):
        return False
    User.objects.filter(pk=user.pk).update(last_seen=now)
    user.last_seen = now
    return True


def user_wants_email(*, user: User, kind: str) -> bool:
    """Whether `user` asked for e-mails about notifications of `kind` (follow, like...)."""
    return bool(user.email and getattr(user, f"email_on_{kind}", False))


def user_unread_notifications_add(*, user_id: int, delta: int) -> None:
    """Move the stored unread-notification count by `delta`, atomically, never below 0."""
    User.objects.filter(pk=user_id).update(
        unread_notifications=Greatest(F("unread_notifications") + delta, 0)
    )


def user_unread_notifications_set(*, counts: dict[int, int]) -> None:
    """Store exact unread counts {user_id: count} (after a recount), one query."""
    users = [User(pk=user_id, unread_notifications=count) for user_id, count in counts.items()]
    User.objects.bulk_update(users, ["unread_notifications"])
