from django.utils import timezone
from rest_framework import serializers

from project.serializers import StrictFieldsMixin
from snaps.languages import language_alias
from snaps.models import Snap, SnapRevision
from snaps.selectors import snap_parent_shown_to
from snaps.validators import normalize_extension


class SnapSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:snap-detail", lookup_field="hash_key")
    raw_url = serializers.SerializerMethodField()
    share_url = serializers.SerializerMethodField()
    user = serializers.SerializerMethodField(help_text="The author's username; null if anonymous.")
    parent = serializers.SerializerMethodField(
        help_text="The hash_key of the snap this one forks or replies to, when you may see it."
    )
    fork_count = serializers.SerializerMethodField(help_text="Listed forks and replies.")
    edit_token = serializers.SerializerMethodField(
        help_text="Only in the answer creating an anonymous snap, and only then: the secret "
        "to send as X-Snap-Token to change or delete it."
    )
    # Raw input like ".PY" is normalised in validate_extension, then checked by the model.
    # Both are optional: snap_create guesses what is missing (snaps.languages).
    extension = serializers.CharField(max_length=64, required=False, allow_blank=True)
    language = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text="A Pygments lexer name or alias (`python`, `Rust`); guessed when empty.",
    )
    expires_in = serializers.ChoiceField(
        choices=Snap.Expiry.choices,
        write_only=True,
        required=False,
        help_text="Instead of `expires_at`: a lifetime, or `onetime` (burn after reading).",
    )

    class Meta:
        model = Snap
        fields = (
            "hash_key",
            "url",
            "share_url",
            "raw_url",
            "name",
            "extension",
            "language",
            "content",
            "visibility",
            "expires_at",
            "expires_in",
            "burn_after_reading",
            "revision",
            "revised_on",
            "parent",
            "fork_count",
            "edit_token",
            "created_on",
            "user",
        )
        read_only_fields = (
            "hash_key",
            "created_on",
            "burn_after_reading",
            "revision",
            "revised_on",
        )
        extra_kwargs = {"content": {"trim_whitespace": False}}

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_raw_url(self, snap: Snap) -> str:
        return self._absolute(snap.get_raw_url())

    def get_user(self, snap: Snap) -> str | None:
        return snap.user.get_username() if snap.user_id else None

    def get_parent(self, snap: Snap) -> str | None:
        request = self.context.get("request")
        parent = snap_parent_shown_to(snap, request.user if request else None)
        return parent.hash_key if parent else None

    def get_edit_token(self, snap: Snap) -> str | None:
        return getattr(snap, "edit_token", None)

    def get_fork_count(self, snap: Snap) -> int:
        return getattr(snap, "fork_count", 0)

    def get_share_url(self, snap: Snap) -> str:
        return self._absolute(snap.get_absolute_url())

    def validate_extension(self, value: str) -> str:
        return normalize_extension(value) if value.strip() else ""

    def validate_language(self, value: str) -> str:
        if not value.strip():
            return ""
        alias = language_alias(value)
        if alias is None:
            raise serializers.ValidationError("Unknown language.", code="unknown_language")
        return alias

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        if "expires_in" in attrs and "expires_at" in attrs:
            raise serializers.ValidationError(
                {"expires_in": ["Give either expires_in or expires_at, not both."]}
            )
        if "expires_in" in attrs and self.instance is not None:
            raise serializers.ValidationError(
                {"expires_in": ["Only a new snap takes expires_in; change expires_at."]}
            )
        return attrs

    def validate_expires_at(self, value):
        if value is not None and value <= timezone.now():
            raise serializers.ValidationError("The expiry time must be in the future.")
        return value


class SnapRevisionSerializer(serializers.ModelSerializer):
    """One revision of a snap; the newest is its current state."""

    url = serializers.SerializerMethodField()
    raw_url = serializers.SerializerMethodField()

    class Meta:
        model = SnapRevision
        fields = ("number", "url", "raw_url", "name", "extension", "language", "content",
                  "created_on")  # fmt: skip
        read_only_fields = fields

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_url(self, revision: SnapRevision) -> str:
        return self._absolute(revision.get_absolute_url())

    def get_raw_url(self, revision: SnapRevision) -> str:
        return self._absolute(revision.get_raw_url())


class SnapForkInputSerializer(StrictFieldsMixin, serializers.Serializer):
    """What a fork may change; all optional (none: an exact copy)."""

    name = serializers.CharField(max_length=128, required=False)
    content = serializers.CharField(required=False, trim_whitespace=False)
    language = serializers.CharField(max_length=64, required=False)
    visibility = serializers.ChoiceField(choices=Snap.Visibility.choices, required=False)
    expires_in = serializers.ChoiceField(choices=Snap.Expiry.choices, required=False)

    def validate_language(self, value: str) -> str:
        alias = language_alias(value)
        if alias is None:
            raise serializers.ValidationError("Unknown language.", code="unknown_language")
        return alias
