"""Cover and step pictures, cleaned by project.imaging."""

import secrets
from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction

from project import pagecache
from recipes.models import (
    Recipe,
    Step,
)


def _clean_picture(file) -> tuple[ContentFile, ContentFile]:
    """The upload checked and stripped by project.imaging, and its thumbnail."""
    from io import BytesIO

    from project.imaging import clean_image, make_thumbnail

    clean = clean_image(file, getattr(file, "size", None))
    thumbnail, extension = make_thumbnail(BytesIO(clean.data))
    name = secrets.token_hex(12)
    return (
        ContentFile(clean.data, name=f"{name}.{clean.extension}"),
        ContentFile(thumbnail, name=f"{name}.{extension}"),
    )


@transaction.atomic
def recipe_image_set(*, recipe: Recipe, by: AbstractBaseUser, file) -> Recipe:
    """A cover picture (None removes it), cleaned like photos: checked by content,
    EXIF orientation applied, metadata stripped, with a thumbnail."""
    if recipe.user_id != by.pk:
        raise PermissionDenied("Only the author can change this recipe.")
    old = (recipe.image, recipe.image_thumbnail)
    old_names = [f.name for f in old if f]
    if file is None:
        recipe.image, recipe.image_thumbnail = "", ""
    else:
        image, thumbnail = _clean_picture(file)
        recipe.image.save(image.name, image, save=False)
        recipe.image_thumbnail.save(thumbnail.name, thumbnail, save=False)
    recipe.save(update_fields=["image", "image_thumbnail", "updated_on"])
    storage = recipe.image.storage
    for name in old_names:
        transaction.on_commit(partial(storage.delete, name))
    pagecache.invalidate_on_commit("recipes")
    return recipe


@transaction.atomic
def step_image_set(*, step: Step, by: AbstractBaseUser, file) -> Step:
    """A step's picture (None removes it)."""
    if step.recipe.user_id != by.pk:
        raise PermissionDenied("Only the author can change this recipe.")
    old_name = step.image.name if step.image else ""
    if file is None:
        step.image = ""
    else:
        image, _ = _clean_picture(file)
        step.image.save(image.name, image, save=False)
    step.save(update_fields=["image"])
    if old_name and old_name != step.image.name:
        transaction.on_commit(partial(step.image.storage.delete, old_name))
    pagecache.invalidate_on_commit("recipes")
    return step
