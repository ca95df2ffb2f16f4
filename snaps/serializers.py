from django.utils import timezone
from rest_framework import serializers

from project.serializers import JsonTypesMixin
from snaps.models import Snap
from snaps.validators import normalize_extension


class SnapSerializer(JsonTypesMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:snap-detail", lookup_field="hash_key")
    raw_url = serializers.SerializerMethodField()
    share_url = serializers.SerializerMethodField()
    user = serializers.ReadOnlyField(source="user.username")
    # Raw input like ".PY" is normalised in validate_extension, then checked by the model.
    extension = serializers.CharField(max_length=64)

    class Meta:
        model = Snap
        fields = (
            "hash_key",
            "url",
            "share_url",
            "raw_url",
            "name",
            "extension",
            "content",
            "visibility",
            "expires_at",
            "created_on",
            "user",
        )
        read_only_fields = ("hash_key", "created_on")
        extra_kwargs = {"content": {"trim_whitespace": False}}

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_raw_url(self, snap: Snap) -> str:
        return self._absolute(snap.get_raw_url())

    def get_share_url(self, snap: Snap) -> str:
        return self._absolute(snap.get_absolute_url())

    def validate_extension(self, value: str) -> str:
        return normalize_extension(value)

    def validate_expires_at(self, value):
        if value is not None and value <= timezone.now():
            raise serializers.ValidationError("The expiry time must be in the future.")
        return value
