from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.exceptions import ValidationError as DrfValidationError
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.selectors import user_get_by_username
from project import apicache
from project.filters import DjangoFilterBackend
from project.pagination import page_size_from
from project.permissions import IsOwnerOrReadOnly
from social import selectors, services
from social.feeds import RESPONSE_CACHE_SCOPE, Cursor
from social.filters import NotificationFilterSet, PostFilterSet
from social.models import Notification, Post
from social.serializers import (
    NotificationSerializer,
    PersonSerializer,
    PostContextSerializer,
    PostEditSerializer,
    PostSerializer,
    PostUpdateInputSerializer,
    UserSummarySerializer,
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


class NotificationListApi(ListAPIView):
    """The caller's notifications, newest first; `?unread=true` keeps the unread ones."""

    serializer_class = NotificationSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = NotificationFilterSet
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is built anonymously
            return Notification.objects.none()
        return selectors.notification_list(self.request.user)


class NotificationReadApi(APIView):
    """POST: mark one notification read (200, also when it already was)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="notifications_read_one", request=None, responses={200: NotificationSerializer}
    )
    def post(self, request: Request, pk: int, *args, **kwargs) -> Response:
        notification = selectors.notification_get(pk, request.user)
        services.notification_mark_read(notification=notification, by=request.user)
        return Response(NotificationSerializer(notification, context={"request": request}).data)


class NotificationReadAllApi(APIView):
    """POST: mark all the caller's notifications read; says how many were unread."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="notifications_read_all",
        request=None,
        responses={
            200: inline_serializer("NotificationsMarked", {"marked": serializers.IntegerField()})
        },
    )
    def post(self, request: Request, *args, **kwargs) -> Response:
        return Response({"marked": services.notification_mark_all_read(user=request.user)})


class TagTimelineApi(ListAPIView):
    """Posts carrying one #tag (any case), newest first."""

    serializer_class = PostSerializer
    permission_classes = [permissions.AllowAny]
    filter_backends: list = []

    def get_queryset(self):
        return selectors.post_list_tagged(self.kwargs["tag"], self.request.user)


class _UserPairApi(APIView):
    """POST: 201 when new, 200 when it already stood. DELETE: 204, idempotent."""

    permission_classes = [permissions.IsAuthenticated]
    create: staticmethod
    delete_service: staticmethod
    roles: tuple[str, str]

    @extend_schema(request=None, responses={200: UserSummarySerializer, 201: UserSummarySerializer})
    def post(self, request: Request, username: str, *args, **kwargs) -> Response:
        person = user_get_by_username(username)
        created = self.create(**{self.roles[0]: request.user, self.roles[1]: person})
        return Response(
            UserSummarySerializer(person, context={"request": request}).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, username: str, *args, **kwargs) -> Response:
        person = user_get_by_username(username)
        self.delete_service(**{self.roles[0]: request.user, self.roles[1]: person})
        return Response(status=status.HTTP_204_NO_CONTENT)


class BlockApi(_UserPairApi):
    """Block a user (their follows with you end; they can no longer follow you, see,
    reply to or mention you), or unblock them."""

    create = staticmethod(services.block_create)
    delete_service = staticmethod(services.block_delete)
    roles = ("blocker", "blocked")


class MuteApi(_UserPairApi):
    """Mute a user (their posts leave your feed, their notifications stop), or unmute."""

    create = staticmethod(services.mute_create)
    delete_service = staticmethod(services.mute_delete)
    roles = ("muter", "muted")


class BlockListApi(ListAPIView):
    """The users the caller blocks, most recent first."""

    serializer_class = UserSummarySerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list = []

    def get_queryset(self):
        return selectors.user_list_blocked(self.request.user)


class MuteListApi(BlockListApi):
    """The users the caller mutes, most recent first."""

    def get_queryset(self):
        return selectors.user_list_muted(self.request.user)


class PublicTimelineApi(ListAPIView):
    """Every public post, newest first; open to anonymous callers."""

    serializer_class = PostSerializer
    permission_classes = [permissions.AllowAny]
    filter_backends: list = []

    def get_queryset(self):
        return selectors.post_list_public(self.request.user)
