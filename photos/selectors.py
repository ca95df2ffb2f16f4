from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from photos.models import Photo


def photo_list_for_user(user: AbstractBaseUser) -> QuerySet[Photo]:
    """A user's photos, newest first."""
    return Photo.objects.filter(user=user).select_related("user")
