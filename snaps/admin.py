from django.conf import settings
from django.contrib import admin
from django.db.models import Prefetch

from snaps.models import Snap, SnapFile, SnapRevision, SnapTag


@admin.register(SnapTag)
class SnapTagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


class SnapFileInline(admin.StackedInline):
    model = SnapFile
    fields = ("position", "name", "extension", "language", "content")
    extra = 0
    min_num = 1
    ordering = ("position",)

    def get_max_num(self, request, obj=None, **kwargs) -> int:
        return settings.SNAPS_MAX_FILES


class SnapRevisionInline(admin.TabularInline):
    model = SnapRevision
    fields = ("number", "filename", "created_on")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="first file")
    def filename(self, revision: SnapRevision) -> str:
        return revision.filename


@admin.register(Snap)
class SnapAdmin(admin.ModelAdmin):
    inlines = [SnapFileInline, SnapRevisionInline]
    list_display = (
        "__str__",
        "user",
        "visibility",
        "created_on",
        "expires_at",
    )
    list_filter = (
        "visibility",
        "burn_after_reading",
        "tags",
        "created_on",
        "expires_at",
    )
    search_fields = ("files__name", "hash_key", "user__username")
    readonly_fields = ("hash_key", "created_on", "revision", "revised_on")
    raw_id_fields = ("user",)
    autocomplete_fields = ("tags",)
    date_hierarchy = "created_on"
    list_select_related = ("user",)

    def get_queryset(self, request):
        # The change list names each snap by its first file: names only, not the texts.
        files = Prefetch("files", queryset=SnapFile.objects.defer("content"))
        return super().get_queryset(request).prefetch_related(files)
