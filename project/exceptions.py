"""DRF exception handling: service-layer Django errors become DRF's JSON shape."""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

from accounts.bruteforce import LoginBlocked


def login_blocked_as_throttled(exc: LoginBlocked) -> exceptions.Throttled:
    return exceptions.Throttled(wait=exc.retry_after, detail="Too many failed login attempts.")


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = "Request body too large."
    default_code = "payload_too_large"


def payload_too_large(exc: Exception) -> PayloadTooLarge:
    """Django's request limits (a SuspiciousOperation, so an HTML 400) as a JSON 413."""
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return PayloadTooLarge(f"Request body exceeds the limit of {limit} bytes.")
    if isinstance(exc, TooManyFilesSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        return PayloadTooLarge(f"Too many files: at most {limit} per request.")
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    return PayloadTooLarge(f"Too many fields: at most {limit} per request.")


def api_exception_handler(exc: Exception, context: dict[str, Any]):
    if isinstance(exc, LoginBlocked):  # e.g. from /auth/token/'s password check
        exc = login_blocked_as_throttled(exc)
    elif isinstance(exc, (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)):
        exc = payload_too_large(exc)
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
