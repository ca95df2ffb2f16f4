from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from photos.models import Album, Photo
from project.serializers import StrictFieldsMixin


# The caption and alt text an upload (direct or to S3) comes with. (A comment, not a
# docstring: the schema would show it as every subclass's description.)
class PhotoWordsInput(StrictFieldsMixin, serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    alt_text = serializers.CharField(
        required=False, allow_blank=True, default="",
        help_text="Describes the photo for people who cannot see it (screen readers).",
    )  # fmt: skip

    def get_fields(self):
        fields = super().get_fields()
        fields["comment"].max_length = settings.PHOTOS_MAX_COMMENT_LENGTH
        fields["alt_text"].max_length = settings.PHOTOS_MAX_ALT_TEXT_LENGTH
        return fields


class PhotoUploadSerializer(PhotoWordsInput):
    # Content is checked with Pillow by the service; this only insists on a file part.
    photo = serializers.FileField(allow_empty_file=True, use_url=False)


class PhotoUploadIntentInputSerializer(StrictFieldsMixin, serializers.Serializer):
    size = serializers.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1,
        help_text="Bytes of the file to send: checked against the upload limit and your "
        "quota at once (S3 refuses a file past `max_bytes` anyway).",
    )  # fmt: skip


class PhotoUploadIntentSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The object's key: pass it to the confirm call")
    url = serializers.URLField(help_text="POST a multipart form here: `fields`, then `file`")
    fields = serializers.DictField(
        child=serializers.CharField(), help_text="Form fields to send as they are"
    )
    max_bytes = serializers.IntegerField(help_text="Largest file the bucket accepts")
    expires_at = serializers.DateTimeField(help_text="The POST is refused after this")
    confirm = serializers.URLField(help_text="Where to confirm the upload")


class PhotoUploadConfirmInputSerializer(PhotoWordsInput):
    key = serializers.CharField(max_length=300, help_text="The key of your upload intent")


def page_url(photo: Photo, request) -> str:
    path = photo.get_absolute_url()
    return request.build_absolute_uri(path) if request is not None else path


class PhotoExifSerializer(serializers.Serializer):
    """The allow-listed camera facts; a key is absent when the photo did not say."""

    make = serializers.CharField(required=False)
    model = serializers.CharField(required=False)
    lens = serializers.CharField(required=False)
    exposure_time = serializers.FloatField(required=False, help_text="Seconds")
    f_number = serializers.FloatField(required=False)
    iso = serializers.FloatField(required=False)
    focal_length = serializers.FloatField(required=False, help_text="Millimetres")
    date_taken = serializers.CharField(required=False, help_text="EXIF's YYYY:MM:DD HH:MM:SS")


class PhotoSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:photo-detail")
    page = serializers.SerializerMethodField(help_text="The photo's web page")
    original = serializers.SerializerMethodField(
        help_text="Download of the original as uploaded (its owner only; null until stored)"
    )
    owner = serializers.ReadOnlyField(source="user.username")
    image = serializers.FileField(
        read_only=True, help_text="Display size, JPEG (PNG if transparent)"
    )
    image_webp = serializers.FileField(read_only=True, help_text="Display size, WebP")
    thumbnail = serializers.FileField(read_only=True, help_text="640 px square, JPEG or PNG")
    thumbnail_webp = serializers.FileField(read_only=True, help_text="640 px square, WebP")
    exif = serializers.SerializerMethodField()

    class Meta:
        model = Photo
        fields = (
            "id", "url", "page", "status", "error", "owner", "comment", "alt_text", "blurhash",
            "image", "image_webp", "display_width", "display_height",
            "thumbnail", "thumbnail_webp", "thumbnail_side",
            "original", "width", "height", "size", "sha256", "exif", "album", "created_on",
        )  # fmt: skip
        read_only_fields = fields

    def get_page(self, photo: Photo) -> str:
        return page_url(photo, self.context.get("request"))

    def get_original(self, photo: Photo) -> str | None:
        if not (photo.original or photo.image):
            return None
        return reverse(
            "api:photo-original",
            kwargs={"pk": photo.pk},
            request=self.context.get("request"),
        )

    @extend_schema_field(PhotoExifSerializer)
    def get_exif(self, photo: Photo) -> dict:
        return photo.exif


class PhotoDuplicateSerializer(serializers.Serializer):
    detail = serializers.CharField()
    url = serializers.URLField(help_text="The photo already uploaded")
    page = serializers.URLField()


class AlbumSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:album-detail")
    page = serializers.SerializerMethodField(help_text="The album's web page")
    owner = serializers.ReadOnlyField(source="user.username")
    photo_count = serializers.SerializerMethodField()

    class Meta:
        model = Album
        fields = ("id", "url", "page", "owner", "title", "description", "photo_count", "created_on")
        read_only_fields = ("id", "url", "page", "owner", "photo_count", "created_on")

    def get_page(self, album: Album) -> str:
        path = album.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def get_photo_count(self, album: Album) -> int:
        count = getattr(album, "photo_count", None)
        return count if count is not None else album.photos.count()


class AlbumInputSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    description = serializers.CharField(max_length=2000, allow_blank=True, required=False)

    class Meta:
        model = Album
        fields = ("title", "description")


class AlbumDetailSerializer(AlbumSerializer):
    photos = serializers.SerializerMethodField(help_text="In album order")

    class Meta(AlbumSerializer.Meta):
        fields = (*AlbumSerializer.Meta.fields, "photos")
        read_only_fields = (*AlbumSerializer.Meta.read_only_fields, "photos")

    @extend_schema_field(PhotoSerializer(many=True))
    def get_photos(self, album: Album) -> list:
        return PhotoSerializer(self.context["album_photos"], many=True, context=self.context).data


class AlbumPhotoAddInputSerializer(StrictFieldsMixin, serializers.Serializer):
    photo = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="Your photo's id")


class AlbumOrderInputSerializer(StrictFieldsMixin, serializers.Serializer):
    photos = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        max_length=100,
        help_text="Every photo id of the album once, in the new order",
    )
