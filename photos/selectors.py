from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, QuerySet
from django.http import Http404

from photos.models import PHOTO_SEARCH_FIELDS, Album, Photo
from project.search import search
from social.selectors import user_list_following

Viewer = AbstractBaseUser | AnonymousUser


def photo_list_for_user(user: AbstractBaseUser) -> QuerySet[Photo]:
    """A user's photos, newest first, also those still processing or failed (for the
    owner's own views; others see `photo_list_public`)."""
    return Photo.objects.filter(user=user).select_related("user")


def photo_list_public(*, user: AbstractBaseUser | None = None) -> QuerySet[Photo]:
    """Processed photos of everyone (or of `user`), newest first. Photos still processing
    have no served files yet, and failed ones never will."""
    photos = Photo.objects.filter(status=Photo.Status.READY).select_related("user")
    return photos.filter(user=user) if user is not None else photos


def photo_list_following(viewer: AbstractBaseUser) -> QuerySet[Photo]:
    """Processed photos of the people `viewer` follows, newest first."""
    followed = user_list_following(viewer).order_by().values("pk")
    return photo_list_public().filter(user__in=followed)


def photo_search(*, viewer: AbstractBaseUser | AnonymousUser | None, query: str) -> QuerySet[Photo]:
    """Processed photos whose caption or alt text matches `query`, best first: for
    signed-in members only, as the API's photo lists are."""
    if viewer is None or not viewer.is_authenticated:
        return Photo.objects.none()
    return search(photo_list_public(), PHOTO_SEARCH_FIELDS, query)


def photo_get_owned(pk: int, owner: AbstractBaseUser) -> Photo:
    """Another user's photo is a 404, never a 403."""
    try:
        return photo_list_for_user(owner).get(pk=pk)
    except Photo.DoesNotExist:
        raise Http404("No such photo.") from None


def photo_export_for_user(user_id: int):
    """A user's photos for their data export: photos.json and each stored original
    (`photos/<id>.<ext>`), read one at a time."""
    from project.export import json_bytes

    photos = list(Photo.objects.filter(user_id=user_id).order_by("created_on", "id"))
    sources = {photo.pk: photo.original or photo.image for photo in photos}
    files = {pk: f"photos/{pk}.{source.name.rsplit('.', 1)[-1]}" for pk, source in sources.items()}
    yield (
        "photos/photos.json",
        json_bytes(
            [
                {
                    "id": p.pk,
                    "comment": p.comment,
                    "width": p.width,
                    "height": p.height,
                    "sha256": p.sha256,
                    "created_on": p.created_on,
                    "file": files[p.pk],
                }
                for p in photos
            ]
        ),
    )
    for photo in photos:
        if not sources[photo.pk]:
            continue
        with sources[photo.pk].open("rb") as original:
            yield files[photo.pk], original.read()


def photo_get_visible(pk: int, viewer: Viewer) -> Photo:
    """A processed photo, or any of the viewer's own; anything else is a 404."""
    photo = Photo.objects.select_related("user", "album").filter(pk=pk).first()
    if photo is None or not (photo.is_ready or photo.user_id == viewer.pk):
        raise Http404("No such photo.")
    return photo


def album_list_for_user(user: AbstractBaseUser) -> QuerySet[Album]:
    """A user's albums, newest first, with their photo counts."""
    albums = Album.objects.filter(user=user).select_related("user")
    # Explicit order: Meta.ordering is not applied to GROUP BY queries.
    return albums.annotate(photo_count=Count("photos")).order_by("-created_on", "-id")


def album_get(pk: int | str) -> Album:
    """Any album (albums are readable by everyone); an id that is not one is a 404."""
    try:
        album = Album.objects.select_related("user").filter(pk=pk).first()
    except (TypeError, ValueError):  # e.g. a URL's "abc"
        album = None
    if album is None:
        raise Http404("No such album.")
    return album


def album_get_owned(pk: int, owner: AbstractBaseUser) -> Album:
    album = album_get(pk)
    if album.user_id != owner.pk:
        raise Http404("No such album.")
    return album


def album_photos(album: Album, viewer: Viewer) -> QuerySet[Photo]:
    """The album's photos in order: all of them for its owner, the ready ones for others."""
    photos = album.photos.select_related("user").order_by("album_position", "pk")
    if album.user_id != viewer.pk:
        photos = photos.filter(status=Photo.Status.READY)
    return photos


def photo_list_attachable(
    *, owner: AbstractBaseUser, ids: list[int] | None = None
) -> QuerySet[Photo]:
    """The owner's processed photos, newest first (of `ids` when given): what they may
    attach to something elsewhere, e.g. a social post."""
    photos = photo_list_public(user=owner)
    return photos.filter(pk__in=ids) if ids is not None else photos


def photo_activity_cards(ids: list[int]) -> dict[int, dict]:
    """The processed photos among `ids` as cards for social's activity stream, one query."""
    return {
        photo.pk: {
            "title": photo.comment[:80] or "A photo",
            "url": photo.get_absolute_url(),
            "text": photo.comment,
            "image_url": photo.thumbnail.url if photo.thumbnail else "",
            "image_alt": photo.alt_text,
        }
        for photo in photo_list_public().filter(pk__in=ids)
    }


def album_activity_cards(ids: list[int]) -> dict[int, dict]:
    """The albums among `ids` (albums are readable by everyone) as cards, one query."""
    return {
        album.pk: {
            "title": album.title,
            "url": album.get_absolute_url(),
            "text": album.description,
            "image_url": "",
            "image_alt": "",
        }
        for album in Album.objects.filter(pk__in=ids)
    }


def photo_in_bulk(ids: list[int]) -> dict[int, Photo]:
    """{id: photo} for these photos, whatever their state (one query)."""
    return Photo.objects.in_bulk(ids) if ids else {}
