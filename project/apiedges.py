"""The edges of /api/: slash-less paths reach their view, and every error is JSON.

Django's own answers bypass DRF: with DEBUG on, an unknown URL is the HTML debug page
(handler404 is not used then), a body that breaks a limit outside a DRF view is an HTML
400, and APPEND_SLASH cannot redirect a POST (a 500 in DEBUG, a 301 that loses the body
otherwise). API clients get none of that here.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import is_valid_path
from rest_framework.response import Response

API_PREFIX = "/api/"
ERROR_DETAILS = {
    404: "Not found.",
    413: "Request body too large.",
    414: "Request URI too long.",
    500: "A server error occurred.",
}
# Headers of an error answer that still mean something once it is JSON.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


class ApiEdgeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        add_missing_slash(request)
        return as_json_error(self.get_response(request))


def add_missing_slash(request: HttpRequest) -> None:
    """`/api/v1/users` is `/api/v1/users/`, for every method: the body is kept."""
    path = request.path_info
    if path.endswith("/"):
        return
    urlconf = getattr(request, "urlconf", None)
    if not is_valid_path(path, urlconf) and is_valid_path(path + "/", urlconf):
        request.path_info = path + "/"
        request.path = request.path + "/"


def as_json_error(response: HttpResponse) -> HttpResponse:
    """An error that DRF did not render (Django's pages) becomes DRF's JSON shape."""
    if response.status_code < 400 or isinstance(response, Response):
        return response
    if getattr(response, "api_edge_keeps_body", False):  # e.g. dpaste's plain-text API
        return response
    if response.get("Content-Type", "").startswith("application/json"):
        return response
    detail = ERROR_DETAILS.get(response.status_code, f"{response.reason_phrase}.")
    converted = JsonResponse({"detail": detail}, status=response.status_code)
    for header in KEPT_HEADERS:
        if header in response:
            converted[header] = response[header]
    return converted
