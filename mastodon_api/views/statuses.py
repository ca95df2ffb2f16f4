"""/api/v1/statuses/…: post, read, edit with history, delete, thread, favourite, reblog."""

import hashlib

from django.core.cache import cache
from django.core.exceptions import ValidationError
from rest_framework import exceptions
from rest_framework.response import Response

from mastodon_api import selectors as mastodon_selectors
from mastodon_api import services
from mastodon_api.entities import EntityContext, iso, status_html
from mastodon_api.views.accounts import _accounts_response
from mastodon_api.views.base import MastodonApi, bool_param, id_param
from social import selectors as social_selectors
from social import services as social_services

IDEMPOTENCY_SECONDS = 3600  # Mastodon keeps a key for an hour
VISIBILITIES = {"public"}  # every Blueprints post is public


def post_get(request, id: str):
    return social_selectors.post_get(id_param(id, name="id"), request.user)


def status_body(request, post) -> dict:
    return EntityContext(request, posts=[post]).status(post)


def _text(data, name: str, *, required: bool = False) -> str:
    value = data.get(name, "")
    if not isinstance(value, str):
        raise exceptions.ValidationError({name: ["must be a string"]})
    if required and not value.strip():
        raise ValidationError({"text": "can't be blank"}, code="blank")
    return value


def _refuse_unsupported(view: MastodonApi) -> None:
    """What Blueprints posts cannot carry is refused, never silently dropped."""
    data = view.request.data
    visibility = data.get("visibility") or "public"
    if visibility not in VISIBILITIES:
        raise exceptions.ValidationError(
            {"visibility": [f"{visibility} is not supported: every post here is public"]}
        )
    if _text(data, "spoiler_text").strip():
        raise exceptions.ValidationError({"spoiler_text": ["content warnings are not supported"]})
    if bool_param(data.get("sensitive"), name="sensitive"):
        raise exceptions.ValidationError({"sensitive": ["is not supported"]})
    if data.get("poll") or data.get("poll[options][]") or data.get("scheduled_at"):
        raise exceptions.ValidationError({"poll": ["polls and scheduling are not supported"]})


def _media_ids(view: MastodonApi) -> list[int]:
    return [id_param(value, name="media_ids") for value in view.list_param("media_ids") if value]


def _post_create(request, *, content: str, in_reply_to: int | None, media_ids: list[int]):
    return services.status_create(
        user=request.user, content=content, in_reply_to_id=in_reply_to, media_ids=media_ids
    )


class StatusCreateApi(MastodonApi):
    required_scopes = {"POST": "write:statuses"}

    def post(self, request, *args, **kwargs) -> Response:
        _refuse_unsupported(self)
        content = _text(request.data, "status", required=True)
        in_reply_to = id_param(request.data.get("in_reply_to_id"), name="in_reply_to_id")
        media_ids = _media_ids(self)
        key = request.headers.get("Idempotency-Key")
        if not key:
            post = _post_create(
                request, content=content, in_reply_to=in_reply_to, media_ids=media_ids
            )
            return Response(status_body(request, post))
        digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
        cache_key = f"mastodon:idempotency:{request.user.pk}:{digest}"
        if not cache.add(cache_key, 0, IDEMPOTENCY_SECONDS):  # seen: answer the same status
            post_id = cache.get(cache_key)
            if not post_id:
                raise exceptions.ValidationError(
                    {"Idempotency-Key": ["a request with this key is still being processed"]}
                )
            return Response(status_body(request, social_selectors.post_get(post_id, request.user)))
        try:
            post = _post_create(
                request, content=content, in_reply_to=in_reply_to, media_ids=media_ids
            )
        except Exception:
            cache.delete(cache_key)
            raise
        cache.set(cache_key, post.pk, IDEMPOTENCY_SECONDS)
        return Response(status_body(request, post))


class StatusDetailApi(MastodonApi):
    required_scopes = {"GET": None, "PUT": "write:statuses", "DELETE": "write:statuses"}

    def get(self, request, id: str, *args, **kwargs) -> Response:
        return Response(status_body(request, post_get(request, id)))

    def put(self, request, id: str, *args, **kwargs) -> Response:
        post = post_get(request, id)
        _refuse_unsupported(self)
        content = _text(request.data, "status", required=True)
        current = [item.photo_id for item in post.attachments.all()]
        sent = "media_ids" in request.data or "media_ids[]" in request.data
        if sent and _media_ids(self) != current:
            raise exceptions.ValidationError({"media_ids": ["cannot be changed by an edit"]})
        post = social_services.post_update(post=post, by=request.user, content=content)
        return Response(status_body(request, social_selectors.post_get(post.pk, request.user)))

    def delete(self, request, id: str, *args, **kwargs) -> Response:
        post = post_get(request, id)
        body = status_body(request, post) | {"text": post.content}
        social_services.post_delete(post=post, by=request.user)
        return Response(body)


class StatusSourceApi(MastodonApi):
    required_scopes = {"GET": "read:statuses"}

    def get(self, request, id: str, *args, **kwargs) -> Response:
        post = post_get(request, id)
        return Response({"id": str(post.pk), "text": post.content, "spoiler_text": ""})


class StatusHistoryApi(MastodonApi):
    """Every version, oldest first, the current one last (Mastodon's order)."""

    required_scopes = {"GET": None}

    def get(self, request, id: str, *args, **kwargs) -> Response:
        post = post_get(request, id)
        account = EntityContext(request, posts=[post]).account(post.user)
        versions = [(edit.content, edit.written_on) for edit in social_selectors.post_history(post)]
        versions.reverse()
        versions.append((post.content, post.edited_on or post.created_on))
        return Response(
            [
                {
                    "content": status_html(content),
                    "spoiler_text": "",
                    "sensitive": False,
                    "created_at": iso(moment),
                    "account": account,
                    "poll": None,
                    "media_attachments": [],
                    "emojis": [],
                }
                for content, moment in versions
            ]
        )


class StatusContextApi(MastodonApi):
    required_scopes = {"GET": None}

    def get(self, request, id: str, *args, **kwargs) -> Response:
        thread = social_selectors.post_thread(post_get(request, id), request.user)
        replies = [reply for reply, _depth in thread.descendants]
        context = EntityContext(request, posts=[*thread.ancestors, *replies])
        return Response(
            {
                "ancestors": [context.status(post) for post in thread.ancestors],
                "descendants": [context.status(post) for post in replies],
            }
        )


class StatusFavouriteApi(MastodonApi):
    required_scopes = {"POST": "write:favourites"}
    undo = False

    def post(self, request, id: str, *args, **kwargs) -> Response:
        post = post_get(request, id)
        if self.undo:
            social_services.like_delete(user=request.user, post=post)
        else:
            social_services.like_create(user=request.user, post=post)
        return Response(status_body(request, social_selectors.post_get(post.pk, request.user)))


class StatusFavouritedByApi(MastodonApi):
    required_scopes = {"GET": None}

    def get(self, request, id: str, *args, **kwargs) -> Response:
        post = post_get(request, id)
        return _accounts_response(request, social_selectors.user_list_liked(post))


class StatusReblogApi(MastodonApi):
    """Reblog answers the wrapper status (its `reblog` the original); unreblog answers
    the original. Both are idempotent, as on Mastodon."""

    required_scopes = {"POST": "write:statuses"}
    undo = False

    def post(self, request, id: str, *args, **kwargs) -> Response:
        post = post_get(request, id)
        if self.undo:
            social_services.boost_delete(user=request.user, post=post)
            return Response(status_body(request, social_selectors.post_get(post.pk, request.user)))
        boost, _ = social_services.boost_create(user=request.user, post=post)
        boost.boost_of = social_selectors.post_get(post.pk, request.user)
        boost.user = request.user
        return Response(status_body(request, boost))


class StatusRebloggedByApi(MastodonApi):
    required_scopes = {"GET": None}

    def get(self, request, id: str, *args, **kwargs) -> Response:
        post = post_get(request, id)
        return _accounts_response(request, mastodon_selectors.user_list_boosted(post))
