"""Point allauth's X and Facebook providers at TWITTER_API_URL / FACEBOOK_GRAPH_URL.

allauth hard-codes X's OAuth endpoints and reads Facebook's Graph URL once at import;
binding them to settings lets tests and staging use local fakes on the same code path.
"""

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

URL_SETTINGS = ("TWITTER_API_URL", "TWITTER_AUTHORIZE_URL", "FACEBOOK_GRAPH_URL")


def apply_api_urls() -> None:
    from allauth.socialaccount.providers.facebook import flows as facebook_flows
    from allauth.socialaccount.providers.facebook import views as facebook_views
    from allauth.socialaccount.providers.twitter_oauth2.views import TwitterOAuth2Adapter

    x_api = settings.TWITTER_API_URL.rstrip("/")
    TwitterOAuth2Adapter.access_token_url = f"{x_api}/2/oauth2/token"
    TwitterOAuth2Adapter.profile_url = f"{x_api}/2/users/me"
    TwitterOAuth2Adapter.authorize_url = settings.TWITTER_AUTHORIZE_URL

    graph = settings.FACEBOOK_GRAPH_URL.rstrip("/")
    facebook_views.GRAPH_API_URL = facebook_flows.GRAPH_API_URL = graph
    facebook_views.FacebookOAuth2Adapter.access_token_url = f"{graph}/oauth/access_token"


@receiver(setting_changed)
def _reapply(setting: str, **kwargs) -> None:
    if setting in URL_SETTINGS:
        apply_api_urls()
