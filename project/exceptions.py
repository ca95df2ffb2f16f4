"""DRF exception handling: service-layer Django errors become DRF's JSON shape."""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

from accounts.bruteforce import LoginBlocked


def login_blocked_as_throttled(exc: LoginBlocked) -> exceptions.Throttled:
    return exceptions.Throttled(wait=exc.retry_after, detail="Too many failed login attempts.")


def api_exception_handler(exc: Exception, context: dict[str, Any]):
    if isinstance(exc, LoginBlocked):  # e.g. from /auth/token/'s password check
        exc = login_blocked_as_throttled(exc)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    response = exception_handler(exc, context)
    if response is not None and isinstance(response.data, list):
        # e.g. DRF's search filter rejecting a NUL character: keep errors an object.
        response.data = {"non_field_errors": response.data}
    return response


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "This resource already exists."
    default_code = "conflict"
