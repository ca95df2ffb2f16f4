from django.contrib import admin

from snaps.models import Snap


@admin.register(Snap)
class SnapAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "language",
        "extension",
        "user",
        "visibility",
        "created_on",
        "expires_at",
    )
    list_filter = (
        "visibility",
        "burn_after_reading",
        "language",
        "extension",
        "created_on",
        "expires_at",
    )
    search_fields = ("name", "content", "hash_key", "user__username")
    readonly_fields = ("hash_key", "created_on")
    raw_id_fields = ("user",)
    date_hierarchy = "created_on"
    list_select_related = ("user",)
