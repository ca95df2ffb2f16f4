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
    """What Mastodon's media API keeps beside a photo it uploaded: the focal point.
    The photo's id is the media id, so the id a client holds from POST /api/v2/media is
    the one the status shows; which post shows the photo is social's PostAttachment."""

    photo = models.OneToOneField(
        "photos.Photo",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="mastodon_media",
    )
    focus_x = models.FloatField(default=0.0)
    focus_y = models.FloatField(default=0.0)
    created_on = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"media of photo {self.photo_id}"
