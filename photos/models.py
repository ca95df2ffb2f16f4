from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from photos.storage import originals_storage
from project.search import SearchIndex, search_vector

# Searched by the caption and the alt text (project/search.py).
PHOTO_SEARCH_FIELDS = {"comment": "A", "alt_text": "B"}


class Album(models.Model):
    """An ordered set of up to PHOTOS_ALBUM_MAX_PHOTOS of one user's photos."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="photo_albums"
    )
    title = models.CharField(max_length=100)
    description = models.TextField(blank=True, default="", max_length=2000)
    created_on = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_on", "-id"]
        indexes = [models.Index(fields=["user", "-created_on"], name="photos_album_user_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("photos:album-detail", args=[self.pk])


class Photo(models.Model):
    class Status(models.TextChoices):
        PROCESSING = "processing", "Processing"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="photos",
        db_index=False,  # photos_user_size_idx and the others lead with the user
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PROCESSING, editable=False
    )
    error = models.CharField(max_length=300, blank=True, default="", editable=False)
    # The upload as it came (EXIF and GPS included): private storage, owner only.
    # Names are random ids chosen by the service, never the client's file name.
    original = models.FileField(
        upload_to="photos/", storage=originals_storage, max_length=255, blank=True
    )
    # Served files, made by the worker and stripped of all metadata: the display size
    # (JPEG, or PNG with transparency) and its WebP, a square thumbnail and its WebP.
    image = models.ImageField(upload_to="photos/", max_length=255, blank=True)
    image_webp = models.FileField(upload_to="photos/", max_length=255, blank=True)
    thumbnail = models.ImageField(upload_to="photos/thumbnails/", max_length=255, blank=True)
    thumbnail_webp = models.FileField(upload_to="photos/thumbnails/", max_length=255, blank=True)
    comment = models.TextField(blank=True, default="")
    alt_text = models.TextField(
        blank=True, default="", help_text="Describes the photo for people who cannot see it."
    )
    width = models.PositiveIntegerField(editable=False, help_text="Of the original, upright")
    height = models.PositiveIntegerField(editable=False)
    display_width = models.PositiveIntegerField(editable=False, default=0)
    display_height = models.PositiveIntegerField(editable=False, default=0)
    thumbnail_side = models.PositiveIntegerField(editable=False, default=0)
    size = models.PositiveBigIntegerField(editable=False, help_text="Bytes of the original")
    sha256 = models.CharField(
        max_length=64, editable=False, db_index=True, help_text="Of the original's bytes"
    )
    album = models.ForeignKey(
        Album, on_delete=models.SET_NULL, null=True, blank=True, related_name="photos"
    )
    album_position = models.PositiveSmallIntegerField(default=0, editable=False)
    exif = models.JSONField(default=dict, blank=True, editable=False)
    blurhash = models.CharField(max_length=64, blank=True, default="", editable=False)
    created_on = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_on", "-id"]
        indexes = [
            # The whole ordering after the user, so a stream's page is read straight off it.
            models.Index(fields=["user", "-created_on", "-id"], name="photos_user_created_id_idx"),
            models.Index(fields=["album", "album_position"], name="photos_album_order_idx"),
            # The storage used (a SUM over the user's sizes, on every grid page and upload)
            # from the index alone: 50,000 photos cost 600 ms read from the table.
            models.Index(fields=["user"], include=["size"], name="photos_user_size_idx"),
            models.Index(
                fields=["-created_on", "-id"],
                condition=models.Q(status="ready"),
                name="photos_ready_created_idx",
            ),
            SearchIndex(search_vector(PHOTO_SEARCH_FIELDS), name="photos_photo_search_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["user", "sha256"], name="photos_unique_per_user")
        ]

    def __str__(self) -> str:
        return self.comment[:50] or self.alt_text[:50] or f"Photo {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("photos:detail", args=[self.pk])

    def clean(self) -> None:
        # The admin's album field; the services check the same before they save.
        if self.album_id is None:
            return
        if self.album.user_id != self.user_id:
            raise ValidationError({"album": "Only the photo's owner's albums."})
        others = self.album.photos.exclude(pk=self.pk).count()
        if others >= settings.PHOTOS_ALBUM_MAX_PHOTOS:
            raise ValidationError(
                {"album": f"An album holds at most {settings.PHOTOS_ALBUM_MAX_PHOTOS} photos."}
            )

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def description(self) -> str:
        """The image's text alternative: its alt text, else its caption."""
        return self.alt_text or self.comment or "Photo"
