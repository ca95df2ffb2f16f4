from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import RetrieveAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from accounts.serializers import (
    AvatarUploadSerializer,
    TokenObtainInputSerializer,
    UserCreateInputSerializer,
    UserMeSerializer,
    UserMeUpdateInputSerializer,
)
from accounts.services import (
    SignupConflict,
    user_avatar_delete,
    user_avatar_set,
    user_create,
    user_preferences_update,
    user_profile_update,
)
from project.exceptions import Conflict
from project.parsers import MultiPartParser
from project.throttling import ScopedRateThrottle


class MeApi(RetrieveAPIView):
    """The caller's own account; PATCH changes its settings (`email_on_follow`)."""

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
        fields = dict(data.validated_data)
        with transaction.atomic():
            user = user_preferences_update(
                user=request.user, email_on_follow=fields.pop("email_on_follow", None)
            )
            user = user_profile_update(user=user, **fields)
        return Response(UserMeSerializer(user, context=self.get_serializer_context()).data)


class MeAvatarApi(APIView):
    """The caller's avatar: PUT multipart `avatar` (JPEG, PNG, GIF or WebP; stored at
    most 640 px wide, metadata removed), DELETE removes it."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [MultiPartParser]
    throttle_classes = [*APIView.throttle_classes, ScopedRateThrottle]
    throttle_scope = "photo-upload"

    @extend_schema(
        request={"multipart/form-data": AvatarUploadSerializer}, responses={200: UserMeSerializer}
    )
    def put(self, request: Request, *args, **kwargs) -> Response:
        upload = AvatarUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        try:
            user = user_avatar_set(user=request.user, file=upload.validated_data["avatar"])
        except DjangoValidationError as error:
            raise ValidationError({"avatar": error.messages}) from None
        return Response(UserMeSerializer(user, context={"request": request}).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, *args, **kwargs) -> Response:
        user_avatar_delete(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


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
