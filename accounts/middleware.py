"""Record each signed-in user's last visit (User.last_seen), cheaply and after the view."""

import logging
from collections.abc import Callable

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty

from accounts import services

logger = logging.getLogger(__name__)


def _loaded_user(request: HttpRequest):
    """The request's user if something already loaded it (a view, DRF's authentication,
    which sets it on the Django request too); never loads a session just for this."""
    user = request.__dict__.get("user")
    if isinstance(user, SimpleLazyObject):
        user = None if user._wrapped is empty else user._wrapped
    return user if user is not None and user.is_authenticated else None


class LastSeenMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (user := _loaded_user(request)) is not None:
            try:
                services.user_mark_seen(user=user)
            except DatabaseError:  # the answer is ready; a missed visit costs little
                logger.warning("Could not record last_seen for user %s", user.pk, exc_info=True)
        return response
