from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.generics import RetrieveAPIView
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from accounts.models import User
from accounts.serializers import UserCreateInputSerializer, UserMeSerializer
from accounts.services import user_create
from project.exceptions import Conflict
from project.throttling import ScopedRateThrottle


class MeApi(RetrieveAPIView):
    """The caller's own account."""

    serializer_class = UserMeSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_object(self):
        return self.request.user


class UserCreateApi(APIView):
    """Open sign-up: `username`, `email`, `password` (JSON). 409 when taken."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "user-create"

    @extend_schema(request=UserCreateInputSerializer, responses={201: UserMeSerializer})
    def post(self, request: Request, *args, **kwargs) -> Response:
        data = UserCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            user = user_create(**data.validated_data)
        except ValidationError as error:  # the only failure left: username or email taken
            raise Conflict(" ".join(error.messages)) from None
        location = reverse("api:user-detail", kwargs={"pk": user.pk}, request=request)
        return Response(
            UserMeSerializer(user).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )


class UserDetailApi(RetrieveAPIView):
    """One account, readable only by its owner."""

    serializer_class = UserMeSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_object(self):
        user = User.objects.filter(pk=self.kwargs["pk"]).first()
        if user is None:
            raise NotFound("No such user exists.")
        if user.pk != self.request.user.pk:
            raise PermissionDenied("You have insufficient permissions to access this resource.")
        return user


@extend_schema(tags=["auth"])
class TokenObtainApi(ObtainAuthToken):
    """Trade username + password for an API token (`Authorization: Token <key>`)."""

    # JSON like the rest of the API (DRF's view also takes forms): one request type in the
    # schema, so Swagger UI and generated clients send what the view reads.
    parser_classes = [JSONParser]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth-token"
