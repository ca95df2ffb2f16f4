"""Import from another site's page or from pasted HTML or JSON-LD."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError

from recipes.models import (
    Recipe,
)
from recipes.services.core import recipe_create


def recipe_import(*, user: AbstractBaseUser, url: str = "", paste: str = "") -> Recipe:
    """A recipe from another site's page (fetched with the SSRF guard, bounded in time
    and size) or from pasted HTML or JSON-LD. Imports are not announced anywhere."""
    from project.urlsafety import FetchError, UnsafeURL, fetch_public_url
    from recipes.importer import NoRecipeFound, recipe_data_from_html, recipe_data_from_paste

    field = "url" if url else "paste"
    try:
        if url:
            page = fetch_public_url(
                url,
                timeout=settings.RECIPES_IMPORT_TIMEOUT_SECONDS,
                max_bytes=settings.RECIPES_IMPORT_MAX_BYTES,
            )
            data = recipe_data_from_html(page.text, page.url)
            data["source_url"] = url if len(url) <= 2048 else ""
        elif paste.strip():
            data = recipe_data_from_paste(paste)
        else:
            raise ValidationError({"url": "Give a URL or paste a page."}, code="required")
    except (UnsafeURL, FetchError, NoRecipeFound) as error:
        raise ValidationError({field: str(error)}, code="import_failed") from None
    return recipe_create(user=user, share_on=[], **data)
