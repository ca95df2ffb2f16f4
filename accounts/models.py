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

    def save(self, *args, **kwargs) -> None:
        # Every path (allauth, social sign-up, admin, fixtures) stores the normal form,
        # so the case-insensitive constraint also catches compatibility look-alikes.
        if self.username:
            self.username = self.normalize_username(self.username)
        super().save(*args, **kwargs)
