"""Turn away, before any view runs, requests carrying what no view can store or parse.

PostgreSQL refuses NUL in text and psycopg cannot encode lone surrogates, so either one
reaching a query is a 500. Rather than guard every lookup, this middleware answers 400
when the path, the query string, a cookie, a header or a form value holds one, when a
body declares a charset Python cannot decode text with or a Content-Length that is not a
number, and 414/431 for an over-long query string or header. JSON bodies are checked by
project.parsers.JSONParser while it parses them (the middleware never reads a body a
parser is going to read).

Cheap for normal requests: the query string and cookies are parsed anyway; form
bodies are only looked at for POST, where Django parses them once for everyone (CSRF
and DRF reuse the result); uploaded files' contents are never inspected.
"""

import codecs
import re
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template import loader

# NUL, or a UTF-16 surrogate code point on its own (only possible after decoding
# JSON escapes or odd charsets such as UTF-7; valid UTF-8 never yields one).
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
DJANGO_REQUEST_LIMITS = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def has_unstorable(text: str) -> bool:
    return UNSTORABLE.search(text) is not None


def is_text_charset(name: str) -> bool:
    """True when Python can decode bytes to text with `name` (not e.g. 'zlib' or 'x-unknown')."""
    try:
        return codecs.lookup(name)._is_text_encoding
    except (LookupError, ValueError, TypeError):
        return False


def error_response(request: HttpRequest, status: int, message: str) -> HttpResponse:
    """DRF's `{"detail": ...}` under /api/, a plain page elsewhere (no context processors:
    the session and user are not loaded yet)."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    html = loader.get_template("400.html").render({"status": status, "message": message})
    return HttpResponse(html, status=status)


class HostileInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.reject(request) or self.get_response(request)

    def reject(self, request: HttpRequest) -> HttpResponse | None:
        meta = request.META
        length = meta.get("CONTENT_LENGTH") or "0"
        if not (isinstance(length, str) and length.isascii() and length.isdigit()):
            return error_response(request, 400, "Invalid Content-Length header.")
        if len(meta.get("QUERY_STRING", "")) > settings.REQUEST_MAX_QUERY_STRING_CHARS:
            return error_response(request, 414, "The query string is too long.")
        for key, value in meta.items():
            if key.startswith("HTTP_") or key == "CONTENT_TYPE":
                if not isinstance(value, str):
                    continue
                if len(value) > settings.REQUEST_MAX_HEADER_CHARS:
                    return error_response(request, 431, "A request header is too long.")
                if has_unstorable(value):
                    return error_response(
                        request, 400, "A request header contains a NUL character."
                    )
        # Before anything is decoded: Django decodes the query string and form with it.
        charset = (request.content_params or {}).get("charset")
        if charset is not None and not is_text_charset(charset):
            return error_response(request, 400, f"Unsupported charset {charset[:40]!r}.")
        if has_unstorable(request.path_info):
            return error_response(request, 400, "The URL contains a NUL or invalid character.")
        if any_unstorable(request.GET.lists()):
            return error_response(
                request, 400, "The query string contains a NUL or invalid character."
            )
        if any_unstorable((key, [value]) for key, value in request.COOKIES.items()):
            return error_response(request, 400, "A cookie contains a NUL or invalid character.")
        # Under /api/ the view's parsers read the body (a JSON-only view answers a form
        # with 415; the upload's multipart parser checks its values): reading it here
        # would leave DRF an exhausted stream.
        is_api = request.path_info.startswith("/api/")
        if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES and not is_api:
            try:
                values = request.POST.lists()
            except DJANGO_REQUEST_LIMITS as error:
                # Imported here: project.exceptions loads DRF, whose settings load the
                # authentication classes, which import this module.
                from project.exceptions import payload_too_large

                return error_response(request, 413, str(payload_too_large(error).detail))
            except (BadRequest, MultiPartParserError) as error:
                # e.g. a urlencoded body declared in another charset than UTF-8, a
                # multipart body without boundary; too big/too many fields are Django's.
                return error_response(request, 400, f"Malformed form body: {error}")
            if any_unstorable(values):
                return error_response(
                    request, 400, "The form data contains a NUL or invalid character."
                )
        return None


def any_unstorable(items: Iterable[tuple[str, list]]) -> bool:
    for key, values in items:
        if has_unstorable(key):
            return True
        for value in values:
            if isinstance(value, str) and has_unstorable(value):
                return True
    return False
