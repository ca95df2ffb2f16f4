from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower


class User(AbstractUser):
    """The one user base shared by every app of the platform."""

    email = models.EmailField("email address", max_length=254)
    email_on_follow = models.BooleanField(
        "e-mail me when someone follows me",
        default=True,
        help_text="At most one e-mail per follower and day.",
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                violation_error_message="A user with that email address already exists.",
            ),
        ]

    def clean(self) -> None:
        super().clean()
        if not self.email:
            raise ValidationError({"email": "An email address is required."}, code="required")
