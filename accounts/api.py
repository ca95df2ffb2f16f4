from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import NotFound
from rest_framework.generics import RetrieveAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from accounts.serializers import (
    TokenObtainInputSerializer,
    UserCreateInputSerializer,
    UserMeSerializer,
    UserMeUpdateInputSerializer,
)
from accounts.services import SignupConflict, user_create, user_preferences_update
from project.exceptions import Conflict
from project.throttling import ScopedRateThrottle


class MeApi(RetrieveAPIView):
    """The caller's own account; PATCH changes its settings (the `email_on_*` switches)."""

    serializer_class = UserMeSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_object(self):
        return self.request.user

    @extend_schema(
        request=UserMeUpdateInputSerializer(partial=True), responses={200: UserMeSerializer}
    )
    def patch(self, request: Request, *args, **kwargs) -> Response:
        data = UserMeUpdateInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        user = user_preferences_update(user=request.user, **data.validated_data)
        return Response(UserMeSerializer(user).data)


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
        except SignupConflict as error:  # other ValidationErrors (mixed scripts) are 400s
            raise Conflict(" ".join(error.messages)) from None
        location = reverse("api:user-detail", kwargs={"pk": user.pk}, request=request)
        return Response(
            UserMeSerializer(user).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )


class UserDetailApi(RetrieveAPIView):
    """One account, readable only by its owner; any other id is 404, whether it exists or
    not, so the answer never tells who has an account."""

    serializer_class = UserMeSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_object(self):
        if str(self.kwargs["pk"]) != str(self.request.user.pk):
            raise NotFound("No such user exists.")
        return self.request.user


@extend_schema(tags=["auth"])
class TokenObtainApi(ObtainAuthToken):
    """Trade username + password for an API token (`Authorization: Token <key>`)."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth-token"
    serializer_class = TokenObtainInputSerializer
    # The project's JSON parser, like the rest of the API (ObtainAuthToken pins DRF's own
    # three): one request type in the schema, so Swagger UI and generated clients send
    # what the view reads, and deep JSON is refused here too.
    parser_classes = APIView.parser_classes
