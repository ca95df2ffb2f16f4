"""Usernames: NFKC look-alikes, case-insensitive uniqueness, mixed scripts, racing sign-ups."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.factories import TEST_PASSWORD, UserFactory
from accounts.validators import validate_single_script
from project.tests.concurrency import in_threads, wait_for_lock_waiters

FULL_WIDTH_DEMO = "\uff44\uff45\uff4d\uff4f"  # "demo" in full-width letters
MODIFIER_DEMO = "\u1d48emo"  # modifier letter small d + "emo"
CYRILLIC_A_PAYPAL = "p\u0430ypal"  # Cyrillic a among Latin letters
LOOK_ALIKES = [FULL_WIDTH_DEMO, MODIFIER_DEMO, "DEMO", "Demo"]
USERS_URL = "/api/v1/users/"


def web_signup(client: Client, username: str, email: str | None = None):
    return client.post(
        reverse("account_signup"),
        {
            "username": username,
            "email": email or f"{abs(hash(username))}@example.com",
            "password1": TEST_PASSWORD,
            "password2": TEST_PASSWORD,
        },
    )


def api_signup(client: APIClient, username: str, email: str | None = None):
    return client.post(
        USERS_URL,
        {
            "username": username,
            "email": email or f"{abs(hash(username))}@example.com",
            "password": TEST_PASSWORD,
        },
    )


@pytest.mark.unit
class TestSingleScript:
    @pytest.mark.parametrize(
        "name",
        ["paypal", "ada_1.x@y+z-", "\u0395\u03bb\u03bb\u03b7\u03bd\u03b1\u03c2",  # Greek
         "\u65e5\u672c\u3072\u3089\u30ab\u30ca\u30fc",  # Japanese: kanji, hiragana, katakana
         "\ud55c\uad6d\u6f22\u5b57", "\u02bbokina"],  # Korean hangul + hanja; okina
    )  # fmt: skip
    def test_accepts_names_of_one_writing_system(self, name):
        validate_single_script(name)

    @pytest.mark.parametrize(
        "name", [CYRILLIC_A_PAYPAL, "\u0440aypal", "adm\u0456n", "g\u03bfogle", "a\u65e5"]
    )
    def test_rejects_names_mixing_scripts(self, name):
        with pytest.raises(ValidationError) as raised:
            validate_single_script(name)
        assert raised.value.code == "mixed_script"


@pytest.mark.integration
@pytest.mark.django_db
class TestLookAlikes:
    @pytest.fixture(autouse=True)
    def demo(self):
        return UserFactory(username="demo")

    @pytest.mark.parametrize("name", LOOK_ALIKES)
    def test_web_signup_rejects_a_look_alike_of_a_taken_name(self, client, name):
        response = web_signup(client, name)
        assert response.status_code == 200
        assert "already" in response.context["form"].errors["username"][0]
        assert User.objects.count() == 1

    @pytest.mark.parametrize("name", LOOK_ALIKES)
    def test_api_signup_answers_409_for_a_look_alike(self, api_client, name):
        response = api_signup(api_client, name)
        assert response.status_code == 409
        assert "username" in response.json()["detail"]
        assert User.objects.count() == 1

    def test_a_new_name_is_stored_in_its_normal_form(self, client, api_client):
        assert web_signup(client, "\uff46\uff55\uff4c\uff4c").status_code == 302
        assert api_signup(api_client, "\u1d48ora").status_code == 201
        assert set(User.objects.values_list("username", flat=True)) == {"demo", "full", "dora"}

    def test_the_database_refuses_a_name_differing_only_in_case(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            User.objects.create(username="DeMo", email="other@example.com")

    def test_every_save_stores_the_normal_form(self, demo):
        with pytest.raises(IntegrityError), transaction.atomic():
            User.objects.create(username=FULL_WIDTH_DEMO, email="other@example.com")

    def test_admin_refuses_a_look_alike_and_a_mixed_script_name(self, client):
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
        for name in (FULL_WIDTH_DEMO, "DEMO", CYRILLIC_A_PAYPAL):
            response = client.post(
                reverse("admin:accounts_user_add"),
                {"username": name, "email": "x@example.com", "password1": TEST_PASSWORD,
                 "password2": TEST_PASSWORD, "usable_password": "true"},
            )  # fmt: skip
            assert response.status_code == 200, name
            assert response.context["adminform"].form.errors["username"], name
        assert not User.objects.filter(email="x@example.com").exists()


@pytest.mark.integration
@pytest.mark.django_db
class TestMixedScript:
    def test_web_signup_rejects_it(self, client):
        response = web_signup(client, CYRILLIC_A_PAYPAL)
        assert response.status_code == 200
        assert "scripts" in response.context["form"].errors["username"][0]
        assert not User.objects.exists()

    def test_api_signup_answers_400_on_the_field(self, api_client):
        response = api_signup(api_client, CYRILLIC_A_PAYPAL)
        assert response.status_code == 400
        assert "scripts" in response.json()["username"][0]
        assert not User.objects.exists()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
class TestRacingSignups:
    """Both sign-ups pass validation before either inserts: a third, uncommitted
    insert of the name holds them at the unique index until it is rolled back."""

    def race(self, signup, make_client):
        futures = []
        with transaction.atomic():
            User.objects.create(username="racer", email="holder@example.com")
            futures = in_threads(
                lambda: signup(make_client(), "Racer", "one@example.com"),
                lambda: signup(make_client(), "RACER", "two@example.com"),
            )
            wait_for_lock_waiters(2)
            transaction.set_rollback(True)
        return [future.result(timeout=30) for future in futures]

    def test_web_gives_one_account_and_a_form_error(self):
        responses = self.race(web_signup, Client)
        assert sorted(r.status_code for r in responses) == [200, 302]
        (loser,) = [r for r in responses if r.status_code == 200]
        assert "already exists" in loser.content.decode()
        assert User.objects.filter(username__iexact="racer").count() == 1

    def test_api_gives_one_201_and_one_409(self):
        responses = self.race(api_signup, APIClient)
        assert sorted(r.status_code for r in responses) == [201, 409]
        assert User.objects.filter(username__iexact="racer").count() == 1


@pytest.mark.integration
@pytest.mark.django_db
def test_a_name_that_nfkc_makes_too_long_is_a_400_not_a_500(api_client, client):
    name = "a" * 149 + "\ufb03"  # 150 characters; the ligature ffi becomes 3 letters
    response = api_signup(api_client, name)
    assert response.status_code == 400
    assert "at most 150 characters (it has 152)" in response.json()["username"][0]
    assert web_signup(client, name).status_code == 200
    assert not User.objects.exists()
