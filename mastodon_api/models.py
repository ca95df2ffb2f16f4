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
