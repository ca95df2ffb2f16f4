"""django-oauth-toolkit, shaped like Mastodon's OAuth server: an app asks only for the
scopes it registered (its default), and an app registered for the code flow may also
take an app token by client credentials. No password grant."""

from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import SettingsScopes

from mastodon_api.scopes import SCOPES

GRANTS = {"authorization_code", "client_credentials", "refresh_token"}


def _registered(application) -> list[str]:
    registration = getattr(application, "mastodon_registration", None) if application else None
    return registration.scope_list if registration is not None else ["read"]


class AppScopes(SettingsScopes):
    def get_all_scopes(self) -> dict[str, str]:
        return dict(SCOPES)

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        if application is None:
            return list(SCOPES)
        return [scope for scope in _registered(application) if scope in SCOPES]

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return self.get_available_scopes(application, request)


class MastodonOAuth2Validator(OAuth2Validator):
    def validate_grant_type(self, client_id, grant_type, client, request, *args, **kwargs):
        return grant_type in GRANTS and client.is_usable(request)

    def validate_scopes(self, client_id, scopes, client, request, *args, **kwargs):
        # Mastodon.py joins scopes with spaces; some clients with '+' (already split by
        # oauthlib on spaces), so split again here.
        wanted = {part for scope in scopes for part in scope.replace("+", " ").split()}
        return bool(wanted) and wanted <= set(_registered(client))
