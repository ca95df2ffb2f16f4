"""API tokens and other sessions do not survive a password change or reset (issue 14)."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services import api_token_create
from accounts.tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

NEW_PASSWORD = "a-brand-new-passphrase-42"
ME_URL = "/api/v1/users/me/"


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user, name='test').key}")
    assert client.get(ME_URL).status_code == 200  # also warms the token cache
    return client


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def is_signed_in(client: Client) -> bool:
    return client.get(reverse("account_change_password")).status_code == 200


def test_web_password_change_drops_tokens_and_other_sessions_but_keeps_this_one(user):
    api, current, other = token_client(user), signed_in(user), signed_in(user)
    response = current.post(
        reverse("account_change_password"),
        {"oldpassword": TEST_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert api.get(ME_URL).status_code == 401
    assert not user.api_tokens.exists()
    assert not is_signed_in(other)
    assert is_signed_in(current)


def test_password_reset_by_email_drops_tokens_and_sessions(client, user):
    api, other = token_client(user), signed_in(user)
    client.post(reverse("account_reset_password"), {"email": user.email})
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[0].body)
    form = client.get(link.group(1), follow=True)
    response = client.post(
        form.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert api.get(ME_URL).status_code == 401
    assert not is_signed_in(other)


def test_admin_password_form_drops_tokens(user, admin_client):
    api = token_client(user)
    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302
    assert api.get(ME_URL).status_code == 401


def test_set_password_and_save_drops_tokens(user):
    api = token_client(user)
    user.set_password(NEW_PASSWORD)
    user.save()
    assert api.get(ME_URL).status_code == 401


def test_saving_the_user_otherwise_keeps_tokens(user):
    api = token_client(user)
    user.first_name = "Ada"
    user.save()
    assert api.get(ME_URL).status_code == 200
