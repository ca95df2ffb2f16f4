from django.contrib import admin
from django.utils.html import format_html

from photos.models import Photo


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ("id", "preview", "user", "comment", "width", "height", "size", "created_on")
    list_filter = ("created_on",)
    search_fields = ("comment", "user__username", "sha256")
    raw_id_fields = ("user",)
    date_hierarchy = "created_on"
    list_select_related = ("user",)
    readonly_fields = ("preview", "width", "height", "size", "sha256")

    @admin.display(description="thumbnail")
    def preview(self, photo: Photo) -> str:
        image = photo.thumbnail or photo.image
        if not image:
            return "—"
        return format_html(
            '<img src="{}" alt="" style="max-height:64px;max-width:96px">', image.url
        )
