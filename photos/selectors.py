from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.http import Http404

from photos.models import Photo


def photo_list_for_user(user: AbstractBaseUser) -> QuerySet[Photo]:
    """A user's photos, newest first."""
    return Photo.objects.filter(user=user).select_related("user")


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
    files = {
        photo.pk: f"photos/{photo.pk}.{photo.image.name.rsplit('.', 1)[-1]}" for photo in photos
    }
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
        with photo.image.open("rb") as original:
            yield files[photo.pk], original.read()
