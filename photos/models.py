from django.conf import settings
from django.db import models
from django.utils import timezone

from project.search import SearchIndex, search_vector

# Searched by the caption (project/search.py).
PHOTO_SEARCH_FIELDS = {"comment": "A"}


class Photo(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="photos"
    )
    # Names are random ids chosen by the service, never the client's file name.
    image = models.ImageField(upload_to="photos/", max_length=255)
    thumbnail = models.ImageField(upload_to="photos/thumbnails/", max_length=255, blank=True)
    comment = models.TextField(blank=True, default="")
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    size = models.PositiveBigIntegerField(editable=False, help_text="Stored bytes")
    sha256 = models.CharField(max_length=64, editable=False, db_index=True)
    created_on = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_on", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_on"], name="photos_user_created_idx"),
            SearchIndex(search_vector(PHOTO_SEARCH_FIELDS), name="photos_photo_search_idx"),
        ]

    def __str__(self) -> str:
        return self.comment[:50] or self.image.name
