import copy

import pytest
from allauth.socialaccount.models import SocialAccount, SocialToken

from recipes.selectors import PROVIDER_IDS
from recipes.tests.fakes import FakeFacebook, FakeRecipeSite, FakeX


@pytest.fixture
def fake_x(settings):
    fake = FakeX().start()
    settings.TWITTER_API_URL = fake.url
    settings.TWITTER_AUTHORIZE_URL = f"{fake.url}/i/oauth2/authorize"
    yield fake
    fake.stop()


@pytest.fixture
def fake_facebook(settings):
    fake = FakeFacebook().start()
    settings.FACEBOOK_GRAPH_URL = fake.url
    yield fake
    fake.stop()


@pytest.fixture
def apps_configured(settings, fake_x, fake_facebook):
    """X and Facebook sign-in set up, as X_CLIENT_ID / FACEBOOK_APP_ID do."""
    providers = copy.deepcopy(settings.SOCIALACCOUNT_PROVIDERS)
    providers["twitter_oauth2"]["APPS"] = [{"client_id": "x-client", "secret": "x-secret"}]
    providers["facebook"]["APPS"] = [{"client_id": "fb-app", "secret": "fb-secret"}]
    settings.SOCIALACCOUNT_PROVIDERS = providers


@pytest.fixture
def facebook_page(settings, fake_facebook):
    settings.FACEBOOK_PAGE_ID = "4242"
    settings.FACEBOOK_PAGE_TOKEN = fake_facebook.page_token
    return fake_facebook


@pytest.fixture
def eager_retries():
    """Let eager tasks run their retries inline instead of raising Retry to the caller."""
    from project.celery import app

    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = True


@pytest.fixture
def connect():
    """Link a user to a network account, as a finished social login would."""

    def link(user, provider: str, uid: str, token: str) -> SocialAccount:
        account = SocialAccount.objects.create(user=user, provider=PROVIDER_IDS[provider], uid=uid)
        SocialToken.objects.create(account=account, token=token)
        return account

    return link


@pytest.fixture
def chef(user, fake_x, connect):
    """A user with X connected (id 1001 on the fake)."""
    connect(user, "twitter", "1001", fake_x.token_for("1001"))
    return user


@pytest.fixture
def recipe_site(settings):
    """A local recipe website, the one loopback server the import may reach."""
    site = FakeRecipeSite().start()
    host, port = site.url.removeprefix("http://").split(":")
    settings.URL_FETCH_ALLOWED_HOSTS = [f"{host}:{port}"]
    yield site
    site.stop()
