from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.selectors import user_get_by_username
from project import apicache
from project.pagination import page_size_from
from project.permissions import IsOwnerOrReadOnly
from social import selectors, services
from social.feeds import RESPONSE_CACHE_SCOPE, Cursor
from social.filters import PostFilterSet
from social.serializers import PersonSerializer, PostSerializer


class PostViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Posts, newest first; `?user=<username>` narrows to one author. No edits."""

    serializer_class = PostSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, IsOwnerOrReadOnly]
    filterset_class = PostFilterSet
    ordering_fields = ("created_on",)

    def get_queryset(self):
        posts = selectors.post_list()
        if username := self.request.query_params.get("user"):
            posts = posts.filter(user__username=username)
        return posts

    def perform_create(self, serializer):
        serializer.instance = services.post_create(
            user=self.request.user, content=serializer.validated_data["content"]
        )

    def perform_destroy(self, instance):
        services.post_delete(post=instance, by=self.request.user)


FeedPageSerializer = inline_serializer(
    "FeedPage",
    {
        "next": serializers.URLField(allow_null=True),
        "results": PostSerializer(many=True),
    },
)


class FeedApi(APIView):
    """The caller's newsfeed (own posts and followees'), newest first, cursor-paginated."""

    permission_classes = [permissions.IsAuthenticated]
    max_page_size = 100

    @extend_schema(
        parameters=[
            OpenApiParameter("cursor", str, description="Opaque; from the previous page's `next`."),
            OpenApiParameter(
                "page_size", {"type": "integer", "minimum": 1}, description="1 to 100, default 20."
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
        limit = page_size_from(request, "page_size", default=20, maximum=self.max_page_size)
        return apicache.cached_response(
            request,
            RESPONSE_CACHE_SCOPE,
            request.user.pk,
            lambda: self._page(request, before=before, limit=limit),
        )

    def _page(self, request: Request, *, before: Cursor | None, limit: int) -> dict:
        posts, next_cursor = selectors.feed_page(request.user, before=before, limit=limit)
        next_url = None
        if next_cursor is not None:
            query = request.query_params.copy()
            query["cursor"] = next_cursor.encode()
            next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        data = PostSerializer(posts, many=True, context={"request": request}).data
        return {"next": next_url, "results": data}


class FollowApi(APIView):
    """POST: follow (201 new, 200 already). DELETE: unfollow (204, idempotent)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={200: PersonSerializer, 201: PersonSerializer})
    def post(self, request: Request, username: str, *args, **kwargs) -> Response:
        person = user_get_by_username(username)
        created = services.follow_create(follower=request.user, followed=person)
        return Response(
            self._describe(request, person),
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, username: str, *args, **kwargs) -> Response:
        person = user_get_by_username(username)
        services.follow_delete(follower=request.user, followed=person)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _describe(self, request: Request, person) -> dict:
        annotated = selectors.user_list_people(viewer=request.user).get(pk=person.pk)
        return PersonSerializer(annotated, context={"request": request}).data


class RelationListApi(ListAPIView):
    """A user's followers or the people they follow, most recent first."""

    serializer_class = PersonSerializer
    relation = "followers"
    filter_backends: list = []

    def get_queryset(self):
        person = user_get_by_username(self.kwargs["username"])
        if self.relation == "followers":
            return selectors.user_list_followers(person, self.request.user)
        return selectors.user_list_following(person, self.request.user)
