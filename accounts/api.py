from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from accounts.models import ApiToken
from accounts.selectors import api_token_list, data_export_latest, user_get_public_profile
from accounts.serializers import (
    AccountDeleteInputSerializer,
    ApiTokenCreatedSerializer,
    ApiTokenCreateInputSerializer,
    ApiTokenSerializer,
    AvatarUploadSerializer,
    DataExportSerializer,
    TokenObtainInputSerializer,
    UserCreateInputSerializer,
    UserMeSerializer,
    UserMeUpdateInputSerializer,
    UserProfileSerializer,
)
from accounts.services import (
    TOKEN_NAME_FOR_PASSWORD_EXCHANGE,
    SignupConflict,
    api_token_create,
    api_token_revoke,
    user_avatar_delete,
    user_avatar_set,
    user_create,
    user_delete_request,
    user_export_create,
    user_preferences_update,
    user_profile_update,
)
from project.exceptions import Conflict
from project.parsers import MultiPartParser
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
    """Open sign-up: `username`, `email`, `password` (JSON). 409 when taken. With e-mail
    verification on, a confirmation e-mail is sent, as by the web sign-up."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "user-create"

    @extend_schema(request=UserCreateInputSerializer, responses={201: UserMeSerializer})
    def post(self, request: Request, *args, **kwargs) -> Response:
        data = UserCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            user = user_create(**data.validated_data, request=request._request)
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


class UserProfileApi(RetrieveAPIView):
    """A member's public profile (display name, bio, website, avatar), readable by
    anyone; 404 for no such member."""

    serializer_class = UserProfileSerializer
    permission_classes = [permissions.AllowAny]

    def get_object(self):
        return user_get_public_profile(self.kwargs["username"])


@extend_schema(tags=["auth"])
class TokenObtainApi(ObtainAuthToken):
    """POST: trade username + password for a new API token (`Authorization: Token
    <key>`), named "API (password sign-in)"; list and revoke tokens under `tokens/`.
    DELETE: revoke the token this request is sent with."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth-token"
    serializer_class = TokenObtainInputSerializer
    # The project's JSON parser, like the rest of the API (ObtainAuthToken pins DRF's own
    # three): one request type in the schema, so Swagger UI and generated clients send
    # what the view reads, and deep JSON is refused here too.
    parser_classes = APIView.parser_classes

    def get_permissions(self):
        if self.request is not None and self.request.method == "DELETE":
            return [permissions.IsAuthenticated()]
        return super().get_permissions()

    def post(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token = api_token_create(
            user=serializer.validated_data["user"],
            name=TOKEN_NAME_FOR_PASSWORD_EXCHANGE,
            prune=True,
        )
        return Response({"token": token.key})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, *args, **kwargs) -> Response:
        if not isinstance(request.auth, ApiToken):
            raise ValidationError(
                {"detail": "This request is not signed with a token (Authorization: Token …)."}
            )
        api_token_revoke(token_id=request.auth.pk, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ApiTokenListApi(ListAPIView):
    """The caller's API tokens (never their keys); POST `{"name"}` makes one, whose key
    is in that answer only."""

    serializer_class = ApiTokenSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ApiToken.objects.none()
        return api_token_list(user=self.request.user)

    @extend_schema(
        request=ApiTokenCreateInputSerializer, responses={201: ApiTokenCreatedSerializer}
    )
    def post(self, request: Request, *args, **kwargs) -> Response:
        data = ApiTokenCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token = api_token_create(user=request.user, name=data.validated_data["name"])
        return Response(ApiTokenCreatedSerializer(token).data, status=status.HTTP_201_CREATED)


class ApiTokenDetailApi(APIView):
    """DELETE revokes one of the caller's tokens; another user's is a 404."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, pk: int, *args, **kwargs) -> Response:
        api_token_revoke(token_id=pk, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeExportApi(APIView):
    """Export my data: POST starts a new export (a zip built by a Celery task, 202);
    GET shows the latest, with a signed, expiring `download_url` once ready."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: DataExportSerializer})
    def get(self, request: Request, *args, **kwargs) -> Response:
        export = data_export_latest(user=request.user)
        if export is None:
            raise NotFound("No export yet: POST to start one.")
        return Response(DataExportSerializer(export, context={"request": request}).data)

    @extend_schema(request=None, responses={202: DataExportSerializer})
    def post(self, request: Request, *args, **kwargs) -> Response:
        export = user_export_create(user=request.user)
        data = DataExportSerializer(export, context={"request": request}).data
        return Response(data, status=status.HTTP_202_ACCEPTED)


class MeDeletionApi(APIView):
    """Delete my account, confirmed with the password (202): the account stops working
    at once and a Celery task deletes everything of it."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=AccountDeleteInputSerializer, responses={202: None})
    def post(self, request: Request, *args, **kwargs) -> Response:
        data = AccountDeleteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user_delete_request(user=request.user, password=data.validated_data["password"])
        return Response(status=status.HTTP_202_ACCEPTED)
