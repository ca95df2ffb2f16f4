"""Mastodon's client API paths, included in project/urls.py before the DRF API.

Every path answers with and without its trailing slash (clients use both, and a POST
cannot be redirected); ids are digits. project/tests/test_url_map.py proves that no
pattern of the whole site shadows another."""

from django.urls import URLPattern, path, re_path

from mastodon_api.views import (
    accounts,
    apps,
    instance,
    media,
    oauth,
    search,
    statuses,
    streaming,
    timelines,
)

app_name = "mastodon"

ID = r"(?P<id>[0-9]+)"


def mastodon_path(route: str, view, name: str) -> URLPattern:
    return re_path(rf"^{route}/?$", view, name=name)


EMPTY_LISTS = {
    "custom-emojis": "api/v1/custom_emojis",
    "filters-v1": "api/v1/filters",
    "filters-v2": "api/v2/filters",
    "lists": "api/v1/lists",
    "announcements": "api/v1/announcements",
    "instance-rules": "api/v1/instance/rules",
    "instance-peers": "api/v1/instance/peers",
    "trends-tags": "api/v1/trends/tags",
    "trends-statuses": "api/v1/trends/statuses",
    "trends-links": "api/v1/trends/links",
    "suggestions": "api/v2/suggestions",
    "followed-tags": "api/v1/followed_tags",
    "featured-tags": "api/v1/featured_tags",
    "conversations": "api/v1/conversations",
}

urlpatterns = [
    mastodon_path(r"api/v1/apps", apps.AppCreateApi.as_view(), "app-create"),
    mastodon_path(
        r"api/v1/apps/verify_credentials",
        apps.AppVerifyCredentialsApi.as_view(),
        "app-verify-credentials",
    ),
    mastodon_path(r"oauth/authorize", oauth.AuthorizeView.as_view(), "oauth-authorize"),
    mastodon_path(r"oauth/token", oauth.TokenView.as_view(), "oauth-token"),
    mastodon_path(r"oauth/revoke", oauth.RevokeView.as_view(), "oauth-revoke"),
    path("accounts/apps/", oauth.authorised_apps, name="authorised-apps"),
    path(
        "accounts/apps/<int:application_id>/revoke/",
        oauth.authorised_app_revoke,
        name="authorised-app-revoke",
    ),
    mastodon_path(r"api/v1/instance", instance.InstanceV1Api.as_view(), "instance-v1"),
    mastodon_path(r"api/v2/instance", instance.InstanceV2Api.as_view(), "instance-v2"),
    *(
        mastodon_path(route, instance.EmptyListApi.as_view(), name)
        for name, route in EMPTY_LISTS.items()
    ),
    mastodon_path(rf"api/v1/lists/{ID}", instance.ListDetailApi.as_view(), "list-detail"),
    mastodon_path(r"api/v1/markers", instance.MarkersApi.as_view(), "markers"),
    mastodon_path(r"api/v1/preferences", instance.PreferencesApi.as_view(), "preferences"),
    # accounts
    mastodon_path(
        r"api/v1/accounts/verify_credentials",
        accounts.VerifyCredentialsApi.as_view(),
        "account-verify-credentials",
    ),
    mastodon_path(
        r"api/v1/accounts/update_credentials",
        accounts.UpdateCredentialsApi.as_view(),
        "account-update-credentials",
    ),
    mastodon_path(r"api/v1/accounts/lookup", accounts.AccountLookupApi.as_view(), "account-lookup"),
    mastodon_path(
        r"api/v1/accounts/relationships", accounts.RelationshipsApi.as_view(), "relationships"
    ),
    mastodon_path(rf"api/v1/accounts/{ID}", accounts.AccountDetailApi.as_view(), "account-detail"),
    mastodon_path(
        rf"api/v1/accounts/{ID}/statuses", accounts.AccountStatusesApi.as_view(), "account-statuses"
    ),
    *(
        mastodon_path(
            rf"api/v1/accounts/{ID}/{relation}",
            accounts.AccountRelationListApi.as_view(relation=relation),
            f"account-{relation}",
        )
        for relation in ("followers", "following")
    ),
    *(
        mastodon_path(
            rf"api/v1/accounts/{ID}/{action}",
            accounts.RelationshipActionApi.as_view(action=action),
            f"account-{action}",
        )
        for action in ("follow", "unfollow", "block", "unblock", "mute", "unmute")
    ),
    mastodon_path(r"api/v1/blocks", accounts.BlockListApi.as_view(), "blocks"),
    mastodon_path(r"api/v1/mutes", accounts.MuteListApi.as_view(), "mutes"),
    mastodon_path(
        r"api/v1/follow_requests", accounts.FollowRequestListApi.as_view(), "follow-requests"
    ),
    # statuses
    mastodon_path(r"api/v1/statuses", statuses.StatusCreateApi.as_view(), "status-create"),
    mastodon_path(rf"api/v1/statuses/{ID}", statuses.StatusDetailApi.as_view(), "status-detail"),
    mastodon_path(
        rf"api/v1/statuses/{ID}/source", statuses.StatusSourceApi.as_view(), "status-source"
    ),
    mastodon_path(
        rf"api/v1/statuses/{ID}/history", statuses.StatusHistoryApi.as_view(), "status-history"
    ),
    mastodon_path(
        rf"api/v1/statuses/{ID}/context", statuses.StatusContextApi.as_view(), "status-context"
    ),
    mastodon_path(
        rf"api/v1/statuses/{ID}/favourite",
        statuses.StatusFavouriteApi.as_view(),
        "status-favourite",
    ),
    mastodon_path(
        rf"api/v1/statuses/{ID}/unfavourite",
        statuses.StatusFavouriteApi.as_view(undo=True),
        "status-unfavourite",
    ),
    mastodon_path(
        rf"api/v1/statuses/{ID}/favourited_by",
        statuses.StatusFavouritedByApi.as_view(),
        "status-favourited-by",
    ),
    mastodon_path(
        rf"api/v1/statuses/{ID}/reblog", statuses.StatusReblogApi.as_view(), "status-reblog"
    ),
    mastodon_path(
        rf"api/v1/statuses/{ID}/unreblog",
        statuses.StatusReblogApi.as_view(undo=True),
        "status-unreblog",
    ),
    mastodon_path(
        rf"api/v1/statuses/{ID}/reblogged_by",
        statuses.StatusRebloggedByApi.as_view(),
        "status-reblogged-by",
    ),
    # media
    mastodon_path(r"api/v2/media", media.MediaCreateApi.as_view(), "media-create"),
    mastodon_path(
        r"api/v1/media", media.MediaCreateApi.as_view(asynchronous=False), "media-create-v1"
    ),
    mastodon_path(rf"api/v1/media/{ID}", media.MediaDetailApi.as_view(), "media-detail"),
    mastodon_path(r"api/v2/search", search.SearchApi.as_view(), "search"),
    # streaming
    mastodon_path(r"api/v1/streaming/health", streaming.health, "streaming-health"),
    *(
        mastodon_path(
            rf"api/v1/streaming/{stream}",
            streaming.StreamApi.as_view(stream=stream),
            f"streaming-{stream}",
        )
        for stream in ("user", "public", "hashtag")
    ),
    # timelines and notifications
    mastodon_path(r"api/v1/timelines/home", timelines.HomeTimelineApi.as_view(), "timeline-home"),
    mastodon_path(
        r"api/v1/timelines/public", timelines.PublicTimelineApi.as_view(), "timeline-public"
    ),
    mastodon_path(
        r"api/v1/timelines/tag/(?P<hashtag>[^/]+)",
        timelines.TagTimelineApi.as_view(),
        "timeline-tag",
    ),
    mastodon_path(
        r"api/v1/notifications", timelines.NotificationListApi.as_view(), "notification-list"
    ),
    mastodon_path(
        r"api/v1/notifications/clear",
        timelines.NotificationDismissApi.as_view(),
        "notification-clear",
    ),
    mastodon_path(
        rf"api/v1/notifications/{ID}",
        timelines.NotificationDetailApi.as_view(),
        "notification-detail",
    ),
    mastodon_path(
        rf"api/v1/notifications/{ID}/dismiss",
        timelines.NotificationDismissApi.as_view(),
        "notification-dismiss",
    ),
    mastodon_path(r"\.well-known/nodeinfo", instance.nodeinfo_links, "nodeinfo-links"),
    mastodon_path(r"nodeinfo/2\.0", instance.nodeinfo, "nodeinfo"),
    mastodon_path(r"\.well-known/webfinger", instance.webfinger, "webfinger"),
]
