from django.apps import AppConfig


class SnapsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "snaps"
