from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer

from accounts.models import ApiToken, DataExport, User
from accounts.services import user_check_email_verified, user_check_second_factor
from project.serializers import StrictFieldsMixin


class UserMeSerializer(serializers.ModelSerializer):
    avatar = serializers.ImageField(read_only=True, allow_null=True)
    # A string, not `format: uri`: empty when none is set.
    website = serializers.CharField(read_only=True, help_text="An http(s) URL, or empty.")

    class Meta:
        model = User
        fields = (
            "id", "username", "email", "date_joined", "email_on_follow",
            "email_on_mention", "email_on_reply", "email_on_like", "unread_notifications",
            "display_name", "bio", "website", "avatar",
        )  # fmt: skip
        read_only_fields = fields


class UserProfileSerializer(serializers.ModelSerializer):
    """What everyone may see of a member, as every app's pages show it."""

    avatar = serializers.ImageField(read_only=True, allow_null=True)
    website = serializers.CharField(read_only=True, help_text="An http(s) URL, or empty.")
    shown_name = serializers.CharField(
        read_only=True, help_text="The display name, else the username: what the site shows."
    )
    profile_url = serializers.SerializerMethodField(help_text="The profile page on the web.")

    class Meta:
        model = User
        fields = (
            "username", "display_name", "shown_name", "bio", "website", "avatar",
            "date_joined", "profile_url",
        )  # fmt: skip
        read_only_fields = fields

    def get_profile_url(self, user: User) -> str:
        return self.context["request"].build_absolute_uri(reverse("profile", args=[user.username]))


class UserMeUpdateInputSerializer(StrictFieldsMixin, serializers.Serializer):
    email_on_follow = serializers.BooleanField(
        help_text="E-mail me when someone follows me (at most once per follower and day)."
    )
    email_on_mention = serializers.BooleanField(
        help_text="E-mail me when someone mentions me (at most once per person and hour)."
    )
    email_on_reply = serializers.BooleanField(
        help_text="E-mail me when someone replies to my post (at most once per person and hour)."
    )
    email_on_like = serializers.BooleanField(
        help_text="E-mail me when someone likes my post (at most once per person and hour)."
    )
    display_name = serializers.CharField(
        max_length=50, allow_blank=True, help_text="Shown instead of the username."
    )
    bio = serializers.CharField(max_length=500, allow_blank=True)
    website = serializers.CharField(
        max_length=200, allow_blank=True, help_text="An absolute http(s) URL, or empty."
    )


class AvatarUploadSerializer(StrictFieldsMixin, serializers.Serializer):
    # Content is checked with Pillow by the service; this only insists on a file part.
    avatar = serializers.FileField(allow_empty_file=True, use_url=False)


class UserCreateInputSerializer(StrictFieldsMixin, serializers.Serializer):
    username = serializers.CharField(max_length=150, validators=[UnicodeUsernameValidator()])
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(write_only=True, trim_whitespace=False, max_length=4096)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        candidate = User(username=attrs["username"], email=attrs["email"])
        try:
            validate_password(attrs["password"], user=candidate)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"password": error.messages}) from None
        return attrs


# DRF's component name, which clients generated from the schema already know.
@extend_schema_serializer(component_name="AuthToken")
class TokenObtainInputSerializer(StrictFieldsMixin, AuthTokenSerializer):
    """DRF's username + password check, refusing unknown keys like every input here;
    accounts with two-factor authentication also send `otp_code`."""

    otp_code = serializers.CharField(
        write_only=True,
        required=False,
        max_length=64,
        help_text="Only for accounts with two-factor authentication: the current code "
        "of the authenticator app, or an unused recovery code.",
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        try:
            user_check_email_verified(attrs["user"])
            user_check_second_factor(user=attrs["user"], code=attrs.get("otp_code"))
        except DjangoValidationError as error:
            detail = error.message_dict if hasattr(error, "error_dict") else error.messages
            raise serializers.ValidationError(detail) from None
        return attrs


class ApiTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ("id", "name", "prefix", "created_at", "last_used_at")
        read_only_fields = fields


class ApiTokenCreateInputSerializer(StrictFieldsMixin, serializers.Serializer):
    name = serializers.CharField(max_length=100, help_text="What the token is for.")


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    key = serializers.CharField(
        read_only=True, help_text="The token itself: shown this once, never stored."
    )

    class Meta(ApiTokenSerializer.Meta):
        fields = (*ApiTokenSerializer.Meta.fields, "key")
        read_only_fields = fields


class DataExportSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField(
        help_text="Signed and expiring (ACCOUNT_EXPORT_LINK_SECONDS); null until ready "
        "and once expired."
    )
    expires_at = serializers.DateTimeField(
        read_only=True,
        help_text="When the link stops working and the export (zip and record) is deleted.",
    )

    class Meta:
        model = DataExport
        fields = (
            "id",
            "status",
            "created_at",
            "finished_at",
            "expires_at",
            "size",
            "download_url",
        )
        read_only_fields = fields

    def get_download_url(self, export: DataExport) -> str | None:
        if export.status != DataExport.Status.READY or export.is_expired:
            return None
        from accounts.services import user_export_signed_url

        return self.context["request"].build_absolute_uri(user_export_signed_url(export))


class AccountDeleteInputSerializer(StrictFieldsMixin, serializers.Serializer):
    password = serializers.CharField(trim_whitespace=False, max_length=4096)
