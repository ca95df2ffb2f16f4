from rest_framework import serializers

from project.serializers import StrictFieldsMixin
from recipes.models import CrossPost, Recipe


class CrossPostSerializer(serializers.ModelSerializer):
    class Meta:
        model = CrossPost
        fields = ("provider", "status", "remote_id", "attempts", "sent_on")
        read_only_fields = fields


class RecipeSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:recipe-detail")
    user = serializers.ReadOnlyField(source="user.username")
    summary = serializers.CharField(source="summarize", read_only=True)
    crossposts = CrossPostSerializer(many=True, read_only=True)
    share_on = serializers.ListField(
        child=serializers.ChoiceField(choices=CrossPost.Provider.choices),
        write_only=True,
        required=False,
        help_text="Networks to announce a new recipe on (default: every connected one).",
    )

    class Meta:
        model = Recipe
        fields = (
            "id",
            "url",
            "title",
            "ingredients",
            "instructions",
            "servings",
            "total_time_minutes",
            "summary",
            "created_on",
            "updated_on",
            "user",
            "crossposts",
            "share_on",
        )
        read_only_fields = ("id", "created_on", "updated_on")


class FriendSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
