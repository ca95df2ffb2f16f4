"""`GET /api/v1/search/?q=`: the site search of project/site_search.py as JSON, each
kind rendered by its app's own serializer."""

from urllib.parse import urlencode

from django.conf import settings
from django.db.models import prefetch_related_objects
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from photos.serializers import PhotoSerializer
from project import site_search
from project.pagination import page_size_from
from recipes.serializers import RecipeSerializer
from snaps.selectors import files_in_full as snap_files_in_full
from snaps.serializers import SnapSerializer
from social.selectors import post_photos_prefetch
from social.serializers import PostSerializer

SERIALIZERS = {
    "snaps": SnapSerializer,
    "posts": PostSerializer,
    "photos": PhotoSerializer,
    "recipes": RecipeSerializer,
}
# What each serializer reads beyond the selector's rows (one query per kind, not per hit).
PREFETCH = {
    "recipes": ("crossposts",),
    "posts": (post_photos_prefetch(),),
    "snaps": (snap_files_in_full(), "tags"),
}
MAX_LIMIT = 50


def group_serializer(kind: str, item: type[serializers.Serializer]) -> serializers.Serializer:
    """One kind's group, named (so generated clients get a type per kind)."""
    return type(
        f"Search{kind.title()}Group",
        (serializers.Serializer,),
        {
            "results": item(many=True, read_only=True),
            "more": serializers.URLField(
                allow_null=True,
                help_text="More of this kind: its API list searched, or this endpoint with "
                "`kind` and a larger `limit`; null when there are no more (or `limit` is "
                f"already {MAX_LIMIT} for photos, which have no list of their own).",
            ),
            "__doc__": f"The best {kind} matching the query.",
        },
    )()


class SearchResultSerializer(serializers.Serializer):
    query = serializers.CharField(help_text="The query as searched (trimmed).")
    snaps = group_serializer("snaps", SnapSerializer)
    posts = group_serializer("posts", PostSerializer)
    photos = group_serializer("photos", PhotoSerializer)
    recipes = group_serializer("recipes", RecipeSerializer)


class SearchQuerySerializer(serializers.Serializer):
    """The query string, validated with the web search box's rules."""

    q = serializers.CharField(
        max_length=settings.SEARCH_MAX_QUERY_CHARS, allow_blank=False, trim_whitespace=True
    )
    kind = serializers.ChoiceField(choices=list(SERIALIZERS), required=False)


class SearchApi(APIView):
    """Snaps, posts, photos and recipes matching `q`, best first in each kind: only what
    the caller may see (public snaps and their own, posts, photos for signed-in callers,
    recipes). Web search syntax: words, "quoted phrases", `or`, `-word`."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                {"type": "string", "minLength": 1, "maxLength": settings.SEARCH_MAX_QUERY_CHARS},
                required=True,
                description="The search.",
            ),
            OpenApiParameter(
                "kind", str, enum=list(SERIALIZERS), description="Search only this kind."
            ),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1},
                description=f"Hits per kind, 1 to {MAX_LIMIT}; default "
                f"{settings.SEARCH_GROUP_SIZE}.",
            ),
        ],
        responses=SearchResultSerializer,
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        params = SearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        query = params.validated_data["q"]
        only = params.validated_data.get("kind")
        limit = page_size_from(
            request, "limit", default=settings.SEARCH_GROUP_SIZE, maximum=MAX_LIMIT
        )
        kinds = site_search.KINDS if only is None else (site_search.KINDS_BY_NAME[only],)
        groups = {
            group.name: group
            for group in site_search.site_search(
                viewer=request.user, query=query, limit=limit, kinds=kinds
            )
        }
        context = {"request": request}
        data = {"query": query}
        for kind in site_search.KINDS:
            group = groups.get(kind.name)
            hits = group.hits if group else []
            prefetch_related_objects(hits, *PREFETCH.get(kind.name, ()))
            more = self.more_url(request, kind, query, limit) if group and group.has_more else None
            data[kind.name] = {
                "results": SERIALIZERS[kind.name](hits, many=True, context=context).data,
                "more": more,
            }
        return Response(data)

    @staticmethod
    def more_url(request: Request, kind: site_search.Kind, query: str, limit: int) -> str | None:
        if kind.api_list_url:
            url = reverse(kind.api_list_url, request=request)
            return f"{url}?{urlencode({'search': query})}"
        if limit >= MAX_LIMIT:
            return None  # photos have no searchable list of everyone's: this is the most
        url = reverse("api:search", request=request)
        return f"{url}?{urlencode({'q': query, 'kind': kind.name, 'limit': MAX_LIMIT})}"
