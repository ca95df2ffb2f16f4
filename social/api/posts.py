"""The REST API of posts: create, read, edit, delete, context, history, like and boost."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.exceptions import ValidationError as DrfValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from project.permissions import IsOwnerOrReadOnly
from social import selectors, services
from social.filters import PostFilterSet
from social.serializers import (
    PostContextSerializer,
    PostEditSerializer,
    PostSerializer,
    PostUpdateInputSerializer,
    media_arguments,
)


class PostViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Posts, newest first; `?user=<username>` narrows to one author. PATCH edits the
    content (the author only); the earlier text is kept (`history/`)."""

    serializer_class = PostSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, IsOwnerOrReadOnly]
    filterset_class = PostFilterSet
    ordering_fields = ("created_on",)

    def get_queryset(self):
        posts = selectors.post_list(viewer=self.request.user)
        if username := self.request.query_params.get("user"):
            posts = posts.filter(user__username=username)
        return posts

    def perform_create(self, serializer):
        post = services.post_create(
            user=self.request.user,
            content=serializer.validated_data["content"],
            in_reply_to_id=serializer.validated_data.get("in_reply_to_id"),
            **_media(serializer.validated_data),
        )
        serializer.instance = selectors.posts_with_photos([post])[0]

    @extend_schema(request=PostUpdateInputSerializer(partial=True), responses={200: PostSerializer})
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        post = self.get_object()
        data = PostUpdateInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        if data.validated_data:  # PATCH {} changes nothing
            services.post_update(
                post=post,
                by=request.user,
                content=data.validated_data.get("content"),
                **_media(data.validated_data),
            )
            post = selectors.post_get(post.pk, request.user)
        return Response(self.get_serializer(post).data)

    def perform_destroy(self, instance):
        services.post_delete(post=instance, by=self.request.user)


def _media(data: dict) -> dict:
    if "media_attributes" in data and "media_ids" not in data:
        raise DrfValidationError({"media_attributes": ["Give media_ids with media_attributes."]})
    return media_arguments(data)


class PostContextApi(APIView):
    """The post's thread: its ancestors (oldest first) and its replies (depth-first)."""

    @extend_schema(responses=PostContextSerializer)
    def get(self, request: Request, pk: int, *args, **kwargs) -> Response:
        thread = selectors.post_thread(selectors.post_get(pk, request.user), request.user)
        data = {
            "ancestors": thread.ancestors,
            "descendants": [reply for reply, _ in thread.descendants],
        }
        return Response(PostContextSerializer(data, context={"request": request}).data)


class PostHistoryApi(APIView):
    """The post's earlier texts, newest first."""

    @extend_schema(responses=PostEditSerializer(many=True))
    def get(self, request: Request, pk: int, *args, **kwargs) -> Response:
        edits = selectors.post_history(selectors.post_get(pk, request.user))
        return Response(PostEditSerializer(edits, many=True).data)


class _PostReactionApi(APIView):
    """POST: react to the post (201 new, 200 already). DELETE: undo (204, idempotent).
    Both answer for the post as the caller sees it."""

    permission_classes = [permissions.IsAuthenticated]
    create: staticmethod  # (user, post) -> whether the reaction is new
    delete_service: staticmethod

    @extend_schema(request=None, responses={200: PostSerializer, 201: PostSerializer})
    def post(self, request: Request, pk: int, *args, **kwargs) -> Response:
        created = self.create(user=request.user, post=selectors.post_get(pk, request.user))
        post = selectors.post_get(pk, request.user)
        return Response(
            PostSerializer(post, context={"request": request}).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, pk: int, *args, **kwargs) -> Response:
        self.delete_service(user=request.user, post=selectors.post_get(pk, request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PostLikeApi(_PostReactionApi):
    """POST: like the post (201 new, 200 already). DELETE: unlike (204, idempotent)."""

    create = staticmethod(services.like_create)
    delete_service = staticmethod(services.like_delete)


class PostBoostApi(_PostReactionApi):
    """POST: boost the post (201 new, 200 already): it goes to your followers' feeds once,
    attributed to you. DELETE: un-boost (204, idempotent). Answers the original post."""

    create = staticmethod(lambda **kwargs: services.boost_create(**kwargs)[1])
    delete_service = staticmethod(services.boost_delete)
