from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from photos.models import PHOTO_SEARCH_FIELDS, Photo
from project.search import search


def photo_list_for_user(user: AbstractBaseUser) -> QuerySet[Photo]:
    """A user's photos, newest first."""
    return Photo.objects.filter(user=user).select_related("user")


def photo_search(*, viewer: AbstractBaseUser | AnonymousUser | None, query: str) -> QuerySet[Photo]:
    """Photos whose caption matches `query`, best first: for signed-in members only, as
    everywhere photos are shown."""
    if viewer is None or not viewer.is_authenticated:
        return Photo.objects.none()
    return search(Photo.objects.select_related("user"), PHOTO_SEARCH_FIELDS, query)


def photo_get_owned(pk: int, owner: AbstractBaseUser) -> Photo:
    """Another user's photo is a 404, never a 403."""
    try:
        return photo_list_for_user(owner).get(pk=pk)
    except Photo.DoesNotExist:
        raise Http404("No such photo.") from None
