import hashlib
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.validators import validate_username_form

USERNAME_TAKEN = "A user with that username already exists."
EMAIL_TAKEN = "A user with that email address already exists."


class User(AbstractUser):
    """The one user base shared by every app of the platform.

    Usernames are stored NFKC-normalised (full-width or modifier-letter "demo" is "demo") and are
    unique regardless of case, enforced by the database so racing sign-ups cannot
    both win."""

    email = models.EmailField("email address", max_length=254)
    email_on_follow = models.BooleanField(
        "e-mail me when someone follows me",
        default=True,
        help_text="At most one e-mail per follower and day.",
    )
    # Written at most every ACCOUNTS_LAST_SEEN_EVERY_SECONDS (accounts.middleware); the
    # feed fan-out skips followers not seen for SOCIAL_FEED_INACTIVE_DAYS.
    last_seen = models.DateTimeField("last seen", default=timezone.now)
    email_on_mention = models.BooleanField(
        "e-mail me when someone mentions me",
        default=True,
        help_text="At most one e-mail per person and hour.",
    )
    email_on_reply = models.BooleanField(
        "e-mail me when someone replies to my post",
        default=True,
        help_text="At most one e-mail per person and hour.",
    )
    email_on_like = models.BooleanField(
        "e-mail me when someone likes my post",
        default=False,
        help_text="At most one e-mail per person and hour.",
    )
    # Kept here, on the row every request loads anyway, so the navigation's unread
    # badge costs no query; social's notification services keep it in step.
    unread_notifications = models.PositiveIntegerField(default=0, editable=False)
    # Profile, shown by every app (accounts/templatetags/accounts.py: user_chip).
    display_name = models.CharField(max_length=50, blank=True)
    bio = models.TextField(max_length=500, blank=True)
    # A square-ish copy at most 640 px wide, re-encoded without metadata (project/imaging/).
    avatar = models.ImageField(upload_to="avatars/", max_length=255, blank=True)
    website = models.URLField(max_length=200, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                violation_error_message=EMAIL_TAKEN,
            ),
            models.UniqueConstraint(
                Lower("username"),
                name="accounts_user_username_ci_unique",
                violation_error_message=USERNAME_TAKEN,
            ),
        ]

    def clean(self) -> None:
        super().clean()  # normalises the username
        if not self.email:
            raise ValidationError({"email": "An email address is required."}, code="required")
        try:
            validate_username_form(self.username or "")
        except ValidationError as error:
            raise ValidationError({"username": error}) from None

    @property
    def shown_name(self) -> str:
        """What other people see: the display name, else the username."""
        return self.display_name or self.username

    def save(self, *args, **kwargs) -> None:
        # Every path (allauth, social sign-up, admin, fixtures) stores the normal form,
        # so the case-insensitive constraint also catches compatibility look-alikes.
        if self.username:
            self.username = self.normalize_username(self.username)
        super().save(*args, **kwargs)


def hash_token_key(key: str) -> str:
    """What is stored of an API token: its SHA-256 (tokens carry 160 random bits, so a
    plain hash cannot be reversed by guessing)."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A named API token (`Authorization: Token <key>`); several per user. Only the hash
    of the key is stored: the key is shown once, when the token is made."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The key's first characters, so a person can tell their tokens apart.
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    # Written at most once a minute per token (accounts.authentication).
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="accounts_token_user_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class DataExport(models.Model):
    """One zip of everything a user has on the platform, built by a Celery task."""

    class Status(models.TextChoices):
        PENDING = "pending", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="data_exports")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    # A random name under exports/; reached only through a signed, expiring link.
    file = models.FileField(upload_to="exports/", max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="accounts_export_user_idx")]

    def __str__(self) -> str:
        return f"export {self.pk} of user {self.user_id}: {self.status}"

    @property
    def expires_at(self) -> datetime:
        """When its link stops working and the beat task deletes it (file and row):
        ACCOUNT_EXPORT_LINK_SECONDS after it was finished, or created if it never was."""
        return (self.finished_at or self.created_at) + timedelta(
            seconds=settings.ACCOUNT_EXPORT_LINK_SECONDS
        )

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()
