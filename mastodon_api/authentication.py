"""Bearer tokens issued by /oauth/token (django-oauth-toolkit), the only way in."""

from django.contrib.auth.models import AnonymousUser
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework import exceptions


class MastodonTokenAuthentication(OAuth2Authentication):
    """An unknown, expired or revoked token is a 401 at once (Mastodon's answer), not an
    anonymous request; an app-only token (client credentials) has no user."""

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header.lower().startswith("bearer "):
            return None
        found = super().authenticate(request)
        if found is None:
            raise exceptions.AuthenticationFailed("The access token is invalid")
        user, token = found
        return (user if user is not None else AnonymousUser()), token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'
