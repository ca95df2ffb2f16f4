"""Ratings, favourites and "I cooked this"."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils import timezone

from recipes.models import (
    Cooked,
    Favourite,
    Rating,
    Recipe,
)


def rating_set(*, user: AbstractBaseUser, recipe: Recipe, stars: int) -> Rating:
    """Rate a recipe 1-5 (again: the new stars replace the old). Not your own."""
    if recipe.user_id == user.pk:
        raise ValidationError({"stars": "Rate other people's recipes."}, code="own_recipe")
    if not isinstance(stars, int) or not 1 <= stars <= 5:
        raise ValidationError({"stars": "From 1 to 5 stars."}, code="invalid")
    rating, _ = Rating.objects.update_or_create(
        user=user, recipe=recipe, defaults={"stars": stars, "rated_on": timezone.now()}
    )
    return rating


def rating_delete(*, user: AbstractBaseUser, recipe: Recipe) -> None:
    Rating.objects.filter(user=user, recipe=recipe).delete()


def favourite_add(*, user: AbstractBaseUser, recipe: Recipe) -> None:
    Favourite.objects.get_or_create(user=user, recipe=recipe)


def favourite_remove(*, user: AbstractBaseUser, recipe: Recipe) -> None:
    Favourite.objects.filter(user=user, recipe=recipe).delete()


def cooked_add(*, user: AbstractBaseUser, recipe: Recipe, cooked_on=None, note: str = "") -> Cooked:
    """Record that `user` cooked it on `cooked_on` (today by default; not in the future)."""
    cooked = Cooked(user=user, recipe=recipe, note=note.strip())
    if cooked_on is not None:
        cooked.cooked_on = cooked_on
    if cooked.cooked_on > timezone.localdate():
        raise ValidationError({"cooked_on": "That day has not come yet."}, code="future")
    cooked.full_clean()
    cooked.save()
    return cooked
