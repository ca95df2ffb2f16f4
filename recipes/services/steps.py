"""Numbered steps and the instructions text they write."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from project import pagecache
from recipes.models import (
    Recipe,
    Step,
)
from recipes.services.authors import require_author
from recipes.services.pictures import pictures_delete_on_commit
from recipes.steps import join_steps, minutes_in, split_steps


def steps_from_text(text: str) -> list[dict]:
    """Pasted instructions as numbered steps, each with the time it names, if any."""
    return [{"text": step, "minutes": minutes_in(step)} for step in split_steps(text)]


def _steps_replace(recipe: Recipe, steps: list[dict]) -> None:
    # A step whose text stays keeps its picture.
    pictures = {step.text: step.image.name for step in recipe.steps.all() if step.image}
    built = []
    for position, step in enumerate(steps):
        text = (step.get("text") or "").strip()
        row = Step(
            recipe=recipe,
            position=position,
            text=text,
            minutes=step.get("minutes"),
            image=pictures.get(text, ""),
        )
        row.full_clean(exclude=["recipe"])
        built.append(row)
    recipe.steps.all().delete()
    Step.objects.bulk_create(built)
    # A picture no step keeps (its text changed, or the step went) is deleted.
    kept = {row.image.name for row in built}
    pictures_delete_on_commit([name for name in pictures.values() if name not in kept])
    text = join_steps([row.text for row in built])
    if recipe.instructions != text:
        recipe.instructions = text
        recipe.save(update_fields=["instructions", "updated_on"])


@transaction.atomic
def steps_set(*, recipe: Recipe, by: AbstractBaseUser, steps: list[dict]) -> Recipe:
    """Replace the steps (order, text, times); the instructions text follows."""
    require_author(recipe, by)
    if not steps:
        raise ValidationError({"steps": "Add at least one step."}, code="required")
    _steps_replace(recipe, steps)
    pagecache.invalidate_on_commit("recipes")
    return recipe


def steps_text_sync(*, recipe: Recipe, reparse: bool) -> None:
    """The admin's counterpart of ingredients_text_sync."""
    if reparse or not recipe.steps.exists():
        _steps_replace(recipe, steps_from_text(recipe.instructions))
    else:
        rows = [{"text": step.text, "minutes": step.minutes} for step in recipe.steps.all()]
        _steps_replace(recipe, rows)


def _prepare_steps(recipe: Recipe, steps: list[dict] | None) -> None:
    if steps is not None:
        recipe.instructions = join_steps([(s.get("text") or "").strip() for s in steps])
