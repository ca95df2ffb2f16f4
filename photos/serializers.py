from django.conf import settings
from rest_framework import serializers

from photos.models import Photo
from project.serializers import StrictFieldsMixin


class PhotoUploadSerializer(StrictFieldsMixin, serializers.Serializer):
    # Content is checked with Pillow by the service; this only insists on a file part.
    photo = serializers.FileField(allow_empty_file=True, use_url=False)
    comment = serializers.CharField(required=False, allow_blank=True, default="")

    def get_fields(self):
        fields = super().get_fields()
        fields["comment"].max_length = settings.PHOTOS_MAX_COMMENT_LENGTH
        return fields


class PhotoSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:photo-detail")
    owner = serializers.ReadOnlyField(source="user.username")
    image = serializers.ImageField(read_only=True)
    thumbnail = serializers.ImageField(read_only=True)

    class Meta:
        model = Photo
        fields = (
            "id", "url", "image", "thumbnail", "width", "height", "size", "sha256",
            "comment", "created_on", "owner",
        )  # fmt: skip
        read_only_fields = fields
