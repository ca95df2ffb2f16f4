"""Recipes themselves: create, update, delete, share, and an account's removal."""

from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from project import pagecache
from project.deletion import delete_or_404
from recipes.models import (
    CrossPost,
    Recipe,
)
from recipes.services.authors import require_author
from recipes.services.crossposts import available_crosspost_providers, crosspost_enqueue
from recipes.services.ingredients import _ingredients_replace, _prepare_ingredients, rows_from_text
from recipes.services.pictures import pictures_delete_on_commit, recipe_picture_names
from recipes.services.steps import _prepare_steps, _steps_replace, steps_from_text
from recipes.services.tags import tags_for_names
from recipes.services.tweets import crosspost_marker, crosspost_text
from social import services as social_services

RECIPE_FIELDS = (
    "title",
    "ingredients",
    "instructions",
    "servings",
    "prep_time_minutes",
    "cook_time_minutes",
    "total_time_minutes",
    "source_url",
    "visibility",
)


MAX_SHARES = 50


def _share_targets(usernames: list[str], *, owner: AbstractBaseUser) -> list:
    """The users named (each must exist; the owner is left out)."""
    from django.contrib.auth import get_user_model

    names = list(dict.fromkeys(str(name).strip() for name in usernames if str(name).strip()))
    if len(names) > MAX_SHARES:
        raise ValidationError({"shared_with": f"Share with at most {MAX_SHARES} people."})
    users = list(get_user_model().objects.filter(username__in=names).exclude(pk=owner.pk))
    missing = set(names) - {user.username for user in users} - {owner.get_username()}
    if missing:
        listed = ", ".join(sorted(missing)[:5])
        raise ValidationError({"shared_with": f"No such user: {listed}."}, code="unknown_user")
    return users


def _fill_total_time(recipe: Recipe) -> None:
    """Prep and cook time are kept apart; the total is their sum unless given."""
    if recipe.total_time_minutes is None and (recipe.prep_time_minutes or recipe.cook_time_minutes):
        recipe.total_time_minutes = (recipe.prep_time_minutes or 0) + (
            recipe.cook_time_minutes or 0
        )


@transaction.atomic
def recipe_create(
    *,
    user: AbstractBaseUser,
    share_on: list[str] | None = None,
    ingredient_rows: list[dict] | None = None,
    steps: list[dict] | None = None,
    tags: list[str] | None = None,
    shared_with: list[str] | None = None,
    **fields,
) -> Recipe:
    """Save the recipe and queue one announcement per chosen network, after commit.
    The recipe is saved whatever the networks do later."""
    recipe = Recipe(user=user, **{k: v for k, v in fields.items() if k in RECIPE_FIELDS})
    rows = _prepare_ingredients(recipe, ingredient_rows)
    _prepare_steps(recipe, steps)
    _fill_total_time(recipe)
    recipe.full_clean()
    recipe.save()
    _ingredients_replace(recipe, rows if rows is not None else rows_from_text(recipe.ingredients))
    _steps_replace(recipe, steps if steps is not None else steps_from_text(recipe.instructions))
    if tags:
        recipe.tags.set(tags_for_names(tags))
    if shared_with:
        recipe.shared_with.set(_share_targets(shared_with, owner=user))
    pagecache.invalidate_on_commit("recipes")
    if recipe.visibility != Recipe.Visibility.PUBLIC:
        return recipe  # unlisted and private recipes are never announced
    social_services.activity_publish(user_id=user.pk, kind="recipe", subject_id=recipe.pk)
    available = available_crosspost_providers(user)
    # Each network once, however often a client names it (one CrossPost row per network).
    chosen = available if share_on is None else [p for p in available if p in share_on]
    for provider in chosen:
        text = crosspost_text(recipe, marker=crosspost_marker())
        crosspost = CrossPost.objects.create(recipe=recipe, provider=provider, text=text)
        transaction.on_commit(partial(crosspost_enqueue, crosspost.pk))
    return recipe


@transaction.atomic
def recipe_update(
    *,
    recipe: Recipe,
    by: AbstractBaseUser,
    ingredient_rows: list[dict] | None = None,
    steps: list[dict] | None = None,
    tags: list[str] | None = None,
    shared_with: list[str] | None = None,
    **fields,
) -> Recipe:
    """Edits never post anything. New ingredient text (or instructions) is parsed into
    fresh rows (steps); rows given (corrections) replace the old ones and rewrite the text."""
    require_author(recipe, by)
    old_text, old_instructions = recipe.ingredients, recipe.instructions
    was_public = recipe.visibility == Recipe.Visibility.PUBLIC
    for name, value in fields.items():
        if name in RECIPE_FIELDS:
            setattr(recipe, name, value)
    rows = _prepare_ingredients(recipe, ingredient_rows)
    _prepare_steps(recipe, steps)
    recipe.full_clean()
    recipe.save()
    if rows is not None:
        _ingredients_replace(recipe, rows)
    elif recipe.ingredients != old_text or not recipe.ingredient_rows.exists():
        _ingredients_replace(recipe, rows_from_text(recipe.ingredients))
    if steps is not None:
        _steps_replace(recipe, steps)
    elif recipe.instructions != old_instructions or not recipe.steps.exists():
        _steps_replace(recipe, steps_from_text(recipe.instructions))
    if tags is not None:
        recipe.tags.set(tags_for_names(tags))
    if shared_with is not None:
        recipe.shared_with.set(_share_targets(shared_with, owner=by))
    if was_public != (recipe.visibility == Recipe.Visibility.PUBLIC):
        social_services.activity_set(
            user_id=recipe.user_id, kind="recipe", subject_id=recipe.pk, public=not was_public
        )
    pagecache.invalidate_on_commit("recipes")
    return recipe


@transaction.atomic
def recipe_delete(*, recipe: Recipe, by: AbstractBaseUser) -> None:
    require_author(recipe, by, to="delete")
    pictures = recipe_picture_names(Recipe.objects.filter(pk=recipe.pk))
    recipe_id = recipe.pk
    delete_or_404(recipe)
    social_services.activity_withdraw(kind="recipe", subject_ids=[recipe_id])
    pictures_delete_on_commit(pictures)
    pagecache.invalidate_on_commit("recipes")


@transaction.atomic
def delete_user_content(*, user_id: int) -> int:
    """Every recipe of one user, its pictures' files and its cross-post records (their
    account is being deleted; posts already made on X or Facebook stay there). Returns
    how many went."""
    recipes = Recipe.objects.filter(user_id=user_id)
    pictures = recipe_picture_names(recipes)
    CrossPost.objects.filter(recipe__user_id=user_id).delete()
    social_services.activity_withdraw(
        kind="recipe", subject_ids=recipes.values_list("pk", flat=True)
    )
    deleted, _ = recipes.delete()
    pictures_delete_on_commit(pictures)
    pagecache.invalidate_on_commit("recipes")
    return deleted
