"""A user's notifications."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import (
    QuerySet,
)
from django.http import Http404

from social.models import (
    Notification,
)

User = get_user_model()
Viewer = AbstractBaseUser | AnonymousUser


def notification_list(user: AbstractBaseUser) -> QuerySet[Notification]:
    """The user's inbox, newest first, with whatever each line shows."""
    return Notification.objects.filter(recipient=user).select_related("actor", "post__user")


def notification_get(pk: int, user: AbstractBaseUser) -> Notification:
    """Another user's notification is a 404."""
    try:
        return Notification.objects.get(pk=pk, recipient=user)
    except Notification.DoesNotExist:
        raise Http404("No such notification.") from None
