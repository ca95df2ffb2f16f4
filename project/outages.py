"""503 + Retry-After, not 500, while PostgreSQL or Redis cannot be reached.

`OutageMiddleware` answers for errors raised by views (DRF re-raises what its handler
does not know); `project.views.handler500` falls back to the same answer for errors
raised elsewhere in the request cycle (e.g. a session saved by its middleware). Under
/api/ the answer is DRF's JSON shape, elsewhere templates/503.html, rendered without
context processors since they may need the very service that is down.

Cache entries that only save work are read through project.cache.optional_read, so
most pages still render while Redis is down; what reaches here needed the service.
"""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

from project.cache import CACHE_ERRORS

logger = logging.getLogger(__name__)

DATABASE_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError)
OUTAGE_ERRORS: tuple[type[Exception], ...] = DATABASE_ERRORS + CACHE_ERRORS


def is_outage(error: BaseException | None) -> bool:
    return isinstance(error, OUTAGE_ERRORS)


def outage_response(request: HttpRequest, error: BaseException) -> HttpResponse:
    part = "database" if isinstance(error, DATABASE_ERRORS) else "cache"
    logger.error("Service unavailable (%s unreachable) for %s: %r", part, request.path, error)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"detail": "Service temporarily unavailable, try again later."}, status=503
        )
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(settings.OUTAGE_RETRY_AFTER_SECONDS)
    return response


class OutageMiddleware:
    """Last in MIDDLEWARE, so its process_exception sees a view's error first."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if is_outage(exception):
            return outage_response(request, exception)
        return None
