from rest_framework import exceptions
from rest_framework.permissions import BasePermission

from mastodon_api.scopes import scope_granted


class HasMastodonScope(BasePermission):
    """The view's `required_scopes[method]` must be granted to the token; `None` means
    the endpoint is public. A scope-checked endpoint wants a user unless the view sets
    `app_token_allowed` (e.g. apps/verify_credentials)."""

    def has_permission(self, request, view) -> bool:
        method = "GET" if request.method == "HEAD" else request.method
        if method not in view.required_scopes:
            return True  # OPTIONS, or a method not offered: DRF answers 405
        scope = view.required_scopes[method]
        if scope is None:
            return True  # public
        token = request.auth
        if token is None:
            raise exceptions.NotAuthenticated("The access token is invalid")
        if not scope_granted(set(token.scope.split()), scope):
            raise exceptions.PermissionDenied("This action is outside the authorized scopes")
        if not getattr(view, "app_token_allowed", False) and not request.user.is_authenticated:
            raise exceptions.PermissionDenied("This method requires an authenticated user")
        return True
