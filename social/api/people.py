"""The REST API's follow graph, blocks and mutes."""

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.selectors import user_get_by_username
from social import selectors, services
from social.serializers import (
    PersonSerializer,
    UserSummarySerializer,
)


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
