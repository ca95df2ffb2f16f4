from django.contrib import admin
from django.utils.html import format_html

from photos.models import Album, Photo


class AlbumPhotoInline(admin.TabularInline):
    """The album's photos in order; remove one by clearing its album on its own page."""

    model = Photo
    fields = ("id", "comment", "status", "album_position")
    readonly_fields = ("id", "comment", "status", "album_position")
    ordering = ("album_position", "pk")
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Album)
class AlbumAdmin(admin.ModelAdmin):
    list_display = ("id", "title", "user", "created_on")
    search_fields = ("title", "user__username")
    raw_id_fields = ("user",)
    list_select_related = ("user",)
    inlines = [AlbumPhotoInline]


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = (
        "id", "preview", "user", "status", "comment", "width", "height", "size", "created_on",
    )  # fmt: skip
    list_filter = ("status", "created_on")
    search_fields = ("comment", "alt_text", "user__username", "sha256")
    raw_id_fields = ("user", "album")
    date_hierarchy = "created_on"
    list_select_related = ("user",)
    # The files are made by the worker; only the texts are edited here.
    fields = (
        "preview", "user", "comment", "alt_text", "album", "status", "error", "exif", "blurhash",
        "width", "height", "display_width", "display_height", "size", "sha256", "created_on",
    )  # fmt: skip
    readonly_fields = (
        "preview", "status", "error", "exif", "blurhash", "width", "height",
        "display_width", "display_height", "size", "sha256",
    )  # fmt: skip

    def has_add_permission(self, request) -> bool:
        return False  # uploads go through the site or the API, which check and process them

    @admin.display(description="thumbnail")
    def preview(self, photo: Photo) -> str:
        image = photo.thumbnail or photo.image
        if not image:
            return photo.get_status_display()
        return format_html(
            '<img src="{}" alt="" style="max-height:64px;max-width:96px">', image.url
        )
