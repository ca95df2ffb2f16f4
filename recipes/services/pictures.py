"""Cover and step pictures, cleaned by project.imaging."""

import secrets
from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import models, transaction

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


def _pictures_replace(
    instance: models.Model,
    files: dict[str, ContentFile] | None,
    *,
    fields: tuple[str, ...],
    also_save: tuple[str, ...] = (),
) -> None:
    """Store `files` in the instance's picture `fields` (None empties them) and delete the
    files they held once the transaction commits, so none is left behind."""
    old_names = [getattr(instance, name).name for name in fields if getattr(instance, name)]
    for name in fields:
        if files is None:
            setattr(instance, name, "")
        else:
            getattr(instance, name).save(files[name].name, files[name], save=False)
    instance.save(update_fields=[*fields, *also_save])
    storage = getattr(instance, fields[0]).storage
    kept = {getattr(instance, name).name for name in fields}
    for name in old_names:
        if name not in kept:
            transaction.on_commit(partial(storage.delete, name))
    pagecache.invalidate_on_commit("recipes")


def _require_author(recipe: Recipe, by: AbstractBaseUser) -> None:
    if recipe.user_id != by.pk:
        raise PermissionDenied("Only the author can change this recipe.")


@transaction.atomic
def recipe_image_set(*, recipe: Recipe, by: AbstractBaseUser, file) -> Recipe:
    """A cover picture (None removes it), cleaned like photos: checked by content,
    EXIF orientation applied, metadata stripped, with a thumbnail."""
    _require_author(recipe, by)
    fields = ("image", "image_thumbnail")
    files = None if file is None else dict(zip(fields, _clean_picture(file), strict=True))
    _pictures_replace(recipe, files, fields=fields, also_save=("updated_on",))
    return recipe


@transaction.atomic
def step_image_set(*, step: Step, by: AbstractBaseUser, file) -> Step:
    """A step's picture (None removes it)."""
    _require_author(step.recipe, by)
    files = None if file is None else {"image": _clean_picture(file)[0]}
    _pictures_replace(step, files, fields=("image",))
    return step
