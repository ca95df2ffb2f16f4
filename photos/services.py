"""Writes for photos. Files go through Django storage only (local disk or S3).

An upload is checked from its headers and stored as it came, in private storage; the
Celery worker decodes it and makes the served files (`photo_process`). Until then
nothing of it is served to anyone, so no GPS position leaks from an unprocessed original.
"""

import hashlib
import logging
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Sum

from photos.models import Album, Photo
from project import apicache
from project.deletion import delete_or_404
from project.imaging import inspect_photo, megabytes, process_photo
from social import services as social_services

logger = logging.getLogger(__name__)

# Cached API pages of one owner's photos (photos.api); see photos.receivers.
LIST_CACHE_SCOPE = "photo-list"
FILE_FIELDS = ("original", "image", "image_webp", "thumbnail", "thumbnail_webp")


class DuplicatePhoto(ValidationError):
    """The same bytes were already uploaded by this user; `existing` is that photo."""

    def __init__(self, existing: Photo):
        super().__init__("You have already uploaded this photo.", code="duplicate")
        self.existing = existing


def forget_cached_lists(owner_id: int) -> None:
    apicache.invalidate_on_commit(LIST_CACHE_SCOPE, [owner_id])


def _sha256(file) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    chunks = file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(1 << 20), b"")
    for chunk in chunks:
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def storage_used(user: AbstractBaseUser) -> int:
    return Photo.objects.filter(user=user).aggregate(total=Sum("size"))["total"] or 0


def storage_remaining(user: AbstractBaseUser) -> int:
    return settings.PHOTOS_QUOTA_BYTES - storage_used(user)


def check_quota(user: AbstractBaseUser, size: int) -> None:
    """Refuse `size` more bytes past the user's quota (`photo_upload` checks again under
    a lock; direct uploads check before the bytes are even sent)."""
    quota = settings.PHOTOS_QUOTA_BYTES
    used = storage_used(user)
    if used + size > quota:
        raise ValidationError(
            f"This photo ({megabytes(size)}) would take you past your storage quota: "
            f"{megabytes(used)} of {megabytes(quota)} used. Delete some photos first.",
            code="quota_exceeded",
        )


def _duplicate_of(user: AbstractBaseUser, sha256: str) -> Photo | None:
    return Photo.objects.filter(user=user, sha256=sha256).first()


def photo_upload(*, user: AbstractBaseUser, file, comment: str = "", alt_text: str = "") -> Photo:
    """Check the upload from its headers (no decoding), refuse duplicates and uploads
    past the quota, store the original privately, record the photo as processing and
    queue its processing. A failed insert removes the stored file: no orphans."""
    size = getattr(file, "size", None)
    info = inspect_photo(file, size)
    sha256 = _sha256(file)
    if existing := _duplicate_of(user, sha256):
        raise DuplicatePhoto(existing)
    photo = Photo(
        user=user,
        comment=comment,
        alt_text=alt_text,
        width=info.width,
        height=info.height,
        size=size,
        sha256=sha256,
    )
    file.seek(0)
    photo.original.save(f"{uuid.uuid4().hex}.{info.extension}", file, save=False)
    try:
        with transaction.atomic():
            # One upload at a time per user, so two racing ones cannot both fit the quota.
            get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
            check_quota(user, size)
            photo.save()
    except IntegrityError:
        photo.original.delete(save=False)
        if existing := _duplicate_of(user, sha256):  # a racing upload of the same bytes
            raise DuplicatePhoto(existing) from None
        raise
    except BaseException:
        photo.original.delete(save=False)
        raise
    from photos.tasks import photo_process_task

    transaction.on_commit(lambda: photo_process_task.delay(photo_id=photo.pk))
    return photo


def photo_process(*, photo_id: int) -> bool:
    """Decode the original in the worker and make the served files. Idempotent: only a
    photo still processing is touched; a racing run's files are removed again."""
    photo = Photo.objects.filter(pk=photo_id, status=Photo.Status.PROCESSING).first()
    if photo is None:
        return False
    try:
        with photo.original.open("rb") as source:
            processed = process_photo(source)
    except ValidationError as error:
        updated = Photo.objects.filter(pk=photo_id, status=Photo.Status.PROCESSING).update(
            status=Photo.Status.FAILED, error=" ".join(error.messages)[:300]
        )
        forget_cached_lists(photo.user_id)
        logger.info("photo %s could not be processed: %s", photo_id, error.messages)
        return bool(updated)
    stem = uuid.uuid4().hex
    display, thumb = processed.display, processed.thumbnail
    files = {
        "image": (f"{stem}.{display.fallback_extension}", display.fallback),
        "image_webp": (f"{stem}.webp", display.webp),
        "thumbnail": (f"{stem}.{thumb.fallback_extension}", thumb.fallback),
        "thumbnail_webp": (f"{stem}.webp", thumb.webp),
    }
    for field, (name, data) in files.items():
        getattr(photo, field).save(name, ContentFile(data), save=False)
    updated = Photo.objects.filter(pk=photo_id, status=Photo.Status.PROCESSING).update(
        status=Photo.Status.READY,
        width=processed.width,
        height=processed.height,
        display_width=display.width,
        display_height=display.height,
        thumbnail_side=thumb.width,
        exif=processed.exif,
        blurhash=processed.blurhash,
        **{field: getattr(photo, field).name for field in files},
    )
    if not updated:  # another run won the race, or the photo was deleted meanwhile
        for field in files:
            getattr(photo, field).delete(save=False)
    else:  # an update() sends no post_save, so the receivers would miss it
        forget_cached_lists(photo.user_id)
        # Shown to everyone from now on: into the followers' timelines.
        social_services.activity_publish(user_id=photo.user_id, kind="photo", subject_id=photo_id)
    return bool(updated)


def photo_delete(*, photo: Photo, by: AbstractBaseUser) -> None:
    if photo.user_id != by.pk:
        raise PermissionDenied("Only the owner can delete this photo.")
    stored = _stored_files(photo)
    with transaction.atomic():
        photo_id = photo.pk
        delete_or_404(photo)
        social_services.activity_withdraw(kind="photo", subject_ids=[photo_id])
        # Files go only once the row is surely gone.
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in stored])


def _stored_files(photo: Photo) -> list[tuple]:
    files = [getattr(photo, field) for field in FILE_FIELDS]
    return [(file.storage, file.name) for file in files if file.name]


def delete_user_content(*, user_id: int) -> int:
    """Every photo and album of one user and all their files (their account is being
    deleted); the files go once the rows surely have. Returns how many photos went."""
    photos = list(Photo.objects.filter(user_id=user_id))
    stored = [item for photo in photos for item in _stored_files(photo)]
    with transaction.atomic():
        Photo.objects.filter(pk__in=[photo.pk for photo in photos]).delete()
        albums = Album.objects.filter(user_id=user_id)
        social_services.activity_withdraw(kind="photo", subject_ids=[p.pk for p in photos])
        social_services.activity_withdraw(
            kind="album", subject_ids=albums.values_list("pk", flat=True)
        )
        albums.delete()
        forget_cached_lists(user_id)
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in stored])
    return len(photos)


def photo_alt_text_update(*, photo: Photo, by: AbstractBaseUser, alt_text: str) -> Photo:
    """The owner's new alt text (edited while attaching the photo to a post, or
    Mastodon's media description)."""
    if photo.user_id != by.pk:
        raise PermissionDenied("Only the owner can describe this photo.")
    alt_text = alt_text.strip()
    if len(alt_text) > settings.PHOTOS_MAX_ALT_TEXT_LENGTH:
        raise ValidationError(
            {"alt_text": f"Alt text is at most {settings.PHOTOS_MAX_ALT_TEXT_LENGTH} characters."},
            code="alt_text_too_long",
        )
    if alt_text != photo.alt_text:
        photo.alt_text = alt_text
        photo.save(update_fields=["alt_text"])
        forget_cached_lists(photo.user_id)
    return photo
