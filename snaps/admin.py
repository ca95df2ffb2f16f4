from django.contrib import admin

from snaps.models import Snap, SnapRevision


class SnapRevisionInline(admin.TabularInline):
    model = SnapRevision
    fields = ("number", "name", "language", "created_on")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Snap)
class SnapAdmin(admin.ModelAdmin):
    inlines = [SnapRevisionInline]
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
    readonly_fields = ("hash_key", "created_on", "revision", "revised_on")
    raw_id_fields = ("user",)
    date_hierarchy = "created_on"
    list_select_related = ("user",)
