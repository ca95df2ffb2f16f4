from rest_framework import serializers

from project.serializers import StrictFieldsMixin
from recipes.models import CrossPost, Ingredient, Recipe


class CrossPostSerializer(serializers.ModelSerializer):
    class Meta:
        model = CrossPost
        fields = ("provider", "status", "remote_id", "attempts", "sent_on")
        read_only_fields = fields


class IngredientSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    original_text = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text="The line as written; built from the parts when left out.",
    )

    class Meta:
        model = Ingredient
        fields = ("quantity", "quantity_max", "unit", "food", "note", "original_text")

    def validate(self, attrs):
        attrs = super().validate(attrs)
        low, high = attrs.get("quantity"), attrs.get("quantity_max")
        if high is not None and (low is None or high <= low):
            raise serializers.ValidationError(
                {"quantity_max": ["The upper end must be above the quantity."]}
            )
        if not any(attrs.get(name) for name in ("food", "original_text", "unit")):
            raise serializers.ValidationError({"food": ["Name the ingredient."]})
        return attrs


class RecipeSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:recipe-detail")
    user = serializers.ReadOnlyField(source="user.username")
    summary = serializers.CharField(source="summarize", read_only=True)
    crossposts = CrossPostSerializer(many=True, read_only=True)
    ingredients = serializers.CharField(
        required=False,
        help_text="Ingredient lines as text; parsed into `ingredient_rows` when written.",
    )
    ingredient_rows = IngredientSerializer(
        many=True,
        required=False,
        help_text="Structured ingredients in order; when written they replace the old rows "
        "and win over `ingredients`.",
    )
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
            "ingredient_rows",
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

    def validate(self, attrs):
        attrs = super().validate(attrs)
        rows = attrs.get("ingredient_rows")
        if rows is not None and not rows:
            raise serializers.ValidationError({"ingredient_rows": ["Add at least one ingredient."]})
        if self.instance is None and not attrs.get("ingredients") and not rows:
            raise serializers.ValidationError({"ingredients": ["This field is required."]})
        return attrs


class FriendSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
