from datetime import timedelta

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken
from rest_framework.test import APIClient

from mastodon_api import services

OOB = "urn:ietf:wg:oauth:2.0:oob"


@pytest.fixture
def registered_app():
    """(application, clear secret) registered for the oob redirect, all scopes."""
    return services.app_register(
        name="Test client",
        redirect_uris=[OOB, "https://client.example/callback"],
        scopes="read write follow push",
        website="https://client.example/",
    )


@pytest.fixture
def make_token(registered_app):
    """A bearer token of `user` for the registered app with these scopes."""
    application, _ = registered_app

    def make(user, scopes: str = "read write follow push") -> AccessToken:
        return AccessToken.objects.create(
            user=user,
            application=application,
            token=f"tok-{user.pk}-{AccessToken.objects.count()}-{scopes.replace(' ', '.')}",
            scope=scopes,
            expires=timezone.now() + timedelta(days=1),
        )

    return make


@pytest.fixture
def mastodon_client(user, make_token):
    """An API client sending `user`'s bearer token with every scope."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(user).token}")
    return client


@pytest.fixture
def other_mastodon_client(other_user, make_token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(other_user).token}")
    return client
