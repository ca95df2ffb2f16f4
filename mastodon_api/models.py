from django.db import models


class AppRegistration(models.Model):
    """What Mastodon's POST /api/v1/apps records beside django-oauth-toolkit's
    Application: the app's website and the scopes it may ask for."""

    application = models.OneToOneField(
        "oauth2_provider.Application",
        on_delete=models.CASCADE,
        related_name="mastodon_registration",
    )
    website = models.URLField(max_length=500, blank=True)
    scopes = models.CharField(max_length=1000, default="read")
    created_on = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.application_id}: {self.scopes}"

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()


class MediaAttachment(models.Model):
    """A photo uploaded through Mastodon's media API: its focal point, and the status it
    is attached to once posted (at most four per status, in order)."""

    photo = models.OneToOneField(
        "photos.Photo", on_delete=models.CASCADE, related_name="mastodon_media"
    )
    post = models.ForeignKey(
        "social.Post",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="mastodon_media",
    )
    position = models.PositiveSmallIntegerField(default=0)
    focus_x = models.FloatField(default=0.0)
    focus_y = models.FloatField(default=0.0)
    created_on = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["post", "position"]
        indexes = [models.Index(fields=["post", "position"], name="mastodon_media_post_idx")]

    def __str__(self) -> str:
        return f"photo {self.photo_id} on {self.post_id}"
