from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from project.serializers import StrictFieldsMixin
from social.models import POST_MAX_PHOTOS, Notification, Post, PostEdit
from social.text import render_post


class UserSummarySerializer(serializers.Serializer):
    username = serializers.CharField(read_only=True)
    # The profile as every app shows it (accounts' user chip); the full one is at
    # /api/v1/users/{username}/profile/.
    display_name = serializers.CharField(read_only=True, help_text="Empty when not set.")
    avatar = serializers.ImageField(read_only=True, allow_null=True)
    url = serializers.SerializerMethodField()

    def get_url(self, user) -> str:
        path = reverse("profile", args=[user.username])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class PersonSerializer(UserSummarySerializer):
    followers_count = serializers.IntegerField(source="follower_count", read_only=True)
    is_followed_by_you = serializers.BooleanField(source="viewer_follows", read_only=True)


class PostAttachmentSerializer(serializers.Serializer):
    """A photo shown on a post: its served sizes (never the original), for every reader."""

    id = serializers.IntegerField(source="photo.pk", read_only=True, help_text="The photo's id")
    page = serializers.SerializerMethodField(help_text="The photo's web page")
    alt_text = serializers.CharField(source="photo.alt_text", read_only=True)
    description = serializers.CharField(
        source="photo.description", read_only=True, help_text="Alt text, else the caption"
    )
    blurhash = serializers.CharField(source="photo.blurhash", read_only=True)
    url = serializers.FileField(source="photo.image", read_only=True, help_text="Display size")
    url_webp = serializers.FileField(source="photo.image_webp", read_only=True)
    width = serializers.IntegerField(source="photo.display_width", read_only=True)
    height = serializers.IntegerField(source="photo.display_height", read_only=True)
    preview_url = serializers.FileField(
        source="photo.thumbnail", read_only=True, help_text="Square thumbnail"
    )
    preview_url_webp = serializers.FileField(source="photo.thumbnail_webp", read_only=True)
    preview_side = serializers.IntegerField(source="photo.thumbnail_side", read_only=True)
    srcset = serializers.SerializerMethodField(help_text="`srcset` of the JPEG/PNG sizes")
    srcset_webp = serializers.SerializerMethodField(help_text="`srcset` of the WebP sizes")

    def get_page(self, attachment) -> str:
        path = attachment.photo.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def _srcset(self, photo, display, thumbnail) -> str:
        request = self.context.get("request")
        parts = []
        for file, width in ((thumbnail, photo.thumbnail_side), (display, photo.display_width)):
            if file and width:
                url = request.build_absolute_uri(file.url) if request else file.url
                parts.append(f"{url} {width}w")
        return ", ".join(parts)

    def get_srcset(self, attachment) -> str:
        photo = attachment.photo
        return self._srcset(photo, photo.image, photo.thumbnail)

    def get_srcset_webp(self, attachment) -> str:
        photo = attachment.photo
        return self._srcset(photo, photo.image_webp, photo.thumbnail_webp)


class PostMediaAttributeSerializer(StrictFieldsMixin, serializers.Serializer):
    id = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="A photo in media_ids"
    )
    alt_text = serializers.CharField(allow_blank=True, trim_whitespace=False)

    def validate(self, attrs: dict) -> dict:
        # A PATCH is partial all the way down in DRF, which would let an item without its
        # id or alt text through: both are always needed.
        missing = {name: ["This field is required."] for name in self.fields if name not in attrs}
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


def _media_ids_field() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        max_length=POST_MAX_PHOTOS,
        required=False,
        write_only=True,
        help_text=(
            f"Up to {POST_MAX_PHOTOS} ids of your own processed photos, in order. On "
            "edit, replaces the post's photos ([] removes them)."
        ),
    )


def _media_attributes_field() -> PostMediaAttributeSerializer:
    return PostMediaAttributeSerializer(
        many=True,
        required=False,
        write_only=True,
        max_length=POST_MAX_PHOTOS,
        help_text="New alt text for photos in media_ids (changes the photo's own alt text).",
    )


class PostUrlField(serializers.HyperlinkedIdentityField):
    """A boost's URL is its original's: boosts are not posts of their own to read."""

    def get_url(self, obj, view_name, request, format):
        original = obj.boost_of if obj.boost_of_id is not None else obj
        return super().get_url(original, view_name, request, format)


class OriginalPostSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """A post; inside a boost (`boost_of`), the post boosted."""

    url = PostUrlField(view_name="api:post-detail")
    user = UserSummarySerializer(read_only=True)
    liked_by_you = serializers.SerializerMethodField()
    boosted_by_you = serializers.SerializerMethodField()
    content_html = serializers.SerializerMethodField(
        help_text="The content as safe HTML: escaped, with links for URLs, @mentions and #tags."
    )
    in_reply_to = serializers.IntegerField(
        source="in_reply_to_id",
        required=False,
        allow_null=True,
        min_value=1,
        help_text="The id of the post this one replies to.",
    )
    attachments = serializers.SerializerMethodField(
        help_text="The post's photos that are ready to show, in order."
    )
    media_ids = _media_ids_field()
    media_attributes = _media_attributes_field()

    class Meta:
        model = Post
        fields = (
            "id",
            "url",
            "user",
            "content",
            "content_html",
            "in_reply_to",
            "created_on",
            "like_count",
            "liked_by_you",
            "reply_count",
            "boost_count",
            "boosted_by_you",
            "edited_on",
            "attachments",
            "media_ids",
            "media_attributes",
        )
        read_only_fields = (
            "edited_on",
            "id",
            "content_html",
            "created_on",
            "like_count",
            "liked_by_you",
            "reply_count",
            "boost_count",
            "boosted_by_you",
        )

    def get_fields(self):
        fields = super().get_fields()
        fields["content"].max_length = settings.SOCIAL_POST_MAX_LENGTH
        return fields

    @extend_schema_field(PostAttachmentSerializer(many=True))
    def get_attachments(self, post: Post) -> list:
        return PostAttachmentSerializer(
            post.shown_attachments, many=True, context=self.context
        ).data

    def get_content_html(self, post: Post) -> str:
        return render_post(post.content)

    def get_liked_by_you(self, post: Post) -> bool:
        # Set by the selectors (annotation or one query per page); never a query per post.
        return bool(getattr(post, "viewer_liked", False))

    def get_boosted_by_you(self, post: Post) -> bool:
        return bool(getattr(post, "viewer_boosted", False))


class ActivitySerializer(serializers.Serializer):
    """Another app's item announced in a timeline, as that app describes it."""

    title = serializers.CharField(read_only=True)
    url = serializers.CharField(read_only=True, help_text="The item's page on this site.")
    text = serializers.CharField(read_only=True, help_text="An excerpt; may be empty.")
    image_url = serializers.CharField(read_only=True, help_text="A thumbnail; may be empty.")
    image_alt = serializers.CharField(read_only=True)


class PostSerializer(OriginalPostSerializer):
    """A post, or in a feed a boost: then `user` is the booster, `content` is empty and
    `boost_of` holds the post boosted (its `url` is the original's)."""

    boost_of = OriginalPostSerializer(read_only=True, allow_null=True)
    kind = serializers.ChoiceField(choices=Post.Kind.choices, read_only=True)
    activity = serializers.SerializerMethodField(
        help_text="For a kind other than post: the snap, photo, album or recipe announced."
    )

    class Meta(OriginalPostSerializer.Meta):
        fields = (*OriginalPostSerializer.Meta.fields, "boost_of", "kind", "activity")
        read_only_fields = (
            *OriginalPostSerializer.Meta.read_only_fields,
            "boost_of",
            "kind",
            "activity",
        )

    @extend_schema_field(ActivitySerializer(allow_null=True))
    def get_activity(self, post: Post) -> dict | None:
        # Attached by social.selectors.activity_subjects_attach; never a query here.
        card = getattr(post, "activity", None)
        return ActivitySerializer(card).data if card is not None else None


class NotificationPostSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:post-detail")
    content = serializers.CharField(read_only=True)


class NotificationSerializer(serializers.ModelSerializer):
    actor = UserSummarySerializer(read_only=True)
    post = NotificationPostSerializer(read_only=True, allow_null=True)
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ("id", "kind", "actor", "post", "created_on", "read_on", "is_read")
        read_only_fields = fields


class PostContextSerializer(serializers.Serializer):
    ancestors = PostSerializer(many=True, read_only=True)
    descendants = PostSerializer(many=True, read_only=True)


class PostUpdateInputSerializer(StrictFieldsMixin, serializers.Serializer):
    content = serializers.CharField(trim_whitespace=False)
    media_ids = _media_ids_field()
    media_attributes = _media_attributes_field()

    def get_fields(self):
        fields = super().get_fields()
        fields["content"].max_length = settings.SOCIAL_POST_MAX_LENGTH
        return fields


class PostEditSerializer(serializers.ModelSerializer):
    class Meta:
        model = PostEdit
        fields = ("content", "written_on", "replaced_on")
        read_only_fields = fields


def media_arguments(data: dict) -> dict:
    """The services' photo arguments from validated `media_ids`/`media_attributes`."""
    arguments = {}
    if "media_ids" in data:
        arguments["photo_ids"] = data["media_ids"]
    if "media_attributes" in data:
        arguments["alt_texts"] = {item["id"]: item["alt_text"] for item in data["media_attributes"]}
    return arguments
