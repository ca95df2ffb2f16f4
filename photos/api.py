from collections.abc import Callable
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import ListAPIView
from rest_framework.response import Response

from accounts.selectors import user_get_by_username
from photos import selectors, services
from photos.filters import PhotoFilterSet
from photos.models import Photo
from photos.pagination import PhotoPagination
from photos.serializers import PhotoSerializer, PhotoUploadSerializer
from project import apicache
from project.filters import DjangoFilterBackend
from project.imaging import check_upload_size
from project.parsers import MultiPartParser
from project.throttling import ScopedRateThrottle

# Room for the multipart boundaries and the comment around the file itself.
MULTIPART_OVERHEAD = 64 * 1024


def cached_list(request, *, owner, compute: Callable[..., Response]) -> HttpResponse | Response:
    """One page of `owner`'s photos; the same for every viewer, so cached per owner."""
    return apicache.cached_response(
        request, services.LIST_CACHE_SCOPE, owner.pk, lambda: compute(request).data
    )


class PhotoViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's own photos. Upload with multipart `photo` (+ optional `comment`).
    Another user's photo is a 404, never a 403."""

    serializer_class = PhotoSerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = PhotoPagination
    parser_classes = [MultiPartParser]  # the one multipart operation of the API
    filter_backends = [DjangoFilterBackend]  # ?search=, best match first
    filterset_class = PhotoFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation, no real caller
            return Photo.objects.none()
        return selectors.photo_list_for_user(self.request.user)

    def list(self, request, *args, **kwargs):
        return cached_list(request, owner=request.user, compute=super().list)

    def get_throttles(self):
        if self.action == "create":
            self.throttle_scope = "photo-upload"
            return [*super().get_throttles(), ScopedRateThrottle()]
        return super().get_throttles()

    @extend_schema(
        request={"multipart/form-data": PhotoUploadSerializer}, responses={201: PhotoSerializer}
    )
    def create(self, request, *args, **kwargs):
        # Refuse an oversized body before reading it.
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
        if declared > settings.PHOTOS_MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD:
            try:
                check_upload_size(declared)
            except ValidationError as error:
                raise ApiValidationError({"photo": error.messages}) from None
        upload = PhotoUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        try:
            photo = services.photo_upload(
                user=request.user,
                file=upload.validated_data["photo"],
                comment=upload.validated_data["comment"],
            )
        except ValidationError as error:
            raise ApiValidationError({"photo": error.messages}) from None
        photo.refresh_from_db()  # the thumbnail may already be there (eager Celery)
        data = PhotoSerializer(photo, context=self.get_serializer_context()).data
        # str(): the field gives a Hyperlink, which WSGI servers may refuse as a header value.
        location = str(data["url"])
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": location})

    def perform_destroy(self, instance):
        services.photo_delete(photo=instance, by=self.request.user)


class UserPhotoListApi(ListAPIView):
    """Any user's photo stream, newest first (signed-in callers)."""

    serializer_class = PhotoSerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = PhotoPagination
    filter_backends = [DjangoFilterBackend]  # ?search=, best match first
    filterset_class = PhotoFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Photo.objects.none()
        return selectors.photo_list_for_user(self.owner)

    @cached_property
    def owner(self):
        return user_get_by_username(self.kwargs["username"])

    def list(self, request, *args, **kwargs):
        return cached_list(request, owner=self.owner, compute=super().list)
