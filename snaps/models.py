import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from project.search import SearchIndex, search_vector
from snaps.languages import validate_language
from snaps.validators import validate_content, validate_extension, validate_name

# Searched by name and content, the name weighing more (project/search.py).
SNAP_SEARCH_FIELDS = {"name": "A", "content": "B"}


def new_hash_key() -> str:
    """40 hex chars of OS randomness: the unguessable public id of a snap."""
    return secrets.token_hex(20)


class Snap(models.Model):
    class Visibility(models.TextChoices):
        PUBLIC = "public", "Public — listed for everyone"
        UNLISTED = "unlisted", "Unlisted — anyone with the link"
        PRIVATE = "private", "Private — only you"

    class Expiry(models.TextChoices):
        NEVER = "never", "Never"
        HOUR = "1h", "1 hour"
        DAY = "1d", "1 day"
        WEEK = "1w", "1 week"
        MONTH = "1m", "1 month"
        ONETIME = "onetime", "After the first view (burn after reading)"

    EXPIRY_DELTAS = {
        Expiry.NEVER: None,
        Expiry.HOUR: timedelta(hours=1),
        Expiry.DAY: timedelta(days=1),
        Expiry.WEEK: timedelta(weeks=1),
        Expiry.MONTH: timedelta(days=30),
        Expiry.ONETIME: None,
    }

    # None for an anonymous snap (SNAPS_ALLOW_ANONYMOUS): its author holds the secret
    # edit token whose SHA-256 is edit_token_hash.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="snaps",
        null=True,
        blank=True,
    )
    edit_token_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    name = models.CharField(max_length=128, validators=[validate_name])
    extension = models.CharField(max_length=12, validators=[validate_extension])
    # A Pygments alias (`python`); blank on snaps made before languages, which the
    # extension highlights.
    language = models.CharField(
        max_length=64, blank=True, default="", validators=[validate_language]
    )
    content = models.TextField(validators=[validate_content])
    hash_key = models.CharField(max_length=40, unique=True, editable=False, default=new_hash_key)
    visibility = models.CharField(
        max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC, db_index=True
    )
    created_on = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Deleted by the first view of anyone but its author (services.snap_open).
    burn_after_reading = models.BooleanField(default=False)
    # The current revision's number; the earlier ones are SnapRevision rows.
    revision = models.PositiveIntegerField(default=1, editable=False)
    revised_on = models.DateTimeField(null=True, blank=True, editable=False)
    # The snap this one was forked from or replies to (dpaste's "reply").
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="forks"
    )

    class Meta:
        ordering = ["-created_on", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_on"], name="snaps_user_created_idx"),
            SearchIndex(search_vector(SNAP_SEARCH_FIELDS), name="snaps_snap_search_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("snaps:detail", kwargs={"hash_key": self.hash_key})

    def get_raw_url(self) -> str:
        return reverse("snaps:raw", kwargs={"hash_key": self.hash_key})

    def get_history_url(self) -> str:
        return reverse("snaps:history", kwargs={"hash_key": self.hash_key})

    def as_revision(self) -> "SnapRevision":
        """The current state as an (unsaved) revision, so every revision reads alike."""
        return SnapRevision(
            snap=self,
            number=self.revision,
            name=self.name,
            extension=self.extension,
            language=self.language,
            content=self.content,
            created_on=self.revised_on or self.created_on,
        )

    @property
    def author_name(self) -> str:
        return self.user.get_username() if self.user_id else "anonymous"

    @property
    def is_listed(self) -> bool:
        """Public and not one-time: what others may list, fork, embed and trace."""
        return self.visibility == self.Visibility.PUBLIC and not self.burn_after_reading

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def filename(self) -> str:
        """The name as a file, e.g. `hello.py`, unless the name already ends so."""
        suffix = f".{self.extension}"
        return self.name if self.name.lower().endswith(suffix) else f"{self.name}{suffix}"


class SnapRevision(models.Model):
    """An earlier state of a snap, kept when its owner edits it (as Gist does)."""

    snap = models.ForeignKey(Snap, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    name = models.CharField(max_length=128)
    extension = models.CharField(max_length=12)
    language = models.CharField(max_length=64, blank=True, default="")
    content = models.TextField()
    created_on = models.DateTimeField()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["snap", "number"], name="snaps_revision_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.snap_id} r{self.number}"

    def get_absolute_url(self) -> str:
        return reverse(
            "snaps:revision", kwargs={"hash_key": self.snap.hash_key, "number": self.number}
        )

    def get_raw_url(self) -> str:
        return reverse(
            "snaps:revision-raw", kwargs={"hash_key": self.snap.hash_key, "number": self.number}
        )

    @property
    def filename(self) -> str:
        suffix = f".{self.extension}"
        return self.name if self.name.lower().endswith(suffix) else f"{self.name}{suffix}"
