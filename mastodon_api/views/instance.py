"""Instance discovery: what clients read before and right after logging in."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import Http404, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from rest_framework.response import Response

from mastodon_api.views.base import MastodonApi, id_param

# Mastodon.py reads x.y.z and needs at least 4.0.0 for the v2 instance; the suffix is
# how Pixelfed and GoToSocial say what they really are.
MASTODON_VERSION = "4.2.0 (compatible; Blueprints)"
SOFTWARE = {"name": "blueprints", "version": "1.0.0"}
MAX_MEDIA_ATTACHMENTS = 4


def _domain(request) -> str:
    return request.get_host()


def _streaming_url(request) -> str:
    scheme = "wss" if request.is_secure() else "ws"
    return f"{scheme}://{request.get_host()}"


def _configuration(request) -> dict:
    return {
        "urls": {"streaming": _streaming_url(request)},
        "accounts": {"max_featured_tags": 0, "max_pinned_statuses": 0},
        "statuses": {
            "max_characters": settings.SOCIAL_POST_MAX_LENGTH,
            "max_media_attachments": MAX_MEDIA_ATTACHMENTS,
            "characters_reserved_per_url": 23,
        },
        "media_attachments": {
            "supported_mime_types": ["image/jpeg", "image/png", "image/webp", "image/gif"],
            "image_size_limit": settings.PHOTOS_MAX_UPLOAD_BYTES,
            "image_matrix_limit": 16777216,
            "video_size_limit": 0,
            "video_frame_rate_limit": 0,
            "video_matrix_limit": 0,
        },
        "polls": {
            "max_options": 0,
            "max_characters_per_option": 0,
            "min_expiration": 0,
            "max_expiration": 0,
        },
        "translation": {"enabled": False},
    }


def _user_count() -> int:
    return get_user_model().objects.filter(is_active=True).count()


def _description() -> str:
    return f"{settings.SITE_NAME}: snippets, posts, photos and recipes."


class InstanceV1Api(MastodonApi):
    required_scopes = {"GET": None}

    def get(self, request, *args, **kwargs) -> Response:
        configuration = _configuration(request)
        del configuration["urls"], configuration["translation"]
        return Response(
            {
                "uri": _domain(request),
                "title": settings.SITE_NAME,
                "short_description": _description(),
                "description": _description(),
                "email": "",
                "version": MASTODON_VERSION,
                "urls": {"streaming_api": _streaming_url(request)},
                "stats": {"user_count": _user_count(), "status_count": 0, "domain_count": 0},
                "thumbnail": None,
                "languages": ["en"],
                "registrations": True,
                "approval_required": False,
                "invites_enabled": False,
                "configuration": configuration,
                "contact_account": None,
                "rules": [],
            }
        )


class InstanceV2Api(MastodonApi):
    required_scopes = {"GET": None}

    def get(self, request, *args, **kwargs) -> Response:
        return Response(
            {
                "domain": _domain(request),
                "title": settings.SITE_NAME,
                "version": MASTODON_VERSION,
                "source_url": "https://github.com/",
                "description": _description(),
                "usage": {"users": {"active_month": _user_count()}},
                "thumbnail": {"url": request.build_absolute_uri(static("mastodon_api/avatar.svg"))},
                "languages": ["en"],
                "configuration": _configuration(request),
                "registrations": {"enabled": True, "approval_required": False, "message": None},
                "contact": {"email": "", "account": None},
                "rules": [],
            }
        )


class EmptyListApi(MastodonApi):
    """Start-up endpoints of features Blueprints lacks: a valid, empty answer."""

    required_scopes = {"GET": None}

    def get(self, request, *args, **kwargs) -> Response:
        return Response([])


class MarkersApi(MastodonApi):
    required_scopes = {"GET": "read:statuses"}

    def get(self, request, *args, **kwargs) -> Response:
        return Response({})


class PreferencesApi(MastodonApi):
    required_scopes = {"GET": "read:accounts"}

    def get(self, request, *args, **kwargs) -> Response:
        return Response(
            {
                "posting:default:visibility": "public",
                "posting:default:sensitive": False,
                "posting:default:language": None,
                "reading:expand:media": "default",
                "reading:expand:spoilers": False,
            }
        )


class ListDetailApi(MastodonApi):
    """No lists exist, so every list id is unknown."""

    required_scopes = {"GET": "read:lists"}

    def get(self, request, id: str, *args, **kwargs) -> Response:
        id_param(id, name="id")
        return Response({"error": "Record not found"}, status=404)


def nodeinfo_links(request) -> JsonResponse:
    href = request.build_absolute_uri(reverse("mastodon:nodeinfo"))
    return JsonResponse(
        {"links": [{"rel": "http://nodeinfo.diaspora.software/ns/schema/2.0", "href": href}]}
    )


def nodeinfo(request) -> JsonResponse:
    users = _user_count()
    return JsonResponse(
        {
            "version": "2.0",
            "software": SOFTWARE,
            "protocols": [],
            "services": {"inbound": [], "outbound": []},
            "usage": {"users": {"total": users}, "localPosts": 0},
            "openRegistrations": True,
            "metadata": {"nodeName": settings.SITE_NAME},
        },
        content_type="application/json; profile=http://nodeinfo.diaspora.software/ns/schema/2.0#",
    )


def webfinger(request) -> JsonResponse:
    """`acct:name@this-host` (or the profile URL) for local accounts only."""
    from accounts.selectors import user_get_by_username

    resource = request.GET.get("resource", "").removeprefix("acct:")
    name, _, host = resource.partition("@")
    ours = {request.get_host().lower(), (urlsplit(f"//{request.get_host()}").hostname or "")}
    if not name or host.lower() not in ours:
        return JsonResponse({"error": "Unknown resource"}, status=404)
    try:
        user = user_get_by_username(name)
    except Http404:
        return JsonResponse({"error": "Unknown resource"}, status=404)
    profile = request.build_absolute_uri(reverse("profile", args=[user.username]))
    return JsonResponse(
        {
            "subject": f"acct:{user.username}@{request.get_host()}",
            "aliases": [profile],
            "links": [
                {
                    "rel": "http://webfinger.net/rel/profile-page",
                    "type": "text/html",
                    "href": profile,
                }
            ],
        },
        content_type="application/jrd+json",
    )
