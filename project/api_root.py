from django.urls import NoReverseMatch
from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

# Entry points shown at /api/v1/; apps that are not installed yet are skipped.
ENTRY_POINTS = {
    "auth-token": "api:auth-token",
    "users": "api:user-list",
    "me": "api:user-me",
    "snaps": "api:snap-list",
    "posts": "api:post-list",
    "feed": "api:feed",
    "photos": "api:photo-list",
    "repositories": "api:repository-list",
    "recipes": "api:recipe-list",
    "search": "api:search",
}


class ApiRootView(APIView):
    """The API's entry points, for the browsable API and for discovery."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(exclude=True)
    def get(self, request: Request, *args, **kwargs) -> Response:
        links = {}
        for name, url_name in ENTRY_POINTS.items():
            try:
                links[name] = reverse(url_name, request=request, kwargs=kwargs)
            except NoReverseMatch:
                continue
        return Response(links)
