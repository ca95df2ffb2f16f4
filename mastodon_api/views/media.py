"""Media: uploads become photos of the photo app (its checks, quota, sizes, blurhash)."""

from rest_framework import exceptions
from rest_framework.response import Response

from mastodon_api import selectors, services
from mastodon_api.entities import EntityContext
from mastodon_api.views.base import MastodonApi, id_param
from project.throttling import ScopedRateThrottle


def _body(request, media) -> dict:
    focus = (media.focus_x, media.focus_y)
    return EntityContext(request).media_attachment(media.photo, focus=focus)


def _text_or_none(data, name: str):
    value = data.get(name)
    if value is not None and not isinstance(value, str):
        raise exceptions.ValidationError({name: ["must be a string"]})
    return value


class MediaCreateApi(MastodonApi):
    """v2: 202 while the worker processes the photo (then GET it: 206, then 200);
    v1 (legacy) answers 200 either way."""

    required_scopes = {"POST": "write:media"}
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "photo-upload"
    asynchronous = True

    def post(self, request, *args, **kwargs) -> Response:
        upload = request.FILES.get("file")
        if upload is None:
            raise exceptions.ValidationError({"file": ["is required"]})
        media = services.media_upload(
            user=request.user,
            file=upload,
            description=_text_or_none(request.data, "description") or "",
            focus=_text_or_none(request.data, "focus"),
        )
        body = _body(request, media)
        processing = body["url"] is None
        return Response(body, status=202 if processing and self.asynchronous else 200)


class MediaDetailApi(MastodonApi):
    required_scopes = {"GET": "write:media", "PUT": "write:media"}

    def get(self, request, id: str, *args, **kwargs) -> Response:
        media = selectors.media_get_owned(id_param(id, name="id"), user=request.user)
        body = _body(request, media)
        return Response(body, status=206 if body["url"] is None else 200)

    def put(self, request, id: str, *args, **kwargs) -> Response:
        media = selectors.media_get_owned(id_param(id, name="id"), user=request.user)
        media = services.media_update(
            media=media,
            user=request.user,
            description=_text_or_none(request.data, "description"),
            focus=_text_or_none(request.data, "focus"),
        )
        return Response(_body(request, media))
