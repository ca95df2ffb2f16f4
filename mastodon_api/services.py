"""Writes of the Mastodon client API: app registration and revoking authorisations."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import AccessToken, Application

from mastodon_api.models import AppRegistration, MediaAttachment
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


def _focus(value: str | None) -> tuple[float, float]:
    """Mastodon's focus "x,y", each from -1.0 to 1.0."""
    if value in (None, ""):
        return 0.0, 0.0
    try:
        x, y = (float(part) for part in str(value).split(","))
    except ValueError:
        raise ValidationError({"focus": "must be two numbers: x,y"}, code="invalid") from None
    if not (-1.0 <= x <= 1.0 and -1.0 <= y <= 1.0):
        raise ValidationError({"focus": "x and y must be from -1.0 to 1.0"}, code="invalid")
    return x, y


@transaction.atomic
def media_upload(*, user, file, description: str = "", focus: str | None = None):
    """The photo app stores and processes the upload (its checks, quota and sizes);
    this keeps Mastodon's focal point beside it."""
    from photos import services as photo_services

    x, y = _focus(focus)
    if len(description) > settings.PHOTOS_MAX_ALT_TEXT_LENGTH:
        limit = settings.PHOTOS_MAX_ALT_TEXT_LENGTH
        raise ValidationError({"description": f"at most {limit} characters"}, code="too_long")
    try:
        photo = photo_services.photo_upload(user=user, file=file, alt_text=description)
    except photo_services.DuplicatePhoto:
        raise ValidationError(
            {"file": "this image was uploaded already (see your photos)"}, code="duplicate"
        ) from None
    return MediaAttachment.objects.create(photo=photo, focus_x=x, focus_y=y)


@transaction.atomic
def media_update(*, media: MediaAttachment, user, description=None, focus=None):
    from photos import services as photo_services

    if focus is not None:
        media.focus_x, media.focus_y = _focus(focus)
        media.save(update_fields=["focus_x", "focus_y"])
    if description is not None:
        photo_services.photo_alt_text_update(photo=media.photo, by=user, alt_text=description)
    return media


@transaction.atomic
def status_create(*, user, content: str, in_reply_to_id: int | None, media_ids: list[int]):
    """A post with the user's uploads among `media_ids` as its photos (social's
    PostAttachment, in the order given). As on Mastodon a media is attached once: an
    upload some post already shows, or anyone else's, is refused; one still processing
    may be attached and shows once ready."""
    from social import selectors as social_selectors
    from social import services as social_services

    media_ids = list(dict.fromkeys(media_ids))
    # Locked until the post is saved, so two statuses cannot take the same upload.
    found = MediaAttachment.objects.select_for_update(of=("self",)).filter(
        pk__in=media_ids, photo__user=user
    )
    photos = {media.photo_id: media.photo for media in found.select_related("photo")}
    shown = social_selectors.photo_ids_on_posts(list(photos)) if photos else set()
    if len(photos) != len(media_ids) or shown:
        raise ValidationError(
            {"media_ids": "unknown, someone else's or already attached"}, code="invalid"
        )
    return social_services.post_create(
        user=user,
        content=content,
        in_reply_to_id=in_reply_to_id,
        photo_ids=media_ids,
        uploaded_photos=list(photos.values()),
    )
