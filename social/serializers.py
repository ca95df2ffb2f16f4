from django.conf import settings
from rest_framework import serializers
from rest_framework.reverse import reverse

from project.serializers import StrictFieldsMixin
from social.models import Notification, Post, PostEdit
from social.text import render_post


class UserSummarySerializer(serializers.Serializer):
    username = serializers.CharField(read_only=True)
    # The profile as every app shows it (accounts' user chip); the full one is at
    # /api/v1/users/{username}/profile/.
    display_name = serializers.CharField(read_only=True, help_text="Empty when not set.")
    avatar = serializers.ImageField(read_only=True, allow_null=True)
    url = serializers.SerializerMethodField()

    def get_url(self, user) -> str:
        path = reverse("social:profile", args=[user.username])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class PersonSerializer(UserSummarySerializer):
    followers_count = serializers.IntegerField(source="follower_count", read_only=True)
    is_followed_by_you = serializers.BooleanField(source="viewer_follows", read_only=True)


class PostSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:post-detail")
    user = UserSummarySerializer(read_only=True)
    liked_by_you = serializers.SerializerMethodField()
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
            "edited_on",
        )
        read_only_fields = (
            "edited_on",
            "id",
            "content_html",
            "created_on",
            "like_count",
            "liked_by_you",
            "reply_count",
        )

    def get_fields(self):
        fields = super().get_fields()
        fields["content"].max_length = settings.SOCIAL_POST_MAX_LENGTH
        return fields

    def get_content_html(self, post: Post) -> str:
        return render_post(post.content)

    def get_liked_by_you(self, post: Post) -> bool:
        # Set by the selectors (annotation or one query per page); never a query per post.
        return bool(getattr(post, "viewer_liked", False))


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

    def get_fields(self):
        fields = super().get_fields()
        fields["content"].max_length = settings.SOCIAL_POST_MAX_LENGTH
        return fields


class PostEditSerializer(serializers.ModelSerializer):
    class Meta:
        model = PostEdit
        fields = ("content", "written_on", "replaced_on")
        read_only_fields = fields
