import pytest
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


class TestSignup:
    def test_signup_page_renders_the_form(self, client):
        response = client.get(reverse("account_signup"))
        assert response.status_code == 200
        for field in ("username", "email", "password1", "password2"):
            assert f'name="{field}"' in response.content.decode()

    def test_signup_creates_user_and_logs_in(self, client):
        response = client.post(
            reverse("account_signup"),
            {
                "username": "ada",
                "email": "ada@example.com",
                "password1": TEST_PASSWORD,
                "password2": TEST_PASSWORD,
            },
        )
        assert response.status_code == 302
        user = User.objects.get(username="ada")
        assert user.check_password(TEST_PASSWORD)
        assert client.session["_auth_user_id"] == str(user.pk)

    def test_signup_rejects_email_differing_only_in_case(self, client):
        UserFactory(email="ada@example.com")
        response = client.post(
            reverse("account_signup"),
            {
                "username": "ada2",
                "email": "ADA@example.com",
                "password1": TEST_PASSWORD,
                "password2": TEST_PASSWORD,
            },
        )
        assert response.status_code == 200
        assert not User.objects.filter(username="ada2").exists()

    def test_signup_rejects_weak_password(self, client):
        response = client.post(
            reverse("account_signup"),
            {"username": "bob", "email": "b@example.com", "password1": "123", "password2": "123"},
        )
        assert response.status_code == 200
        assert "too short" in response.content.decode()
        assert not User.objects.filter(username="bob").exists()


class TestLogin:
    def test_login_with_username(self, client, user):
        response = client.post(
            reverse("account_login"), {"login": user.username, "password": TEST_PASSWORD}
        )
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(user.pk)

    def test_login_with_email(self, client, user):
        response = client.post(
            reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD}
        )
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(user.pk)

    def test_wrong_password_and_unknown_user_get_the_same_generic_error(self, client, user):
        wrong = client.post(reverse("account_login"), {"login": user.username, "password": "nope"})
        unknown = client.post(reverse("account_login"), {"login": "ghost", "password": "nope"})
        assert wrong.status_code == unknown.status_code == 200
        assert "_auth_user_id" not in client.session
        assert (
            wrong.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()
        )

    def test_authenticated_user_is_redirected_away_from_login(self, client, user):
        client.force_login(user)
        response = client.get(reverse("account_login"))
        assert response.status_code == 302

    def test_failed_logins_are_rate_limited(self, client, settings, user):
        settings.ACCOUNT_RATE_LIMITS = {"login_failed": "100/m/ip,3/5m/key"}
        for _ in range(3):
            client.post(reverse("account_login"), {"login": user.username, "password": "bad"})
        # Even the right password is refused until the window passes.
        response = client.post(
            reverse("account_login"), {"login": user.username, "password": TEST_PASSWORD}
        )
        assert "_auth_user_id" not in client.session
        assert "Too many failed login attempts" in response.content.decode()


class TestLogout:
    def test_logout_by_post_ends_the_session(self, client, user):
        client.force_login(user)
        response = client.post(reverse("account_logout"))
        assert response.status_code == 302
        assert "_auth_user_id" not in client.session

    def test_logout_by_get_does_not_log_out(self, client, user):
        client.force_login(user)
        client.get(reverse("account_logout"))
        assert client.session["_auth_user_id"] == str(user.pk)


def test_home_page_shows_username_in_menu(client, user):
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    assert user.username in response.content.decode()


def test_unknown_page_uses_the_custom_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
