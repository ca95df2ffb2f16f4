"""One brute-force policy for the web login, the admin, HTTP Basic and /auth/token/."""

import base64

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.bruteforce import FailureRate, parse_rates
from accounts.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

ME_URL = "/api/v1/users/me/"
TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture
def per_account(settings):
    settings.LOGIN_FAILED_RATE = "100/m/ip,3/5m/key"


@pytest.fixture
def per_ip(settings):
    settings.LOGIN_FAILED_RATE = "3/m/ip,100/5m/key"


def web_login(client, username, password, next_url=""):
    url = reverse("account_login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"login": username, "password": password})


def basic(username, password) -> APIClient:
    client = APIClient()
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    client.credentials(HTTP_AUTHORIZATION=f"Basic {token}")
    return client


def token(username, password):
    return APIClient().post(TOKEN_URL, {"username": username, "password": password})


def assert_api_429(response):
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"].startswith("Too many failed login attempts.")
    assert 1 <= int(response["Retry-After"]) <= 300


def assert_web_429(response):
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 300
    assert b"Too many attempts" in response.content


class TestWebLogin:
    def test_blocked_with_429_after_the_failures_even_with_the_right_password(
        self, client, user, per_account
    ):
        for _ in range(3):
            assert web_login(client, user.username, "wrong").status_code == 200
        assert_web_429(web_login(client, user.username, TEST_PASSWORD))
        assert "_auth_user_id" not in client.session

    def test_per_ip_across_accounts(self, client, per_ip):
        for n in range(3):
            web_login(client, f"nobody{n}", "wrong")
        assert_web_429(web_login(client, "someone-else", "wrong"))

    def test_successful_logins_do_not_count(self, client, user, per_account):
        for _ in range(5):
            assert web_login(client, user.username, TEST_PASSWORD).status_code == 302
            client.logout()


class TestAdminLogin:
    def test_admin_login_form_no_longer_checks_passwords(self, client, per_account):
        admin = UserFactory(is_staff=True, is_superuser=True)
        response = client.post(
            "/admin/login/?next=/admin/", {"username": admin.username, "password": TEST_PASSWORD}
        )
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert "_auth_user_id" not in client.session

    def test_admin_sign_in_goes_through_the_limited_web_login(self, client, per_account):
        admin = UserFactory(is_staff=True, is_superuser=True)
        for _ in range(3):
            web_login(client, admin.username, "wrong", next_url="/admin/")
        assert_web_429(web_login(client, admin.username, TEST_PASSWORD, next_url="/admin/"))
        assert client.get("/admin/").status_code == 302  # still signed out

    def test_staff_signs_in_through_the_web_login(self, client):
        admin = UserFactory(is_staff=True, is_superuser=True)
        response = web_login(client, admin.username, TEST_PASSWORD, next_url="/admin/")
        assert response["Location"] == "/admin/"
        assert client.get("/admin/").status_code == 200


class TestHttpBasic:
    def test_blocked_with_json_429_after_the_failures(self, user, per_account):
        for _ in range(3):
            assert basic(user.username, "wrong").get(ME_URL).status_code == 401
        assert_api_429(basic(user.username, TEST_PASSWORD).get(ME_URL))

    def test_per_ip_across_accounts(self, per_ip):
        for n in range(3):
            basic(f"nobody{n}", "wrong").get(ME_URL)
        assert_api_429(basic("someone-else", "wrong").get(ME_URL))

    def test_a_client_sending_the_right_password_every_time_is_never_blocked(
        self, user, per_account
    ):
        client = basic(user.username, TEST_PASSWORD)
        for _ in range(10):
            assert client.get(ME_URL).status_code == 200


class TestTokenObtain:
    def test_blocked_with_json_429_after_the_failures(self, user, per_account):
        for _ in range(3):
            assert token(user.username, "wrong").status_code == 400
        assert_api_429(token(user.username, TEST_PASSWORD))

    def test_per_ip_across_accounts(self, per_ip):
        for n in range(3):
            token(f"nobody{n}", "wrong")
        assert_api_429(token("someone-else", "wrong"))


def test_failures_on_any_path_count_toward_the_same_limit(client, user, per_account):
    web_login(client, user.username, "wrong")
    basic(user.username, "wrong").get(ME_URL)
    token(user.username.upper(), "wrong")  # login names count case-insensitively
    assert_api_429(basic(user.username, TEST_PASSWORD).get(ME_URL))
    assert_web_429(web_login(client, user.username, TEST_PASSWORD))


@pytest.mark.unit
class TestParseRates:
    def test_allauth_syntax(self):
        assert parse_rates("10/m/ip, 5/5m/key,1/30s/key,2/h/ip") == (
            FailureRate(10, 60, "ip"),
            FailureRate(5, 300, "key"),
            FailureRate(1, 30, "key"),
            FailureRate(2, 3600, "ip"),
        )

    @pytest.mark.parametrize("bad", ["10/m", "x/m/ip", "10/m/user", "10/5w/key"])
    def test_bad_rates_are_refused(self, bad):
        with pytest.raises(ValueError):
            parse_rates(bad)


def test_a_bad_rate_fails_the_system_checks(settings):
    from accounts.checks import login_failed_rate_check

    settings.LOGIN_FAILED_RATE = "5 per minute"
    assert [error.id for error in login_failed_rate_check(None)] == ["accounts.E001"]
    settings.LOGIN_FAILED_RATE = "10/m/ip,5/5m/key"
    assert login_failed_rate_check(None) == []
