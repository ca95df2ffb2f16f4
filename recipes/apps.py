from django.apps import AppConfig


class RecipesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "recipes"
    verbose_name = "Recipes (Dinnerly)"

    def ready(self) -> None:
        from recipes import checks  # noqa: F401  (registers the SITE_URL deploy check)
        from recipes.providers import apply_api_urls

        apply_api_urls()
