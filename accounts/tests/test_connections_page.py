"""The Connections page explains itself and says when nothing can be connected."""

import pytest
from allauth.socialaccount.models import SocialApp
from django.contrib.sites.models import Site

from accounts.tests.factories import UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_connections_page_says_no_provider_is_configured(client):
    client.force_login(UserFactory())
    body = client.get("/accounts/3rdparty/").content.decode()
    assert 'data-testid="connections-intro"' in body
    assert 'data-testid="no-providers"' in body


def test_connections_page_lists_a_configured_provider(client):
    app = SocialApp.objects.create(provider="facebook", name="Facebook", client_id="id", secret="s")
    app.sites.add(Site.objects.get_current())
    client.force_login(UserFactory())
    body = client.get("/accounts/3rdparty/").content.decode()
    assert 'data-testid="no-providers"' not in body
    assert "Facebook" in body
