"""Security headers Django and django-csp do not send themselves."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from rest_framework import renderers


class PermissionsPolicyMiddleware:
    """Send PERMISSIONS_POLICY as the Permissions-Policy header on every response:
    the site uses no camera, microphone, location, payment or sensors."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        policy = settings.PERMISSIONS_POLICY
        self.header = ", ".join(f"{name}=({' '.join(allow)})" for name, allow in policy.items())

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's HTML pages set style="" attributes; the CSP allows those on these pages only
    (attributes cannot run script; <style> elements still need the nonce)."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            response._csp_update = {"style-src-attr": ["'unsafe-inline'"]}
        return super().render(data, accepted_media_type, renderer_context)
