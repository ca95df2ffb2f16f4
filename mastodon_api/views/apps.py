"""POST /api/v1/apps and GET /api/v1/apps/verify_credentials."""

from rest_framework import exceptions
from rest_framework.response import Response

from mastodon_api import services
from mastodon_api.views.base import MastodonApi
from project.throttling import ScopedRateThrottle


def _app(application, *, secret: str | None = None) -> dict:
    registration = getattr(application, "mastodon_registration", None)
    uris = application.redirect_uris.split()
    body = {
        "id": str(application.pk),
        "name": application.name,
        "website": (registration.website or None) if registration else None,
        "scopes": registration.scope_list if registration else ["read"],
        "redirect_uri": "\n".join(uris),
        "redirect_uris": uris,
        "vapid_key": "",
    }
    if secret is not None:
        body |= {"client_id": application.client_id, "client_secret": secret}
    return body


class AppCreateApi(MastodonApi):
    """Anyone may register a client (Mastodon's rule); the secret is shown once."""

    required_scopes = {"POST": None}
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "mastodon-apps"

    def post(self, request, *args, **kwargs) -> Response:
        data = request.data
        uris = self.list_param("redirect_uris")
        if len(uris) == 1 and "\n" in str(uris[0]):
            uris = str(uris[0]).splitlines()
        for name in ("client_name", "scopes", "website"):
            if not isinstance(data.get(name, ""), str):
                raise exceptions.ValidationError({name: ["must be a string"]})
        application, secret = services.app_register(
            name=data.get("client_name", ""),
            redirect_uris=uris,
            scopes=data.get("scopes"),
            website=data.get("website", ""),
        )
        return Response(_app(application, secret=secret))


class AppVerifyCredentialsApi(MastodonApi):
    """Any valid token, of a user or of the app alone."""

    required_scopes = {"GET": None}

    def get(self, request, *args, **kwargs) -> Response:
        if request.auth is None:
            raise exceptions.NotAuthenticated("The access token is invalid")
        return Response(_app(request.auth.application))
