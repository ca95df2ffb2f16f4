"""The REST API of the caller's notifications."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from project.filters import DjangoFilterBackend
from social import selectors, services
from social.filters import NotificationFilterSet
from social.models import Notification
from social.serializers import (
    NotificationSerializer,
)


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
