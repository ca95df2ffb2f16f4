"""Writes for photos. Files go through Django storage only (local disk or S3)."""

import logging
import uuid

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction

from photos.models import Photo
from project import apicache
from project.deletion import delete_or_404
from project.imaging import clean_image, make_thumbnail

logger = logging.getLogger(__name__)

# Cached API pages of one owner's photos (photos.api); see photos.receivers.
LIST_CACHE_SCOPE = "photo-list"


def forget_cached_lists(owner_id: int) -> None:
    apicache.invalidate_on_commit(LIST_CACHE_SCOPE, [owner_id])


def photo_upload(*, user: AbstractBaseUser, file, comment: str = "") -> Photo:
    """Validate and clean the upload, store it under a random name, record it, and
    queue the thumbnail. A failed insert removes the stored file: no orphans."""
    image = clean_image(file, getattr(file, "size", None))
    photo = Photo(
        user=user,
        comment=comment,
        width=image.width,
        height=image.height,
        size=len(image.data),
        sha256=image.sha256,
    )
    photo.image.save(f"{uuid.uuid4().hex}.{image.extension}", ContentFile(image.data), save=False)
    try:
        with transaction.atomic():
            photo.save()
    except Exception:
        photo.image.delete(save=False)
        raise
    from photos.tasks import photo_make_thumbnail_task

    transaction.on_commit(lambda: photo_make_thumbnail_task.delay(photo_id=photo.pk))
    return photo


def photo_make_thumbnail(*, photo_id: int) -> bool:
    """Idempotent: a photo that already has a thumbnail (or is gone) is left alone."""
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None or photo.thumbnail:
        return False
    with photo.image.open("rb") as source:
        data, extension = make_thumbnail(source)
    photo.thumbnail.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(data), save=False)
    updated = Photo.objects.filter(pk=photo_id, thumbnail="").update(thumbnail=photo.thumbnail.name)
    if not updated:  # another run won the race
        photo.thumbnail.delete(save=False)
    else:  # an update() sends no post_save, so the receivers would miss it
        forget_cached_lists(photo.user_id)
    return bool(updated)


def photo_delete(*, photo: Photo, by: AbstractBaseUser) -> None:
    if photo.user_id != by.pk:
        raise PermissionDenied("Only the owner can delete this photo.")
    names = [f.name for f in (photo.image, photo.thumbnail) if f]
    storage = photo.image.storage
    with transaction.atomic():
        delete_or_404(photo)
        # Files go only once the row is surely gone.
        transaction.on_commit(lambda: [storage.delete(name) for name in names])


def delete_user_content(*, user_id: int) -> int:
    """Every photo of one user and their files (their account is being deleted); the
    files go once the rows surely have. Returns how many photos went."""
    photos = list(Photo.objects.filter(user_id=user_id))
    names = [f.name for photo in photos for f in (photo.image, photo.thumbnail) if f]
    storage = Photo._meta.get_field("image").storage
    with transaction.atomic():
        Photo.objects.filter(pk__in=[photo.pk for photo in photos]).delete()
        forget_cached_lists(user_id)
        transaction.on_commit(lambda: [storage.delete(name) for name in names])
    return len(photos)
