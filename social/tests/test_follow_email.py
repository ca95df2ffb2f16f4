"""Follow e-mails: at most one per follower and followed user a day, and users can opt out."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.tests.factories import UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_refollowing_again_and_again_sends_one_email(follow, unfollow):
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    for _ in range(10):
        follow(alice, bob)
        unfollow(alice, bob)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [bob.email]
    assert reverse("account-preferences") in mail.outbox[0].body  # how to turn them off


def test_each_follower_still_gets_announced(follow):
    bob = UserFactory()
    follow(UserFactory(), bob)
    follow(UserFactory(), bob)
    assert len(mail.outbox) == 2


def test_no_email_when_the_followed_user_turned_them_off(follow):
    bob = UserFactory(email_on_follow=False)
    follow(UserFactory(), bob)
    assert mail.outbox == []


def test_preferences_page_turns_follow_emails_off(client, user):
    client.force_login(user)
    page = client.get(reverse("account-preferences"))
    assert page.status_code == 200
    assert 'name="email_on_follow"' in page.content.decode()
    response = client.post(reverse("account-preferences"), {})  # checkbox left unticked
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email_on_follow is False
    client.post(reverse("account-preferences"), {"email_on_follow": "on"})
    user.refresh_from_db()
    assert user.email_on_follow is True


def test_preferences_page_needs_a_login(client):
    response = client.get(reverse("account-preferences"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


class TestMeApi:
    def test_patch_turns_follow_emails_off(self, auth_api_client, user):
        response = auth_api_client.patch(
            "/api/v1/users/me/", {"email_on_follow": False}, format="json"
        )
        assert response.status_code == 200
        assert response.json()["email_on_follow"] is False
        user.refresh_from_db()
        assert user.email_on_follow is False

    def test_other_fields_stay_read_only(self, auth_api_client, user):
        response = auth_api_client.patch(
            "/api/v1/users/me/", {"email_on_follow": False, "username": "root"}, format="json"
        )
        assert response.status_code == 400
        assert response.json() == {"username": ["Unknown field."]}
        user.refresh_from_db()
        assert user.email_on_follow is True and user.username != "root"
