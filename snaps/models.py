import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from project.search import SearchIndex, search_vector
from project.tags import TagModel
from snaps.languages import validate_language
from snaps.validators import validate_content, validate_extension, validate_name

# A snap's files are searched by name and content, the name weighing more
# (project/search.py); a snap is found when any of its files is.
SNAP_FILE_SEARCH_FIELDS = {"name": "A", "content": "B"}


# Where selectors.files_in_full() puts a snap's whole files when a list fetched only heads.
FILES_IN_FULL = "files_in_full"


def new_hash_key() -> str:
    """40 hex chars of OS randomness: the unguessable public id of a snap."""
    return secrets.token_hex(20)


class SnapTag(TagModel):
    """A keyword on snaps ("django", "regex"); each has its page. Names and slugs follow
    project.tags, as recipes' tags do."""

    def get_absolute_url(self) -> str:
        return reverse("snaps:tag", kwargs={"slug": self.slug})


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
    # What it holds is in its files (SnapFile, 1..SNAPS_MAX_FILES, as in Gist).
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
    tags = models.ManyToManyField(SnapTag, blank=True, related_name="snaps")

    class Meta:
        ordering = ["-created_on", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_on"], name="snaps_user_created_idx"),
        ]

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse("snaps:detail", kwargs={"hash_key": self.hash_key})

    def get_raw_url(self) -> str:
        """The first file's text (its own URL since snaps had one file)."""
        return reverse("snaps:raw", kwargs={"hash_key": self.hash_key})

    def get_history_url(self) -> str:
        return reverse("snaps:history", kwargs={"hash_key": self.hash_key})

    @property
    def file_list(self) -> list["SnapFile"]:
        """Its files in order; prefetched by the selectors (else one query). Read from
        the prefetch even once the snap is deleted (a one-time snap's only view)."""
        in_full = self.__dict__.get(FILES_IN_FULL)  # selectors.files_in_full(), over heads
        if in_full is not None:
            return list(in_full)
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("files")
        return list(prefetched if prefetched is not None else self.files.all())

    @property
    def first_file(self) -> "SnapFile | None":
        files = self.file_list
        return files[0] if files else None

    @property
    def filename(self) -> str:
        """The snap's title: its first file's name, as Gist names a gist."""
        first = self.first_file
        return first.filename if first else self.hash_key[:8]

    @property
    def tag_names(self) -> list[str]:
        """Its tags' names (prefetched by the API; none once a one-time snap is gone)."""
        return [] if self.pk is None else [tag.name for tag in self.tags.all()]

    def as_revision(self) -> "SnapRevision":
        """The current state as an (unsaved) revision, so every revision reads alike."""
        return SnapRevision(
            snap=self,
            number=self.revision,
            files=[file.as_state() for file in self.file_list],
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


def filename_of(name: str, extension: str) -> str:
    """The name as a file, e.g. `hello.py`, unless the name already ends so."""
    suffix = f".{extension}"
    return name if name.lower().endswith(suffix) else f"{name}{suffix}"


# What a file is made of, as services take it and revisions keep it.
FILE_FIELDS = ("name", "extension", "language", "content")


class SnapFile(models.Model):
    """One file of a snap: its own name, language and raw URL."""

    snap = models.ForeignKey(Snap, on_delete=models.CASCADE, related_name="files")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=128, validators=[validate_name])
    extension = models.CharField(max_length=12, validators=[validate_extension])
    # A Pygments alias (`python`); blank on snaps made before languages, which the
    # extension highlights.
    language = models.CharField(
        max_length=64, blank=True, default="", validators=[validate_language]
    )
    content = models.TextField(validators=[validate_content])

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["snap", "position"], name="snaps_file_position_unique")
        ]
        indexes = [
            SearchIndex(search_vector(SNAP_FILE_SEARCH_FIELDS), name="snaps_file_search_idx"),
        ]

    def __str__(self) -> str:
        return self.filename

    @property
    def filename(self) -> str:
        return filename_of(self.name, self.extension)

    @property
    def number(self) -> int:
        """1 for the first file: what its line anchors are prefixed with (none for 1)."""
        return self.position + 1

    @property
    def anchor_prefix(self) -> str:
        # The first file keeps the `#L5` anchors links made before files had numbers.
        return "" if self.position == 0 else f"f{self.number}-"

    def get_raw_url(self) -> str:
        return reverse(
            "snaps:file-raw", kwargs={"hash_key": self.snap.hash_key, "filename": self.filename}
        )

    def as_state(self) -> dict:
        return {field: getattr(self, field) for field in FILE_FIELDS}


class SnapRevision(models.Model):
    """An earlier state of a snap, kept when its owner edits it (as Gist does)."""

    snap = models.ForeignKey(Snap, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    # The files as they were: [{"name", "extension", "language", "content"}, ...]
    # (a revision never changes, so one JSON value instead of rows).
    files = models.JSONField(default=list)
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
    def file_list(self) -> list[SnapFile]:
        """Its files as unsaved SnapFile objects, so they read like the current ones."""
        return [
            SnapFile(position=position, **{field: state.get(field, "") for field in FILE_FIELDS})
            for position, state in enumerate(self.files or [])
        ]

    @property
    def filename(self) -> str:
        """The first file's name; from the `first_name`/`first_extension` annotations
        when the files were not read (selectors.snap_revision_list)."""
        if "files" in self.get_deferred_fields():
            return filename_of(self.first_name or "", self.first_extension or "")
        first = (self.files or [{}])[0]
        return filename_of(first.get("name", ""), first.get("extension", ""))
