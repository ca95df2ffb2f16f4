from django.contrib import admin

from social.models import (
    POST_MAX_PHOTOS,
    Block,
    FeedEntry,
    Follow,
    Like,
    Mute,
    Notification,
    Post,
    PostAttachment,
    PostEdit,
    Tag,
)


class PostEditInline(admin.TabularInline):
    """The post's earlier texts, read-only."""

    model = PostEdit
    extra = 0
    can_delete = False
    readonly_fields = ("content", "written_on", "replaced_on")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class PostAttachmentInline(admin.TabularInline):
    """The post's photos, in order (the author's own, at most POST_MAX_PHOTOS)."""

    model = PostAttachment
    extra = 0
    max_num = POST_MAX_PHOTOS
    fields = ("photo", "position")
    raw_id_fields = ("photo",)


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    inlines = [PostAttachmentInline, PostEditInline]
    list_display = ("short_content", "user", "created_on", "like_count", "boost_count")
    list_filter = ("created_on", ("boost_of", admin.EmptyFieldListFilter))
    search_fields = ("content", "user__username")
    date_hierarchy = "created_on"
    raw_id_fields = ("user",)
    readonly_fields = ("boost_of",)
    list_select_related = ("user",)

    @admin.display(description="content")
    def short_content(self, post: Post) -> str:
        return str(post)


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ("follower", "followed", "created_on")
    list_filter = ("created_on",)
    search_fields = ("follower__username", "followed__username")
    raw_id_fields = ("follower", "followed")
    list_select_related = ("follower", "followed")


@admin.register(FeedEntry)
class FeedEntryAdmin(admin.ModelAdmin):
    """Read-only: rows are written by the fan-out tasks."""

    list_display = ("owner", "post", "created_on")
    search_fields = ("owner__username",)
    list_select_related = ("owner", "post")
    raw_id_fields = ("owner", "post")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "actor", "kind", "post", "created_on", "read_on")
    list_filter = ("kind", "created_on")
    search_fields = ("recipient__username", "actor__username")
    raw_id_fields = ("recipient", "actor", "post")
    list_select_related = ("recipient", "actor", "post")


@admin.register(Like)
class LikeAdmin(admin.ModelAdmin):
    """No adding or changing (that would skip the notification); deleting counts."""

    list_display = ("user", "post", "created_on")
    search_fields = ("user__username",)
    raw_id_fields = ("user", "post")
    list_select_related = ("user", "post")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name",)
    search_fields = ("name",)


@admin.register(Block, Mute)
class UserPairAdmin(admin.ModelAdmin):
    """Blocks and mutes, for moderation; made by their users (the services end follows)."""

    list_display = ("actor", "target", "created_on")
    search_fields = ("actor__username", "target__username")
    raw_id_fields = ("actor", "target")
    list_select_related = ("actor", "target")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
