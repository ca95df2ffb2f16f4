from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Exists, OuterRef
from django.utils.html import format_html_join

from accounts.models import ApiToken, User
from accounts.selectors import user_content_counts

# The kinds that make an account two-factor (recovery codes only come with one of them).
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


class TwoFactorFilter(admin.SimpleListFilter):
    title = "two-factor authentication"
    parameter_name = "two_factor"
    KINDS = {
        "on": SECOND_FACTORS,
        "totp": (Authenticator.Type.TOTP,),
        "webauthn": (Authenticator.Type.WEBAUTHN,),
        "off": SECOND_FACTORS,
    }

    def lookups(self, request, model_admin):
        return [
            ("on", "On"),
            ("totp", "Authenticator app"),
            ("webauthn", "Security key"),
            ("off", "Off"),
        ]

    def queryset(self, request, queryset):
        kinds = self.KINDS.get(self.value())
        if kinds is None:
            return queryset
        has = Exists(Authenticator.objects.filter(user_id=OuterRef("pk"), type__in=kinds))
        return queryset.filter(~has if self.value() == "off" else has)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = (
        "username", "email", "is_active", "is_staff", "two_factor", "date_joined", "last_seen",
    )  # fmt: skip
    list_filter = (
        TwoFactorFilter, "is_active", "is_staff", "is_superuser", "last_seen", "date_joined",
    )  # fmt: skip
    search_fields = ("username", "email", "display_name", "first_name", "last_name")
    ordering = ("-date_joined",)
    readonly_fields = ("last_seen", "content_counts")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Profile", {"fields": ("display_name", "bio", "website", "avatar")}),
        ("Activity", {"fields": ("last_seen", "content_counts")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "email", "password1", "password2")}),
    )

    def get_queryset(self, request):
        # The list's two-factor column in the same query: no query per row.
        has_second_factor = Exists(
            Authenticator.objects.filter(user_id=OuterRef("pk"), type__in=SECOND_FACTORS)
        )
        return super().get_queryset(request).annotate(has_second_factor=has_second_factor)

    @admin.display(boolean=True, description="2FA", ordering="has_second_factor")
    def two_factor(self, user: User) -> bool:
        return user.has_second_factor

    @admin.display(description="Content")
    def content_counts(self, user: User) -> str:
        if user.pk is None:
            return "—"
        counts = user_content_counts(user_id=user.pk)  # one query for every app
        return format_html_join(", ", "{}: {}", counts)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens can be seen and revoked here, never made: their keys are not stored."""

    list_display = ("name", "user", "prefix", "created_at", "last_used_at")
    list_select_related = ("user",)
    search_fields = ("name", "user__username", "prefix")
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at")
    exclude = ("key_hash",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
