"""The site's own 403 pages replace Django's defaults."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.views.defaults import permission_denied

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_csrf_failure_renders_the_branded_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "x", "password": "y"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "This form has expired" in body and 'lang="en"' in body
    assert "CSRF verification failed" not in body


def test_forbidden_page_is_branded(rf):
    response = permission_denied(rf.get("/"), PermissionDenied("Only the owner may do this."))
    assert response.status_code == 403
    body = response.content.decode()
    assert "do that here" in body and "Only the owner may do this." in body
