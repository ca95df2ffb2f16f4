"""Who must use PKCE (read by the toolkit through the PKCE_REQUIRED setting).

Public clients have no secret, so only PKCE ties a code to the app that asked for it.
Apps registered through `POST /api/v1/apps` are confidential (they get a secret), and
Mastodon.py and toot send no code challenge, so they may go without, as on Mastodon.
Imported by the settings: nothing here may touch models at import time."""


def pkce_required(client_id: str) -> bool:
    from oauth2_provider.models import get_application_model

    application = get_application_model().objects.filter(client_id=client_id).first()
    return application is None or application.client_type == application.CLIENT_PUBLIC
