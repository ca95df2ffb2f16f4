from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from rest_framework.authtoken.models import Token

from accounts.models import User


def user_get_or_create_demo(*, username: str, password: str) -> User:
    """The demo account; its password is reset so the printed credentials always work."""
    user, _ = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.com"}
    )
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def user_create(*, username: str, email: str, password: str) -> User:
    """A new account; ValidationError(code="duplicate") when the username or email is taken."""
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            {"username": "A user with that username already exists."}, code="duplicate"
        )
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": "A user with that email address already exists."}, code="duplicate"
        )
    try:
        with transaction.atomic():
            return User.objects.create_user(username=username, email=email, password=password)
    except IntegrityError:  # a concurrent sign-up took it first
        raise ValidationError(
            "A user with that username or email already exists.", code="duplicate"
        ) from None


def user_tokens_revoke(*, user: User) -> int:
    """Delete the user's API tokens (their cached lookups go with them, see receivers);
    returns how many went. Called whenever the password changes."""
    deleted, _ = Token.objects.filter(user_id=user.pk).delete()
    return deleted


def user_preferences_update(*, user: User, email_on_follow: bool) -> User:
    """The user's own settings (web preferences page and PATCH /api/v1/users/me/)."""
    user.email_on_follow = email_on_follow
    user.save(update_fields=["email_on_follow"])
    return user
