from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.generics import RetrieveAPIView
from rest_framework.throttling import ScopedRateThrottle

from accounts.serializers import UserMeSerializer


class MeApi(RetrieveAPIView):
    """The caller's own account."""

    serializer_class = UserMeSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_object(self):
        return self.request.user


@extend_schema(tags=["auth"])
class TokenObtainApi(ObtainAuthToken):
    """Trade username + password for an API token (`Authorization: Token <key>`)."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth-token"
