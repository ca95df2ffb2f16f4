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
