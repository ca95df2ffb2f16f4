from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from project.serializers import StrictFieldsMixin
from snaps.languages import language_alias
from snaps.models import Snap, SnapFile, SnapRevision
from snaps.selectors import snap_parent_shown_to
from snaps.validators import normalize_extension


def _language(value: str) -> str:
    if not value.strip():
        return ""
    alias = language_alias(value)
    if alias is None:
        raise serializers.ValidationError("Unknown language.", code="unknown_language")
    return alias


class SnapFileSerializer(StrictFieldsMixin, serializers.Serializer):
    """One file, as Gist's API has them: a file name, a language and the text."""

    filename = serializers.CharField(
        max_length=128,
        help_text="With its extension (`hello.py`); it decides the language when none is given.",
    )
    language = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text="A Pygments lexer name or alias (`python`, `Rust`); guessed when empty.",
    )
    content = serializers.CharField(trim_whitespace=False)
    extension = serializers.CharField(read_only=True)
    raw_url = serializers.SerializerMethodField()

    def to_internal_value(self, data):
        # A nested file has no `initial_data` of its own for JsonTypesMixin: check here.
        if isinstance(data, dict):
            wrong = {
                name: ["Must be a string."]
                for name in ("filename", "language", "content")
                if name in data and not isinstance(data[name], str)
            }
            if wrong:
                raise serializers.ValidationError(wrong, code="invalid_type")
        return super().to_internal_value(data)

    def validate_language(self, value: str) -> str:
        return _language(value)

    def get_raw_url(self, file: SnapFile) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(file.get_raw_url()) if request else file.get_raw_url()


def file_states(files: list[dict]) -> list[dict]:
    """The API's files as the services take them (the name holds the extension)."""
    return [
        {"name": file["filename"], "language": file.get("language", ""), "content": file["content"]}
        for file in files
    ]


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
    # Read from `file_list`: a one-time snap's only view answers after its row is gone.
    files = SnapFileSerializer(
        many=True,
        required=False,
        source="file_list",
        help_text="The snap's files, 1 to SNAPS_MAX_FILES (10), in order. Instead of them, "
        "`name`, `extension`, `language` and `content` give a snap of one file (and change "
        "the first file of an existing one); in answers they are the first file's.",
    )
    tags = serializers.ListField(
        child=serializers.CharField(max_length=50),
        required=False,
        max_length=10,
        source="tag_names",
        help_text="Tag names; on a change, the new tags replace the old ones.",
    )
    # The first file's, for clients of snaps with one file. Raw input like ".PY" is
    # normalised in validate_extension, then checked by the model. Extension and
    # language are optional: snap_create guesses what is missing (snaps.languages).
    name = serializers.CharField(max_length=128, required=False)
    extension = serializers.CharField(max_length=64, required=False, allow_blank=True)
    language = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text="A Pygments lexer name or alias (`python`, `Rust`); guessed when empty.",
    )
    content = serializers.CharField(required=False, trim_whitespace=False)
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
            "files",
            "tags",
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

    def to_representation(self, snap: Snap) -> dict:
        data = super().to_representation(snap)
        first = snap.first_file
        for field in ("name", "extension", "language", "content"):
            data[field] = getattr(first, field) if first else ""
        return data

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
        return _language(value)

    def validate_files(self, files: list[dict]) -> list[dict]:
        return file_states(files)

    def validate_tags(self, tags: list[str]) -> list[str]:
        raw = getattr(self, "initial_data", {}).get("tags")
        if isinstance(raw, list) and not all(isinstance(tag, str) for tag in raw):
            raise serializers.ValidationError("Tags are strings.", code="invalid_type")
        return tags

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        if "file_list" in attrs:
            attrs["files"] = attrs.pop("file_list")
        if "tag_names" in attrs:
            attrs["tags"] = attrs.pop("tag_names")
        single = [field for field in ("name", "extension", "language", "content") if field in attrs]
        if "files" in attrs and single:
            raise serializers.ValidationError(
                {"files": [f"Give either files or {', '.join(single)}, not both."]}
            )
        if "files" not in attrs and not self.partial:
            missing = {
                field: [serializers.Field.default_error_messages["required"]]
                for field in ("name", "content")
                if field not in attrs
            }
            if missing:
                raise serializers.ValidationError(missing, code="required")
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


class RevisionFileSerializer(serializers.Serializer):
    """One file of a revision, as it was then."""

    filename = serializers.CharField(read_only=True)
    language = serializers.CharField(read_only=True)
    extension = serializers.CharField(read_only=True)
    content = serializers.CharField(read_only=True)
    raw_url = serializers.URLField(read_only=True)


class SnapRevisionSerializer(serializers.ModelSerializer):
    """One revision of a snap; the newest is its current state."""

    url = serializers.SerializerMethodField()
    raw_url = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()
    name = serializers.SerializerMethodField(help_text="The first file's.")
    extension = serializers.SerializerMethodField(help_text="The first file's.")
    language = serializers.SerializerMethodField(help_text="The first file's.")
    content = serializers.SerializerMethodField(help_text="The first file's.")

    class Meta:
        model = SnapRevision
        fields = ("number", "url", "raw_url", "name", "extension", "language", "content",
                  "files", "created_on")  # fmt: skip
        read_only_fields = fields

    def _first(self, revision: SnapRevision) -> dict:
        return (revision.files or [{}])[0]

    def get_name(self, revision: SnapRevision) -> str:
        return self._first(revision).get("name", "")

    def get_extension(self, revision: SnapRevision) -> str:
        return self._first(revision).get("extension", "")

    def get_language(self, revision: SnapRevision) -> str:
        return self._first(revision).get("language", "")

    def get_content(self, revision: SnapRevision) -> str:
        return self._first(revision).get("content", "")

    @extend_schema_field(RevisionFileSerializer(many=True))
    def get_files(self, revision: SnapRevision) -> list[dict]:
        return [
            {
                "filename": file.filename,
                "language": file.language,
                "extension": file.extension,
                "content": file.content,
                "raw_url": self._absolute(
                    reverse(
                        "snaps:revision-file-raw",
                        kwargs={
                            "hash_key": revision.snap.hash_key,
                            "number": revision.number,
                            "filename": file.filename,
                        },
                    )
                ),
            }
            for file in revision.file_list
        ]

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_url(self, revision: SnapRevision) -> str:
        return self._absolute(revision.get_absolute_url())

    def get_raw_url(self, revision: SnapRevision) -> str:
        return self._absolute(revision.get_raw_url())


class SnapForkInputSerializer(StrictFieldsMixin, serializers.Serializer):
    """What a fork may change; all optional (none: an exact copy)."""

    files = SnapFileSerializer(
        many=True, required=False, help_text="The reply's files instead of the original's."
    )
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

    def validate_files(self, files: list[dict]) -> list[dict]:
        return file_states(files)
