from django.contrib import admin, messages

from recipes.checks import site_url_mismatch
from recipes.models import (
    Cooked,
    CrossPost,
    Favourite,
    Ingredient,
    Rating,
    Recipe,
    ShoppingItem,
    ShoppingList,
    ShoppingListRecipe,
    Step,
    Tag,
)
from recipes.services import crosspost_retry, ingredients_text_sync, steps_text_sync


class SiteUrlWarningMixin:
    """Warn on the list page when this request's host is not SITE_URL's (links would
    point elsewhere)."""

    def changelist_view(self, request, extra_context=None):
        if warning := site_url_mismatch(request.get_host()):
            self.message_user(request, warning, messages.WARNING)
        return super().changelist_view(request, extra_context)


class CrossPostInline(admin.TabularInline):
    model = CrossPost
    extra = 0
    can_delete = False
    readonly_fields = (
        "provider",
        "status",
        "remote_id",
        "attempts",
        "last_error",
        "claimed_on",
        "sent_on",
    )
    fields = readonly_fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class IngredientInline(admin.TabularInline):
    model = Ingredient
    extra = 0
    fields = ("position", "quantity", "quantity_max", "unit", "food", "note", "original_text")


class StepInline(admin.TabularInline):
    model = Step
    extra = 0
    fields = ("position", "text", "minutes", "image")
    readonly_fields = ("image",)


@admin.register(Recipe)
class RecipeAdmin(SiteUrlWarningMixin, admin.ModelAdmin):
    list_display = (
        "title",
        "user",
        "visibility",
        "servings",
        "total_time_minutes",
        "created_on",
    )
    search_fields = ("title", "ingredients", "user__username")
    list_filter = ("visibility", "created_on", "tags")
    date_hierarchy = "created_on"
    raw_id_fields = ("user",)
    filter_horizontal = ("tags",)
    readonly_fields = ("image", "image_thumbnail")  # uploads go through the services
    autocomplete_fields = ("shared_with",)
    list_select_related = ("user",)
    inlines = [IngredientInline, StepInline, CrossPostInline]

    def save_related(self, request, form, formsets, change) -> None:
        """Keep the ingredient text and rows in step: new text is parsed into rows,
        edited rows are written back into the text."""
        super().save_related(request, form, formsets, change)
        rows_changed = any(
            formset.model is Ingredient and formset.has_changed() for formset in formsets
        )
        reparse = "ingredients" in form.changed_data and not rows_changed
        ingredients_text_sync(recipe=form.instance, reparse=reparse)
        steps_changed = any(formset.model is Step and formset.has_changed() for formset in formsets)
        reparse = "instructions" in form.changed_data and not steps_changed
        steps_text_sync(recipe=form.instance, reparse=reparse)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(CrossPost)
class CrossPostAdmin(SiteUrlWarningMixin, admin.ModelAdmin):
    list_display = ("recipe", "provider", "status", "attempts", "remote_id", "sent_on")
    list_filter = ("provider", "status")
    search_fields = ("recipe__title", "remote_id")
    readonly_fields = (
        "recipe",
        "provider",
        "text",
        "status",
        "remote_id",
        "attempts",
        "last_error",
        "created_on",
        "claimed_on",
        "sent_on",
    )
    list_select_related = ("recipe",)
    actions = ["retry_failed"]

    def has_add_permission(self, request) -> bool:
        return False  # announcements are made by recipe_create, with their recipe

    @admin.action(description="Retry failed or stuck announcements")
    def retry_failed(self, request, queryset) -> None:
        """The reconciliation's path: a post found by its marker is recorded as sent,
        anything else is queued again; sent, skipped and running ones are left alone."""
        settled = sum(crosspost_retry(crosspost=crosspost) for crosspost in queryset)
        self.message_user(
            request, f"Settled or queued {settled} announcement(s) again.", messages.SUCCESS
        )


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ("recipe", "user", "stars", "rated_on")
    list_filter = ("stars",)
    raw_id_fields = ("recipe", "user")
    list_select_related = ("recipe", "user")


@admin.register(Favourite)
class FavouriteAdmin(admin.ModelAdmin):
    list_display = ("recipe", "user", "created_on")
    raw_id_fields = ("recipe", "user")
    list_select_related = ("recipe", "user")


@admin.register(Cooked)
class CookedAdmin(admin.ModelAdmin):
    list_display = ("recipe", "user", "cooked_on", "note")
    date_hierarchy = "cooked_on"
    raw_id_fields = ("recipe", "user")
    list_select_related = ("recipe", "user")


class ShoppingListRecipeInline(admin.TabularInline):
    model = ShoppingListRecipe
    extra = 0
    raw_id_fields = ("recipe",)


class ShoppingItemInline(admin.TabularInline):
    model = ShoppingItem
    extra = 0
    fields = ("food", "quantity", "unit", "checked")


@admin.register(ShoppingList)
class ShoppingListAdmin(admin.ModelAdmin):
    """Items are rebuilt from the recipes by the services; here they can be ticked."""

    list_display = ("name", "user", "created_on")
    raw_id_fields = ("user",)
    list_select_related = ("user",)
    inlines = [ShoppingListRecipeInline, ShoppingItemInline]
