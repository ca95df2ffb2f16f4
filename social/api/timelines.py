"""The REST API's timelines: the caller's feed (Mastodon-style positions), tags, public."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import ValidationError as DrfValidationError
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from project import apicache
from project.pagination import page_size_from
from social import selectors
from social.feeds import RESPONSE_CACHE_SCOPE, Cursor
from social.models import Post
from social.serializers import (
    PostSerializer,
)

FeedPageSerializer = inline_serializer(
    "FeedPage",
    {
        "next": serializers.URLField(
            allow_null=True, help_text="Older posts: the page after this one."
        ),
        "prev": serializers.URLField(
            allow_null=True,
            help_text="Newer posts: poll it (`min_id`, the newest post here) for what is new.",
        ),
        "results": PostSerializer(many=True),
    },
)

POSITION_PARAMS = ("max_id", "since_id", "min_id")
MAX_POST_ID = 2**63 - 1


def _post_id_param(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(
        name, {"type": "integer", "minimum": 1, "maximum": MAX_POST_ID}, description=description
    )


class FeedApi(APIView):
    """The caller's newsfeed (own posts and followees', their boosts and their activities
    in the other apps: `kind` and `activity`), newest first; `kind` keeps one kind.

    Paged like Mastodon's home timeline: `max_id` for older posts, `since_id` for the
    newest posts newer than one, `min_id` for the posts right after one (catching up
    without gaps); ids are post ids, and `min_id` wins over `since_id`. `next` and `prev`
    are ready-made links for older and newer posts."""

    permission_classes = [permissions.IsAuthenticated]
    max_page_size = 100

    @extend_schema(
        parameters=[
            OpenApiParameter("cursor", str, description="Opaque; from the previous page's `next`."),
            _post_id_param("max_id", "Only posts older than this post."),
            _post_id_param("since_id", "Only posts newer than this post (the newest of them)."),
            _post_id_param("min_id", "The posts right after this post, oldest of them first."),
            OpenApiParameter(
                "page_size", {"type": "integer", "minimum": 1}, description="1 to 100, default 20."
            ),
            OpenApiParameter(
                "kind",
                {"type": "string", "enum": Post.Kind.values},
                description="Only entries of this kind (boosts are posts).",
            ),
        ],
        responses=FeedPageSerializer,
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        before = None
        if token := request.query_params.get("cursor"):
            try:
                before = Cursor.decode(token)
            except ValidationError:
                return Response({"detail": "Invalid cursor."}, status=status.HTTP_400_BAD_REQUEST)
        if before is not None and "max_id" in request.query_params:
            raise DrfValidationError({"max_id": ["Give either cursor or max_id."]})
        post_ids = {name: _post_id(request, name) for name in POSITION_PARAMS}
        kind = request.query_params.get("kind")
        if kind is not None and kind not in Post.Kind.values:
            raise DrfValidationError({"kind": [f"One of: {', '.join(Post.Kind.values)}."]})
        limit = page_size_from(request, "page_size", default=20, maximum=self.max_page_size)
        return apicache.cached_response(
            request,
            RESPONSE_CACHE_SCOPE,
            request.user.pk,
            lambda: self._page(request, before=before, post_ids=post_ids, limit=limit, kind=kind),
        )

    def _page(
        self, request: Request, *, before: Cursor | None, post_ids: dict, limit: int, kind
    ) -> dict:
        positions = {name: _position(name, pk) for name, pk in post_ids.items() if pk}
        before = positions.get("max_id", before)
        after = positions.get("min_id") or positions.get("since_id")
        oldest_first = "min_id" in positions
        posts, next_cursor = selectors.feed_page(
            request.user,
            before=before,
            after=after,
            oldest_first=oldest_first,
            limit=limit,
            kind=kind,
        )
        query = request.query_params.copy()
        for name in ("cursor", *POSITION_PARAMS):
            query.pop(name, None)
        next_url = prev_url = None
        if next_cursor is not None:
            next_url = self._url(request, query, cursor=next_cursor.encode())
        newest = posts[0].pk if posts else (after.post_id if after else None)
        if newest is not None:
            prev_url = self._url(request, query, min_id=str(newest))
        data = PostSerializer(posts, many=True, context={"request": request}).data
        return {"next": next_url, "prev": prev_url, "results": data}

    @staticmethod
    def _url(request: Request, query, **params: str) -> str:
        query = query.copy()
        for name, value in params.items():
            query[name] = value
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def _post_id(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 19) or not 1 <= int(raw) <= MAX_POST_ID:
        raise DrfValidationError({name: ["A post id: a whole number from 1."]})
    return int(raw)


def _position(name: str, post_id: int) -> Cursor:
    cursor = selectors.post_cursor(post_id)
    if cursor is None:
        raise DrfValidationError({name: ["No post with this id."]})
    return cursor


class TagTimelineApi(ListAPIView):
    """Posts carrying one #tag (any case), newest first."""

    serializer_class = PostSerializer
    permission_classes = [permissions.AllowAny]
    filter_backends: list = []

    def get_queryset(self):
        return selectors.post_list_tagged(self.kwargs["tag"], self.request.user)


class PublicTimelineApi(ListAPIView):
    """Every public post, newest first; open to anonymous callers."""

    serializer_class = PostSerializer
    permission_classes = [permissions.AllowAny]
    filter_backends: list = []

    def get_queryset(self):
        return selectors.post_list_public(self.request.user)
