import secrets
import uuid
from datetime import timedelta
from io import BytesIO

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.http import Http404, HttpRequest
from django.utils import timezone

from accounts.models import EMAIL_TAKEN, USERNAME_TAKEN, ApiToken, User, hash_token_key
from accounts.validators import validate_username_form
from project.cache import optional_read
from project.imaging import clean_image, make_thumbnail
from project.urlsafety import safe_http_url


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


def user_create(
    *, username: str, email: str, password: str, request: HttpRequest | None = None
) -> User:
    """A new account, with its address recorded as the web sign-up records it (allauth's
    primary EmailAddress, unverified); with ACCOUNT_EMAIL_VERIFICATION on, `request`
    given, the confirmation e-mail goes out after the commit. SignupConflict when the
    username (in any case or compatibility form) or the email is taken, also by a
    concurrent sign-up; ValidationError when the name mixes writing systems."""
    try:
        username = username_clean(username)
    except SignupConflict as error:
        raise SignupConflict({"username": error.messages}) from None
    except ValidationError as error:
        raise ValidationError({"username": error.messages}) from None
    if User.objects.filter(email__iexact=email).exists():
        raise SignupConflict({"email": EMAIL_TAKEN})
    from allauth.account.models import EmailAddress

    try:
        with transaction.atomic():
            user = User.objects.create_user(username=username, email=email, password=password)
            address = EmailAddress.objects.create(
                user=user, email=email.lower(), primary=True, verified=False
            )
    except IntegrityError:  # a concurrent sign-up took it first; the constraints tell
        raise user_conflict_error(username=username, email=email) from None
    if request is not None and settings.ACCOUNT_EMAIL_VERIFICATION != "none":
        transaction.on_commit(lambda: address.send_confirmation(request, signup=True))
    return user


EMAIL_UNVERIFIED = (
    "Confirm your e-mail address first: follow the link in the e-mail we sent "
    "(or have it sent again under Settings → E-mail)."
)


def user_check_email_verified(user: User) -> None:
    """With ACCOUNT_EMAIL_VERIFICATION = "mandatory", the password gets into the API only
    once an address is confirmed, as on the web login (allauth's rule)."""
    if settings.ACCOUNT_EMAIL_VERIFICATION != "mandatory":
        return
    from allauth.account.models import EmailAddress

    if not EmailAddress.objects.filter(user_id=user.pk, verified=True).exists():
        raise ValidationError(EMAIL_UNVERIFIED, code="email_unverified")


def user_tokens_revoke(*, user: User) -> int:
    """Delete the user's API tokens (their cached lookups go with them, see receivers);
    returns how many went. Called whenever the password changes."""
    return api_token_delete_many(ApiToken.objects.filter(user_id=user.pk))


def api_token_delete_many(tokens) -> int:
    """Delete these tokens; the post_delete receiver drops their cached look-ups."""
    deleted, _ = tokens.delete()
    return deleted


TOKEN_NAME_FOR_PASSWORD_EXCHANGE = "API (password sign-in)"


@transaction.atomic
def api_token_create(*, user: User, name: str, prune: bool = False) -> ApiToken:
    """A new token for `user`; its key is on the returned object (`.key`) and nowhere
    else. At API_TOKENS_MAX_PER_USER, ValidationError, unless `prune` (the password
    exchange, whose old clients never revoke): then the least recently used go."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Give the token a name."}, code="required")
    limit = settings.API_TOKENS_MAX_PER_USER
    User.objects.select_for_update().filter(pk=user.pk).first()  # one creator at a time
    existing = ApiToken.objects.filter(user_id=user.pk)
    surplus = existing.count() - limit + 1
    if surplus > 0:
        if not prune:
            raise ValidationError(
                f"You have {limit} tokens, the most allowed: revoke one first.",
                code="too_many_tokens",
            )
        oldest = existing.order_by(F("last_used_at").asc(nulls_first=True), "created_at")
        api_token_delete_many(ApiToken.objects.filter(pk__in=oldest.values("pk")[:surplus]))
    key = secrets.token_hex(20)
    token = ApiToken(user=user, name=name, key_hash=hash_token_key(key), prefix=key[:8])
    token.full_clean(exclude=["key_hash"])
    token.save()
    token.key = key
    return token


def api_token_revoke(*, token_id: int, user: User) -> None:
    """Revoke one of `user`'s tokens; Http404 when it is not theirs (or already gone)."""
    if not api_token_delete_many(ApiToken.objects.filter(pk=token_id, user_id=user.pk)):
        raise Http404("No such token.")


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


PROFILE_FIELDS = ("display_name", "bio", "website")


def user_profile_update(*, user: User, **fields) -> User:
    """Display name, bio and website (web settings page and PATCH /api/v1/users/me/);
    what is not given stays as it is. The website must be an absolute http(s) URL."""
    changed = []
    for name, value in fields.items():
        if name not in PROFILE_FIELDS or value is None:
            continue
        value = value.strip()
        if name == "website" and value and safe_http_url(value) is None:
            raise ValidationError(
                {"website": "Enter an http:// or https:// address."}, code="unsafe_url"
            )
        setattr(user, name, value)
        changed.append(name)
    if changed:
        user.clean_fields(exclude=[f.name for f in User._meta.fields if f.name not in changed])
        user.save(update_fields=changed)
    return user


def user_avatar_set(*, user: User, file) -> User:
    """Validate the upload by content, drop its metadata, keep a copy at most 640 px wide
    under a random name; the previous avatar's file goes once the new one is saved."""
    image = clean_image(file, getattr(file, "size", None))
    data, extension = make_thumbnail(BytesIO(image.data))
    old_name = user.avatar.name
    storage = user.avatar.storage
    user.avatar.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            user.save(update_fields=["avatar"])
    except Exception:
        user.avatar.delete(save=False)
        raise
    if old_name:
        transaction.on_commit(lambda: storage.delete(old_name))
    return user


def user_avatar_delete(*, user: User) -> User:
    if user.avatar:
        name, storage = user.avatar.name, user.avatar.storage
        user.avatar = ""
        user.save(update_fields=["avatar"])
        transaction.on_commit(lambda: storage.delete(name))
    return user


SECOND_FACTOR_NEEDED = (
    "This account uses two-factor authentication: send `otp_code` (from your "
    "authenticator app, or a recovery code) with the password, or create a token on "
    "the web under Settings → API tokens."
)


def user_has_second_factor(user: User) -> bool:
    from allauth.mfa.utils import is_mfa_enabled

    return is_mfa_enabled(user)


def user_check_second_factor(*, user: User, code: str | None) -> None:
    """For password sign-ins outside the web login (the API token exchange): an account
    with two-factor authentication must also give a current TOTP or an unused recovery
    code. allauth's own check, so its rate limit and replay rules apply."""
    if not user_has_second_factor(user):
        return
    if not code:
        raise ValidationError({"otp_code": SECOND_FACTOR_NEEDED}, code="otp_required")
    from allauth.mfa.base.forms import BaseAuthenticateForm

    form = BaseAuthenticateForm(data={"code": code}, user=user)
    if not form.is_valid():
        raise ValidationError({"otp_code": form.errors["code"]}, code="otp_invalid")


# The package's other modules, re-exported (they import the helpers above).
from accounts.services.deletion import user_delete, user_delete_request  # noqa: E402, F401
from accounts.services.export import (  # noqa: E402, F401
    data_export_purge_expired,
    delete_user_exports,
    user_export_build,
    user_export_create,
    user_export_from_signed,
    user_export_signed_url,
)


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
