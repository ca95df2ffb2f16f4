from django.conf import settings
from rest_framework.permissions import SAFE_METHODS, BasePermission

from snaps.authorship import TOKEN_HEADER, is_author


class IsSnapAuthorOrReadOnly(BasePermission):
    """Anyone reads. Creating needs an account unless SNAPS_ALLOW_ANONYMOUS; changing
    and deleting need the snap's owner, or the edit token of an anonymous snap
    (the X-Snap-Token header)."""

    message = "Only the owner can change or delete this."

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS or request.user.is_authenticated:
            return True
        if view.action == "create":
            return settings.SNAPS_ALLOW_ANONYMOUS
        return bool(request.headers.get(TOKEN_HEADER))

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return is_author(obj, request.user, request.headers.get(TOKEN_HEADER, ""))
