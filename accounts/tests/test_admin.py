"""The admin's users: searched and filtered by two-factor status, last seen and joined
date, with what each has in every app on their page, in queries that do not grow."""

from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.webauthn.internal.auth import WebAuthn
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from accounts.tests.webauthn import registration_credential
from recipes.tests.factories import RecipeFactory
from snaps.tests.factories import SnapFactory
from social.tests.factories import FollowFactory, PostFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

CHANGELIST = reverse("admin:accounts_user_changelist")


@pytest.fixture
def people():
    now = timezone.now()
    app = UserFactory(username="apponly", date_joined=now - timedelta(days=400))
    TOTP.activate(app, generate_totp_secret())
    key = UserFactory(username="keyonly", last_seen=now - timedelta(days=60))
    WebAuthn.add(key, "key", registration_credential())
    plain = UserFactory(username="plain", display_name="Plain Jane")
    return {"app": app, "key": key, "plain": plain}


def listed(admin_client, **params) -> set[str]:
    response = admin_client.get(CHANGELIST, params)
    assert response.status_code == 200
    return {user.username for user in response.context["cl"].result_list}


class TestUserList:
    def test_filters_by_two_factor_status(self, admin_client, people):
        assert listed(admin_client, two_factor="on") == {"apponly", "keyonly"}
        assert listed(admin_client, two_factor="totp") == {"apponly"}
        assert listed(admin_client, two_factor="webauthn") == {"keyonly"}
        assert "plain" in listed(admin_client, two_factor="off")
        assert not {"apponly", "keyonly"} & listed(admin_client, two_factor="off")

    def test_an_unknown_filter_value_lists_everyone(self, admin_client, people):
        assert {"apponly", "keyonly", "plain"} <= listed(admin_client, two_factor="bogus")

    def test_filters_by_last_seen_and_joined(self, admin_client, people):
        week_ago = str(timezone.now() - timedelta(days=7))  # as the filter's own links
        recent = listed(admin_client, last_seen__gte=week_ago)
        assert "keyonly" not in recent and "plain" in recent
        joined = listed(admin_client, date_joined__gte=week_ago)
        assert "apponly" not in joined and "plain" in joined

    def test_searches_the_display_name_too(self, admin_client, people):
        assert listed(admin_client, q="jane") == {"plain"}

    def test_two_factor_column_costs_no_query_per_row(self, admin_client, people):
        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                response = admin_client.get(CHANGELIST)
            assert response.status_code == 200
            return len(captured)

        few = queries()
        for _ in range(5):
            TOTP.activate(UserFactory(), generate_totp_secret())
        assert queries() == few
        page = admin_client.get(CHANGELIST, {"two_factor": "on"}).content.decode()
        assert page.count('alt="True"') >= 7  # the boolean icons of the 2FA column


class TestUserPage:
    def page(self, admin_client, user):
        with CaptureQueriesContext(connection) as captured:
            response = admin_client.get(reverse("admin:accounts_user_change", args=[user.pk]))
        assert response.status_code == 200
        return response.content.decode(), len(captured)

    def test_shows_the_content_counts_of_every_app_in_fixed_queries(self, admin_client):
        user = UserFactory()
        self.page(admin_client, user)  # first visit: the session's and cache's one-offs
        empty_page, empty_queries = self.page(admin_client, user)
        assert "Snaps: 0" in empty_page and "Recipes: 0" in empty_page
        SnapFactory.create_batch(3, user=user)
        PostFactory.create_batch(2, user=user)
        RecipeFactory(user=user)
        FollowFactory(follower=UserFactory(), followed=user)
        page, queries = self.page(admin_client, user)
        for expected in ("Snaps: 3", "Posts: 2", "Recipes: 1", "Followers: 1", "Following: 0"):
            assert expected in page
        assert queries == empty_queries

    def test_the_add_page_still_works(self, admin_client):
        assert admin_client.get(reverse("admin:accounts_user_add")).status_code == 200
