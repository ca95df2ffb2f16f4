"""Writes for albums: ordered, at most PHOTOS_ALBUM_MAX_PHOTOS of the owner's own photos.
A photo is in one album at most; deleting an album keeps its photos."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from photos.models import Album, Photo
from photos.services import forget_cached_lists
from project.deletion import delete_or_404
from social import services as social_services


def _check_owner(album: Album, by: AbstractBaseUser) -> None:
    if album.user_id != by.pk:
        raise PermissionDenied("Only the owner can change this album.")


def _locked(album: Album) -> Album:
    """The album's row, locked: changes to one album's photos happen one at a time."""
    return Album.objects.select_for_update().get(pk=album.pk)


def album_create(*, user: AbstractBaseUser, title: str, description: str = "") -> Album:
    album = Album(user=user, title=title, description=description)
    album.full_clean()
    album.save()
    # Albums are readable by everyone: into the followers' timelines.
    social_services.activity_publish(user_id=user.pk, kind="album", subject_id=album.pk)
    return album


def album_update(*, album: Album, by: AbstractBaseUser, **fields) -> Album:
    _check_owner(album, by)
    changed = [name for name in ("title", "description") if name in fields]
    for name in changed:
        setattr(album, name, fields[name])
    album.full_clean()
    album.save(update_fields=changed)
    return album


def album_delete(*, album: Album, by: AbstractBaseUser) -> None:
    _check_owner(album, by)
    album_id = album.pk
    delete_or_404(album)  # its photos stay, out of any album (SET_NULL)
    social_services.activity_withdraw(kind="album", subject_ids=[album_id])
    forget_cached_lists(album.user_id)


@transaction.atomic
def album_add_photo(*, album: Album, photo: Photo, by: AbstractBaseUser) -> Photo:
    """Append `photo` (moving it from another album if it was in one)."""
    _check_owner(album, by)
    if photo.user_id != by.pk:
        raise PermissionDenied("Only your own photos can go in your albums.")
    album = _locked(album)
    if photo.album_id == album.pk:
        return photo
    count = album.photos.count()
    limit = settings.PHOTOS_ALBUM_MAX_PHOTOS
    if count >= limit:
        raise ValidationError(f"An album holds at most {limit} photos.", code="album_full")
    last = album.photos.aggregate(last=Max("album_position"))["last"]
    photo.album, photo.album_position = album, (last or 0) + 1
    photo.save(update_fields=["album", "album_position"])
    return photo


@transaction.atomic
def album_remove_photo(*, album: Album, photo: Photo, by: AbstractBaseUser) -> None:
    _check_owner(album, by)
    _locked(album)
    if photo.album_id != album.pk:
        raise ValidationError("This photo is not in the album.", code="not_in_album")
    photo.album, photo.album_position = None, 0
    photo.save(update_fields=["album", "album_position"])


@transaction.atomic
def album_reorder(*, album: Album, photo_ids: list[int], by: AbstractBaseUser) -> None:
    """Put the album's photos in the order given, which must name each of them once."""
    _check_owner(album, by)
    album = _locked(album)
    current = set(album.photos.values_list("pk", flat=True))
    if len(photo_ids) != len(set(photo_ids)) or set(photo_ids) != current:
        raise ValidationError(
            "Give every photo of the album exactly once, in the new order.", code="bad_order"
        )
    photos = {photo.pk: photo for photo in album.photos.all()}
    for position, pk in enumerate(photo_ids, start=1):
        photos[pk].album_position = position
    Photo.objects.bulk_update(photos.values(), ["album_position"])
    forget_cached_lists(album.user_id)  # bulk_update sends no post_save


def album_move_photo(*, album: Album, photo: Photo, by: AbstractBaseUser, step: int) -> None:
    """Swap `photo` with its neighbour before (step -1) or after (step 1) it."""
    order = list(album.photos.order_by("album_position", "pk").values_list("pk", flat=True))
    if photo.pk not in order:
        raise ValidationError("This photo is not in the album.", code="not_in_album")
    index = order.index(photo.pk)
    other = index + step
    if 0 <= other < len(order):
        order[index], order[other] = order[other], order[index]
    album_reorder(album=album, photo_ids=order, by=by)
