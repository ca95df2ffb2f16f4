from django.apps import AppConfig


class MastodonApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mastodon_api"
    verbose_name = "Mastodon client API"

    def ready(self) -> None:
        from mastodon_api import receivers  # noqa: F401
