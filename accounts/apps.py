from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    # allauth's e-mail addresses already sit under "Accounts" in the admin.
    verbose_name = "Users and tokens"

    def ready(self) -> None:
        from accounts import checks, receivers  # noqa: F401
