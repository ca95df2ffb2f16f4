from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from photos.storage import originals_storage


class Photo(models.Model):
    class Status(models.TextChoices):
        PROCESSING = "processing", "Processing"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="photos"
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
    exif = models.JSONField(default=dict, blank=True, editable=False)
    blurhash = models.CharField(max_length=64, blank=True, default="", editable=False)
    created_on = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_on", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_on"], name="photos_user_created_idx"),
            models.Index(
                fields=["-created_on", "-id"],
                condition=models.Q(status="ready"),
                name="photos_ready_created_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["user", "sha256"], name="photos_unique_per_user")
        ]

    def __str__(self) -> str:
        return self.comment[:50] or self.alt_text[:50] or f"Photo {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("photos:detail", args=[self.pk])

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def description(self) -> str:
        """The image's text alternative: its alt text, else its caption."""
        return self.alt_text or self.comment or "Photo"
