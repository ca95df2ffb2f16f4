"""The one rule every write to a recipe starts with."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied

from recipes.models import Recipe


def require_author(recipe: Recipe, by: AbstractBaseUser, *, to: str = "change") -> None:
    """PermissionDenied unless `by` wrote the recipe."""
    if recipe.user_id != by.pk:
        raise PermissionDenied(f"Only the author can {to} this recipe.")
