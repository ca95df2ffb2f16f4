"""Writes of the Mastodon client API: app registration and revoking authorisations."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import AccessToken, Application

from mastodon_api.models import AppRegistration
from mastodon_api.scopes import SCOPES, scopes_parse

OOB = "urn:ietf:wg:oauth:2.0:oob"
MAX_REDIRECT_URIS = 10


def redirect_uris_clean(raw: list[str]) -> list[str]:
    """Absolute http(s) URIs without fragment, or the out-of-band URN."""
    uris = [uri for value in raw for uri in str(value).split() if uri]
    if not uris:
        raise ValidationError({"redirect_uris": "can't be blank"}, code="required")
    if len(uris) > MAX_REDIRECT_URIS:
        raise ValidationError({"redirect_uris": f"at most {MAX_REDIRECT_URIS}"}, code="too_many")
    for uri in uris:
        parts = urlsplit(uri)
        if uri == OOB:
            continue
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.fragment:
            raise ValidationError(
                {"redirect_uris": "must be absolute http(s) URIs or " + OOB}, code="invalid"
            )
    return list(dict.fromkeys(uris))


def scopes_clean(value: str | None) -> list[str]:
    scopes = scopes_parse(value) or ["read"]
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown:
        raise ValidationError({"scopes": f"unknown: {' '.join(unknown)}"}, code="invalid")
    return list(dict.fromkeys(scopes))


@transaction.atomic
def app_register(
    *, name: str, redirect_uris: list[str], scopes: str | None, website: str = ""
) -> tuple[Application, str]:
    """A new OAuth client and its secret, in clear this once (only its hash is kept)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"client_name": "can't be blank"}, code="required")
    uris, scope_list = redirect_uris_clean(redirect_uris), scopes_clean(scopes)
    secret = generate_client_secret()
    application = Application(
        name=name[:255],
        redirect_uris=" ".join(uris),
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        client_secret=secret,
        hash_client_secret=True,
        algorithm="",
    )
    # Fields only: the toolkit's clean() would refuse the oob URN; our rule is above.
    application.clean_fields(exclude=["redirect_uris"])
    application.save()
    registration = AppRegistration(
        application=application, website=(website or "").strip(), scopes=" ".join(scope_list)
    )
    registration.full_clean(exclude=["application"])
    registration.save()
    return application, secret


def app_authorisation_revoke(*, user, application_id: int) -> int:
    """Every token the user gave this app stops working now; returns how many."""
    tokens = AccessToken.objects.filter(user=user, application_id=application_id)
    revoked = 0
    for token in tokens.select_related("refresh_token"):
        token.revoke()
        revoked += 1
    return revoked
