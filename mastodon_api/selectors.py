"""Reads of the Mastodon client API."""

from django.db.models import Max, Min
from django.utils import timezone
from oauth2_provider.models import AccessToken


def authorised_app_list(*, user) -> list[dict]:
    """The apps holding a live token of the user: name, website, since when, scopes."""
    rows = (
        AccessToken.objects.filter(user=user, application__isnull=False, expires__gt=timezone.now())
        .values(
            "application_id", "application__name", "application__mastodon_registration__website"
        )
        .annotate(first=Min("created"), last=Max("created"))
        .order_by("-last")
    )
    apps = []
    for row in rows:
        apps.append(
            {
                "id": row["application_id"],
                "name": row["application__name"],
                "website": row["application__mastodon_registration__website"] or "",
                "since": row["first"],
            }
        )
    return apps


def media_get_owned(pk: int, *, user):
    """The user's own upload; anyone else's is a 404."""
    from django.http import Http404

    from mastodon_api.models import MediaAttachment

    try:
        return MediaAttachment.objects.select_related("photo").get(pk=pk, photo__user=user)
    except MediaAttachment.DoesNotExist:
        raise Http404("Record not found") from None


def media_focus_for_photos(photo_ids: list[int]) -> dict[int, tuple[float, float]]:
    """{photo id: its focal point} for the photos uploaded through the media API (the
    others have none: the centre); one query."""
    from mastodon_api.models import MediaAttachment

    if not photo_ids:
        return {}
    rows = MediaAttachment.objects.filter(pk__in=photo_ids).values_list("pk", "focus_x", "focus_y")
    return {pk: (x, y) for pk, x, y in rows}


def user_list_boosted(post):
    """Who boosted the post, most recent first (its boosts are their Post rows)."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(posts__boost_of=post)
        .order_by("-posts__created_on", "pk")  # one boost per user: no duplicates
    )
