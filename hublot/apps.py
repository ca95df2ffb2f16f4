from django.apps import AppConfig


class HublotConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hublot"
