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
