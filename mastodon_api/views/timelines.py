"""Timelines (home, public, tag) and notifications."""

from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response

from mastodon_api.entities import NOTIFICATION_TYPES, EntityContext
from mastodon_api.views.accounts import post_cursors, post_positions, statuses_response
from mastodon_api.views.base import MastodonApi, bool_param, id_param
from mastodon_api.views.paging import keyset_page, limit_param, link_header, positions
from social import selectors as social_selectors
from social import services as social_services

# Mastodon statuses are the text posts and boosts (boosts are posts: each renders as
# Mastodon's wrapper of its original); the feed's activity entries (a photo, snap,
# album or recipe made public) have no text, and their photos reach statuses attached.
STATUS_KIND = "post"


class HomeTimelineApi(MastodonApi):
    """The newsfeed of the configured strategy (pull, push or Redis), filtered as on the
    web page (mutes, blocks), its text posts and boosts."""

    required_scopes = {"GET": "read:statuses"}

    def get(self, request, *args, **kwargs) -> Response:
        found = post_cursors(request)
        posts, _ = social_selectors.feed_page(
            request.user,
            before=found.get("max_id"),
            after=found.get("min_id") or found.get("since_id"),
            oldest_first="min_id" in found,
            limit=limit_param(request),
            kind=STATUS_KIND,
        )
        return statuses_response(request, posts)


class PublicTimelineApi(MastodonApi):
    required_scopes = {"GET": None}

    def get(self, request, *args, **kwargs) -> Response:
        limit = limit_param(request)
        if bool_param(request.query_params.get("remote"), name="remote"):
            return Response([])  # every account is local
        if bool_param(request.query_params.get("only_media"), name="only_media"):
            return Response([])
        rows = social_selectors.post_list_public(request.user)
        found = post_positions(request)
        return statuses_response(
            request, keyset_page(rows, found=found, limit=limit, time_field="created_on")
        )


class TagTimelineApi(MastodonApi):
    required_scopes = {"GET": None}

    def get(self, request, hashtag: str, *args, **kwargs) -> Response:
        limit = limit_param(request)
        rows = social_selectors.post_list_tagged(hashtag, request.user)
        if request.user.is_authenticated:
            muted = social_selectors.user_list_muted(request.user).values("pk")
            rows = rows.exclude(user__in=muted)
        found = post_positions(request)
        return statuses_response(
            request, keyset_page(rows, found=found, limit=limit, time_field="created_on")
        )


def _kinds(values: list[str], *, name: str) -> set[str]:
    kinds = set()
    for value in values:
        if not isinstance(value, str):
            raise exceptions.ValidationError({name: ["must be notification types"]})
        kinds |= {kind for kind, theirs in NOTIFICATION_TYPES.items() if theirs == value}
    return kinds


class NotificationListApi(MastodonApi):
    required_scopes = {"GET": "read:notifications"}

    def get(self, request, *args, **kwargs) -> Response:
        limit = limit_param(request, maximum=80)
        rows = social_selectors.notification_list(request.user)
        if types := self.list_param("types"):
            rows = rows.filter(kind__in=_kinds(types, name="types"))
        if excluded := self.list_param("exclude_types"):
            rows = rows.exclude(kind__in=_kinds(excluded, name="exclude_types"))
        if account := id_param(request.query_params.get("account_id"), name="account_id"):
            rows = rows.filter(actor_id=account)
        found = {}
        for name, pk in positions(request).items():
            try:
                notification = social_selectors.notification_get(pk, request.user)
            except Http404:
                raise exceptions.ValidationError({name: ["no notification with this id"]}) from None
            found[name] = (notification.created_on, notification.pk)
        notifications = keyset_page(rows, found=found, limit=limit, time_field="created_on")
        context = EntityContext(request, notifications=notifications)
        link = link_header(request, [notification.pk for notification in notifications])
        return Response(
            [context.notification(notification) for notification in notifications],
            headers={"Link": link} if link else {},
        )


class NotificationDetailApi(MastodonApi):
    required_scopes = {"GET": "read:notifications"}

    def get(self, request, id: str, *args, **kwargs) -> Response:
        notification = social_selectors.notification_get(id_param(id, name="id"), request.user)
        return Response(
            EntityContext(request, notifications=[notification]).notification(notification)
        )


class NotificationDismissApi(MastodonApi):
    required_scopes = {"POST": "write:notifications"}

    def post(self, request, id: str | None = None, *args, **kwargs) -> Response:
        if id is not None:
            social_selectors.notification_get(id_param(id, name="id"), request.user)
            social_services.notification_dismiss(user=request.user, notification_id=int(id))
        else:
            social_services.notification_dismiss(user=request.user)
        return Response({})
