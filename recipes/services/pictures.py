"""Cover and step pictures, cleaned by project.imaging."""

import secrets
from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import QuerySet

from project import pagecache
from recipes.models import (
    Recipe,
    Step,
)
from recipes.services.authors import require_author


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


def _photo_copies(photo, sources: dict[str, str]) -> dict[str, ContentFile]:
    """Copies of a photo's processed files (`sources` maps our field to the photo's):
    already stripped and sized by the photos app, so nothing is decoded again."""
    name = secrets.token_hex(12)
    copies = {}
    for field, source_field in sources.items():
        source = getattr(photo, source_field)
        with source.open("rb") as stored:
            data = stored.read()
        copies[field] = ContentFile(data, name=f"{name}.{source.name.rsplit('.', 1)[-1]}")
    return copies


def _own_photo(by: AbstractBaseUser, photo_id: int):
    """One of the author's processed photos (through the photos app's selectors)."""
    from photos.selectors import photo_list_public

    photos = photo_list_public(user=by)
    photo = photos.filter(pk=photo_id).first() if isinstance(photo_id, int) else None
    if photo is None or not photo.image or not photo.thumbnail:
        raise ValidationError(
            {"photo": "Choose one of your photos that has finished processing."},
            code="no_such_photo",
        )
    return photo


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


def recipe_picture_names(recipes: QuerySet[Recipe]) -> list[str]:
    """The stored names of these recipes' covers, thumbnails and step pictures."""
    names = [
        name for pair in recipes.values_list("image", "image_thumbnail") for name in pair if name
    ]
    steps = Step.objects.filter(recipe__in=recipes.values("pk")).exclude(image="")
    return names + list(steps.values_list("image", flat=True))


def pictures_delete_on_commit(names: list[str]) -> None:
    """Delete these stored pictures once the rows that held them are surely gone."""
    storage = Recipe._meta.get_field("image").storage
    for name in dict.fromkeys(names):
        transaction.on_commit(partial(storage.delete, name))


@transaction.atomic
def recipe_image_set(
    *, recipe: Recipe, by: AbstractBaseUser, file=None, photo_id: int | None = None
) -> Recipe:
    """A cover picture: an upload cleaned like photos (checked by content, EXIF orientation
    applied, metadata stripped, with a thumbnail), or one of the author's photos (its
    display size and square thumbnail). Neither removes the cover."""
    require_author(recipe, by)
    fields = ("image", "image_thumbnail")
    if photo_id is not None:
        photo = _own_photo(by, photo_id)
        files = _photo_copies(photo, {"image": "image", "image_thumbnail": "thumbnail"})
    elif file is not None:
        files = dict(zip(fields, _clean_picture(file), strict=True))
    else:
        files = None
    _pictures_replace(recipe, files, fields=fields, also_save=("updated_on",))
    return recipe


@transaction.atomic
def step_image_set(
    *, step: Step, by: AbstractBaseUser, file=None, photo_id: int | None = None
) -> Step:
    """A step's picture: an upload, or one of the author's photos (its display size).
    Neither removes it."""
    require_author(step.recipe, by)
    if photo_id is not None:
        files = _photo_copies(_own_photo(by, photo_id), {"image": "image"})
    elif file is not None:
        files = {"image": _clean_picture(file)[0]}
    else:
        files = None
    _pictures_replace(step, files, fields=("image",))
    return step
