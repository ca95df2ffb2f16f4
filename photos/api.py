from collections.abc import Callable
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from accounts.selectors import user_get_by_username
from photos import albums as album_services
from photos import direct_uploads, selectors, services
from photos.filters import PhotoFilterSet
from photos.models import Album, Photo
from photos.pagination import PhotoPagination, PhotoStreamPagination
from photos.serializers import (
    AlbumDetailSerializer,
    AlbumInputSerializer,
    AlbumOrderInputSerializer,
    AlbumPhotoAddInputSerializer,
    AlbumSerializer,
    PhotoDuplicateSerializer,
    PhotoSerializer,
    PhotoUploadConfirmInputSerializer,
    PhotoUploadIntentInputSerializer,
    PhotoUploadIntentSerializer,
    PhotoUploadSerializer,
    page_url,
)
from project import apicache
from project.exceptions import Conflict
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
    """The caller's own photos. Upload with multipart `photo` (+ optional `comment` and
    `alt_text`): the request checks the headers and stores the original; the worker makes
    the served sizes, so a new photo is `processing` until its files are there (`ready`)
    or it turns out unusable (`failed`, with `error`). Another user's photo is a 404."""

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
        request={"multipart/form-data": PhotoUploadSerializer},
        responses={
            201: PhotoSerializer,
            409: OpenApiResponse(
                PhotoDuplicateSerializer, description="You already uploaded these bytes."
            ),
        },
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
        return upload_response(
            request,
            lambda: services.photo_upload(
                user=request.user,
                file=upload.validated_data["photo"],
                comment=upload.validated_data["comment"],
                alt_text=upload.validated_data["alt_text"],
            ),
            field="photo",
            context=self.get_serializer_context(),
        )

    def perform_destroy(self, instance):
        services.photo_delete(photo=instance, by=self.request.user)

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        description="The original file as uploaded, metadata included: its owner only.",
    )
    @action(detail=True, url_path="original", url_name="original")
    def original(self, request, *args, **kwargs):
        return original_response(self.get_object())


def upload_response(request, upload: Callable[[], Photo], *, field: str, context: dict) -> Response:
    """201 with the new photo, 409 with the one already uploaded, or 400 under `field`."""
    try:
        photo = upload()
    except services.DuplicatePhoto as duplicate:
        existing = duplicate.existing
        url = reverse("api:photo-detail", kwargs={"pk": existing.pk}, request=request)
        raise Conflict(
            {"detail": duplicate.messages[0], "url": url, "page": page_url(existing, request)}
        ) from None
    except ValidationError as error:
        raise ApiValidationError({field: error.messages}) from None
    photo.refresh_from_db()  # it may be processed already (eager Celery)
    data = PhotoSerializer(photo, context=context).data
    # str(): the field gives a Hyperlink, which WSGI servers may refuse as a header value.
    return Response(data, status=status.HTTP_201_CREATED, headers={"Location": str(data["url"])})


class PhotoUploadIntentApi(APIView):
    """Start a direct-to-S3 upload (only when photos are stored on S3): a presigned POST
    for one file, valid for `PHOTOS_DIRECT_UPLOAD_EXPIRY_SECONDS`. Send `fields` and then
    the file as `file` to `url`, then confirm with the `key`. Without S3: a 404 saying
    to upload the file itself (`POST /api/v1/photos/`)."""

    permission_classes = [permissions.IsAuthenticated]
    throttle_scope = "photo-upload"
    throttle_classes = [*APIView.throttle_classes, ScopedRateThrottle]

    @extend_schema(
        request=PhotoUploadIntentInputSerializer,
        responses={201: PhotoUploadIntentSerializer},
    )
    def post(self, request, *args, **kwargs):
        data = PhotoUploadIntentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        intent = direct_uploads.photo_upload_intent_create(
            user=request.user, size=data.validated_data.get("size")
        )
        body = {
            "key": intent.key,
            "url": intent.url,
            "fields": intent.fields,
            "max_bytes": intent.max_bytes,
            "expires_at": intent.expires_at,
            "confirm": reverse("api:photo-upload-confirm", request=request),
        }
        return Response(PhotoUploadIntentSerializer(body).data, status=status.HTTP_201_CREATED)


class PhotoUploadConfirmApi(APIView):
    """Finish a direct-to-S3 upload: the object is checked as any upload is (size, quota,
    real image type, duplicate) and processed by the worker. The staging object is
    deleted whatever the outcome; a key that is not one of yours is a 404."""

    permission_classes = [permissions.IsAuthenticated]
    throttle_scope = "photo-upload"
    throttle_classes = [*APIView.throttle_classes, ScopedRateThrottle]

    @extend_schema(
        request=PhotoUploadConfirmInputSerializer,
        responses={
            201: PhotoSerializer,
            409: OpenApiResponse(
                PhotoDuplicateSerializer, description="You already uploaded these bytes."
            ),
        },
    )
    def post(self, request, *args, **kwargs):
        data = PhotoUploadConfirmInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return upload_response(
            request,
            lambda: direct_uploads.photo_upload_confirm(user=request.user, **data.validated_data),
            field="key",
            context={"request": request, "format": None, "view": self},
        )


def original_response(photo: Photo) -> FileResponse:
    """The owner's download of the original (photos from before originals were kept:
    their cleaned full-size file)."""
    field = photo.original or photo.image
    if not field:
        raise Http404("This photo has no stored file.")
    extension = field.name.rsplit(".", 1)[-1]
    return FileResponse(  # a download, typed as the schema documents it
        field.open("rb"),
        as_attachment=True,
        filename=f"photo-{photo.pk}.{extension}",
        content_type="application/octet-stream",
    )


class PhotoStreamApi(ListAPIView):
    """Everyone's processed photos, newest first."""

    serializer_class = PhotoSerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = PhotoStreamPagination
    filter_backends: list = []

    def get_queryset(self):
        return selectors.photo_list_public()


class PhotoFollowingStreamApi(PhotoStreamApi):
    """Processed photos of the people the caller follows, newest first."""

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Photo.objects.none()
        return selectors.photo_list_following(self.request.user)


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
        return selectors.photo_list_public(user=self.owner)

    @cached_property
    def owner(self):
        return user_get_by_username(self.kwargs["username"])

    def list(self, request, *args, **kwargs):
        return cached_list(request, owner=self.owner, compute=super().list)


class AlbumViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Albums: the list is the caller's own; any signed-in user may read an album (its
    processed photos, in order); only the owner changes it. At most
    `PHOTOS_ALBUM_MAX_PHOTOS` photos, each in one album at most."""

    serializer_class = AlbumSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list = []
    http_method_names = ["get", "post", "patch", "put", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Album.objects.none()
        return selectors.album_list_for_user(self.request.user)

    def get_object(self):
        album = selectors.album_get(self.kwargs["pk"])
        self.check_object_permissions(self.request, album)
        return album

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return AlbumInputSerializer
        if self.action == "retrieve":
            return AlbumDetailSerializer
        return AlbumSerializer

    def detail_response(self, album: Album, code: int = status.HTTP_200_OK) -> Response:
        context = {
            **self.get_serializer_context(),
            "album_photos": selectors.album_photos(album, self.request.user),
        }
        return Response(AlbumDetailSerializer(album, context=context).data, status=code)

    def retrieve(self, request, *args, **kwargs):
        return self.detail_response(self.get_object())

    @extend_schema(request=AlbumInputSerializer, responses={201: AlbumDetailSerializer})
    def create(self, request, *args, **kwargs):
        data = AlbumInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        album = album_services.album_create(user=request.user, **data.validated_data)
        response = self.detail_response(album, status.HTTP_201_CREATED)
        response["Location"] = str(response.data["url"])
        return response

    @extend_schema(request=AlbumInputSerializer, responses={200: AlbumDetailSerializer})
    def partial_update(self, request, *args, **kwargs):
        album = self.get_object()
        data = AlbumInputSerializer(album, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        album_services.album_update(album=album, by=request.user, **data.validated_data)
        return self.detail_response(album)

    def perform_destroy(self, instance):
        album_services.album_delete(album=instance, by=self.request.user)

    def _own_photo(self, pk: int) -> Photo:
        return selectors.photo_get_owned(pk, self.request.user)

    @extend_schema(request=AlbumPhotoAddInputSerializer, responses={200: AlbumDetailSerializer})
    @action(detail=True, methods=["post"], url_path="photos", url_name="photos")
    def add_photo(self, request, *args, **kwargs):
        """Append one of your photos (moved from its other album, if any)."""
        album = self.get_object()
        data = AlbumPhotoAddInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        photo = self._own_photo(data.validated_data["photo"])
        album_services.album_add_photo(album=album, photo=photo, by=request.user)
        return self.detail_response(album)

    @extend_schema(request=None, responses={204: None})
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"photos/(?P<photo_id>[0-9]{1,18})",
        url_name="photo",
    )
    def remove_photo(self, request, *args, photo_id: str, **kwargs):
        """Take a photo out of the album (the photo itself stays)."""
        album = self.get_object()
        photo = self._own_photo(int(photo_id))
        album_services.album_remove_photo(album=album, photo=photo, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=AlbumOrderInputSerializer, responses={200: AlbumDetailSerializer})
    @action(detail=True, methods=["put"], url_path="order", url_name="order")
    def reorder(self, request, *args, **kwargs):
        """Put the album's photos in a new order."""
        album = self.get_object()
        data = AlbumOrderInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        album_services.album_reorder(
            album=album, photo_ids=data.validated_data["photos"], by=request.user
        )
        return self.detail_response(album)
