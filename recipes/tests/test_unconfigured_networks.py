"""X and Facebook without credentials (`make run`'s default: no X_CLIENT_ID, no
FACEBOOK_APP_ID): nothing offers them, and their login URLs say so instead of a 500."""

import copy

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def no_apps(settings):
    providers = copy.deepcopy(settings.SOCIALACCOUNT_PROVIDERS)
    for provider in providers.values():
        provider.pop("APPS", None)
    settings.SOCIALACCOUNT_PROVIDERS = providers


@pytest.mark.parametrize(
    ("url", "name"),
    [("/accounts/twitter_oauth2/login/", "X"), ("/accounts/facebook/login/", "Facebook")],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_login_url_is_a_404_page_naming_the_network(client, user, url, name, method):
    client.force_login(user)
    response = getattr(client, method)(url, {"process": "connect"})
    assert response.status_code == 404
    assertContains(response, f"{name} sign-in is not available", status_code=404)


def test_friends_page_offers_no_connect_button(client, user):
    client.force_login(user)
    response = client.get(reverse("recipes:friends"))
    assert response.status_code == 200
    assertNotContains(response, "Connect X")
    assertNotContains(response, "Connect Facebook")
    assertContains(response, "Sign-in with X is not set up on this site.")
    assertContains(response, "Sign-in with Facebook is not set up on this site.")


def test_connections_page_lists_no_network(client, user):
    client.force_login(user)
    response = client.get("/accounts/3rdparty/")
    assert response.status_code == 200
    assertNotContains(response, "/accounts/twitter_oauth2/login/")
    assertNotContains(response, "/accounts/facebook/login/")
    assertContains(response, 'data-testid="no-providers"')


def test_login_page_offers_no_network(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assertNotContains(response, "/accounts/twitter_oauth2/login/")
    assertNotContains(response, "/accounts/facebook/login/")


def test_recipe_form_does_not_point_to_connecting_x(client, user):
    client.force_login(user)
    response = client.get(reverse("recipes:create"))
    assert response.status_code == 200
    assertNotContains(response, "Connect your X account")


def test_configured_connections_page_offers_both(client, user, apps_configured):
    client.force_login(user)
    response = client.get("/accounts/3rdparty/")
    assertContains(response, "/accounts/twitter_oauth2/login/")
    assertContains(response, "/accounts/facebook/login/")
    assertNotContains(response, 'data-testid="no-providers"')
