"""GET /api/v2/search: accounts, statuses (the posts' full-text index) and hashtags."""

from django.conf import settings
from django.urls import reverse
from rest_framework import exceptions
from rest_framework.response import Response

from mastodon_api.entities import EntityContext
from mastodon_api.views.base import MastodonApi, id_param
from mastodon_api.views.paging import limit_param
from social import selectors as social_selectors

TYPES = ("accounts", "statuses", "hashtags")


class SearchApi(MastodonApi):
    required_scopes = {"GET": "read:search"}

    def get(self, request, *args, **kwargs) -> Response:
        query = request.query_params.get("q", "").strip()
        if not query:
            raise exceptions.ValidationError({"q": ["can't be blank"]})
        if len(query) > settings.SEARCH_MAX_QUERY_CHARS or "\x00" in query:
            raise exceptions.ValidationError(
                {"q": [f"at most {settings.SEARCH_MAX_QUERY_CHARS} characters"]}
            )
        kind = request.query_params.get("type") or None
        if kind is not None and kind not in TYPES:
            raise exceptions.ValidationError({"type": [f"one of {', '.join(TYPES)}"]})
        limit = limit_param(request)
        offset = id_param(request.query_params.get("offset"), name="offset") or 0
        wanted = [kind] if kind else list(TYPES)
        users, posts, tags = [], [], []
        if "accounts" in wanted:
            rows = social_selectors.user_list_people(viewer=request.user, query=query.lstrip("@"))
            users = list(rows[offset : offset + limit])
        if "statuses" in wanted:
            posts = list(
                social_selectors.post_search(viewer=request.user, query=query)[
                    offset : offset + limit
                ]
            )
        if "hashtags" in wanted:
            tags = social_selectors.tag_search(query, limit=limit, offset=offset)
        context = EntityContext(request, posts=posts, users=users)
        return Response(
            {
                "accounts": [context.account(user) for user in users],
                "statuses": [context.status(post) for post in posts],
                "hashtags": [
                    {
                        "name": tag.name,
                        "url": request.build_absolute_uri(reverse("social:tag", args=[tag.name])),
                        "history": [],
                        "following": False,
                    }
                    for tag in tags
                ],
            }
        )
