from rest_framework import serializers

from project.serializers import StrictFieldsMixin, _json_type_error
from recipes.models import (
    Cooked,
    CrossPost,
    Ingredient,
    Recipe,
    ShoppingItem,
    ShoppingList,
    ShoppingListRecipe,
    Step,
    Tag,
)


class CrossPostSerializer(serializers.ModelSerializer):
    class Meta:
        model = CrossPost
        fields = ("provider", "status", "remote_id", "attempts", "sent_on")
        read_only_fields = fields


class NestedJsonTypesMixin:
    """JsonTypesMixin's rule for rows inside a list, which DRF gives no initial_data."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            wrong = {
                name: [error]
                for name, field in self.fields.items()
                if not field.read_only
                and name in data
                and (error := _json_type_error(field, data[name]))
            }
            if wrong:
                raise serializers.ValidationError(wrong, code="invalid_type")
        return super().to_internal_value(data)


class IngredientSerializer(NestedJsonTypesMixin, StrictFieldsMixin, serializers.ModelSerializer):
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


class StepSerializer(NestedJsonTypesMixin, StrictFieldsMixin, serializers.ModelSerializer):
    number = serializers.IntegerField(read_only=True, help_text="1 for the first step.")
    image = serializers.ImageField(read_only=True, allow_null=True)

    class Meta:
        model = Step
        fields = ("number", "text", "minutes", "image")


class TagNamesField(serializers.ListField):
    """Tags as their names; written names are created when new."""

    child = serializers.CharField(max_length=50)

    def to_representation(self, data):
        return [tag.name for tag in data.all()]

    def to_internal_value(self, data):
        if isinstance(data, list) and not all(isinstance(name, str) for name in data):
            raise serializers.ValidationError("Tag names are strings.", code="invalid_type")
        return super().to_internal_value(data)


class UsernamesField(serializers.ListField):
    """Users as their usernames (shown to the recipe's owner only)."""

    child = serializers.CharField(max_length=150)

    def to_representation(self, data):
        return [user.username for user in data.all()]

    def to_internal_value(self, data):
        if isinstance(data, list) and not all(isinstance(name, str) for name in data):
            raise serializers.ValidationError("Usernames are strings.", code="invalid_type")
        return super().to_internal_value(data)


class TagSerializer(serializers.ModelSerializer):
    recipe_count = serializers.IntegerField(read_only=True)
    # Unicode slugs ("tú"): a SlugField's `^[-\w]+$` means ASCII in JSON Schema's regex.
    slug = serializers.CharField(read_only=True)

    class Meta:
        model = Tag
        fields = ("name", "slug", "recipe_count")


class RecipeSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:recipe-detail")
    user = serializers.ReadOnlyField(source="user.username")
    summary = serializers.CharField(source="summarize", read_only=True)
    crossposts = CrossPostSerializer(many=True, read_only=True)
    image = serializers.ImageField(read_only=True, allow_null=True)
    image_thumbnail = serializers.ImageField(read_only=True, allow_null=True)
    source_url = serializers.CharField(
        read_only=True, help_text="The page it was imported from; empty when typed in."
    )
    ingredients = serializers.CharField(
        required=False,
        help_text="Ingredient lines as text; parsed into `ingredient_rows` when written.",
    )
    tags = TagNamesField(required=False, max_length=20, help_text="Tag names, at most 20.")
    shared_with = UsernamesField(
        required=False,
        max_length=50,
        help_text="Who else may open a private recipe (usernames); only its owner sees this.",
    )
    instructions = serializers.CharField(
        required=False, help_text="The steps as text, one paragraph each; parsed into `steps`."
    )
    steps = StepSerializer(
        many=True,
        required=False,
        help_text="Numbered steps in order; when written they replace the old ones and win "
        "over `instructions`.",
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
            "steps",
            "tags",
            "visibility",
            "shared_with",
            "servings",
            "prep_time_minutes",
            "cook_time_minutes",
            "total_time_minutes",
            "summary",
            "image",
            "image_thumbnail",
            "source_url",
            "created_on",
            "updated_on",
            "user",
            "crossposts",
            "share_on",
        )
        read_only_fields = ("id", "source_url", "created_on", "updated_on")

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or request.user.pk != instance.user_id:
            data["shared_with"] = []
        return data

    def validate(self, attrs):
        attrs = super().validate(attrs)
        rows = attrs.get("ingredient_rows")
        if rows is not None and not rows:
            raise serializers.ValidationError({"ingredient_rows": ["Add at least one ingredient."]})
        if self.instance is None and not attrs.get("ingredients") and not rows:
            raise serializers.ValidationError({"ingredients": ["This field is required."]})
        steps = attrs.get("steps")
        if steps is not None and not steps:
            raise serializers.ValidationError({"steps": ["Add at least one step."]})
        if self.instance is None and not attrs.get("instructions") and not steps:
            raise serializers.ValidationError({"instructions": ["This field is required."]})
        return attrs


class FriendSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    provider = serializers.ChoiceField(choices=["twitter", "facebook"])
    screen_name = serializers.CharField(help_text="Their name on that network.")
    is_following = serializers.BooleanField(help_text="Whether you follow them here.")


class ScaleQuerySerializer(serializers.Serializer):
    servings = serializers.IntegerField(
        min_value=1, max_value=1000, required=False, help_text="Default: the recipe's own."
    )
    units = serializers.ChoiceField(
        choices=["metric", "us"], required=False, help_text="Default: the units as written."
    )


class ScaledIngredientSerializer(serializers.Serializer):
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3, allow_null=True)
    quantity_max = serializers.DecimalField(max_digits=12, decimal_places=3, allow_null=True)
    quantity_text = serializers.CharField(help_text='Kitchen fractions: "1 1/2", "2-3".')
    unit = serializers.CharField()
    food = serializers.CharField()
    note = serializers.CharField()
    original_text = serializers.CharField()


class ScaledRecipeSerializer(serializers.Serializer):
    servings = serializers.IntegerField(allow_null=True)
    units = serializers.CharField(allow_null=True)
    ingredients = ScaledIngredientSerializer(many=True)


class RecipeImportInputSerializer(StrictFieldsMixin, serializers.Serializer):
    url = serializers.CharField(
        max_length=2048, required=False, help_text="A recipe page (http or https)."
    )
    paste = serializers.CharField(
        max_length=3_000_000,
        required=False,
        trim_whitespace=False,
        help_text="A page's HTML, or schema.org Recipe JSON-LD, instead of a URL.",
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if bool(attrs.get("url")) == bool((attrs.get("paste") or "").strip()):
            raise serializers.ValidationError(
                {"non_field_errors": ["Give exactly one of url and paste."]}
            )
        return attrs


class RatingInputSerializer(StrictFieldsMixin, serializers.Serializer):
    stars = serializers.IntegerField(min_value=1, max_value=5)


class CookedSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    cooked_on = serializers.DateField(required=False, help_text="Default: today.")

    class Meta:
        model = Cooked
        fields = ("id", "cooked_on", "note")
        read_only_fields = ("id",)


class ReactionsSerializer(serializers.Serializer):
    average_stars = serializers.FloatField(allow_null=True)
    rating_count = serializers.IntegerField()
    my_stars = serializers.IntegerField(allow_null=True)
    favourite = serializers.BooleanField()
    cooked = CookedSerializer(many=True, help_text="Your last 10, newest first.")


class ShoppingPickSerializer(StrictFieldsMixin, serializers.Serializer):
    recipe = serializers.IntegerField(min_value=1, help_text="A recipe's id.")
    servings = serializers.IntegerField(min_value=1, max_value=1000)


class ShoppingEntrySerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="recipe.title", read_only=True)

    class Meta:
        model = ShoppingListRecipe
        fields = ("recipe", "title", "servings")
        read_only_fields = fields


class ShoppingItemSerializer(serializers.ModelSerializer):
    quantity_text = serializers.CharField(read_only=True)

    class Meta:
        model = ShoppingItem
        fields = ("id", "food", "quantity", "quantity_text", "unit", "checked")
        read_only_fields = ("id", "food", "quantity", "quantity_text", "unit", "checked")


class ShoppingItemCheckSerializer(StrictFieldsMixin, serializers.Serializer):
    checked = serializers.BooleanField()


class ShoppingListSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    recipes = ShoppingPickSerializer(
        many=True, write_only=True, required=False, help_text="Recipes to buy for."
    )
    entries = ShoppingEntrySerializer(many=True, read_only=True)
    items = ShoppingItemSerializer(many=True, read_only=True)

    class Meta:
        model = ShoppingList
        fields = ("id", "name", "created_on", "recipes", "entries", "items")
        read_only_fields = ("id", "created_on")
        extra_kwargs = {"name": {"required": False}}


class PictureUploadSerializer(StrictFieldsMixin, serializers.Serializer):
    """A picture: an uploaded `image`, or `photo`, the id of one of your processed photos."""

    # Content is checked with Pillow by project.imaging; this only insists on a file part.
    image = serializers.FileField(allow_empty_file=True, use_url=False, required=False)
    photo = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="The id of one of your photos: its processed sizes are used as they are.",
    )

    def validate(self, data: dict) -> dict:
        if ("image" in data) == ("photo" in data):
            raise serializers.ValidationError("Send either an image file or a photo id.")
        return data
