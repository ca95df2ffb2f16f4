from django.apps import AppConfig


class SocialConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "social"
    verbose_name = "Social (Socializer)"

    def ready(self) -> None:
        # Connecting here means no code path can forget to (the book's connect_handlers()).
        from social import checks, receivers  # noqa: F401
