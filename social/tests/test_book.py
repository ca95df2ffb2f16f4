"""The seven tests of the book's chapter 4, ported to Django."""

import pytest
from django.apps import apps
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import UserFactory
from social import selectors, services
from social.models import Follow


@pytest.mark.unit
def test_app():
    assert apps.get_app_config("social").name == "social"


@pytest.mark.integration
@pytest.mark.django_db
class TestModels:
    def test_create_user_instance(self):
        user = User.objects.create_user(
            username="test_user", email="test@example.com", password="foobarbaz"
        )
        assert user.id is not None
        assert not selectors.user_list_following(user).exists()
        assert selectors.feed_page(user) == ([], None)

    def test_user_relationships(self):
        one, two = UserFactory(username="test1"), UserFactory(username="test2")
        assert not selectors.user_list_following(one).exists()
        assert not selectors.user_list_following(two).exists()

        assert services.follow_create(follower=one, followed=two) is True
        assert selectors.is_following(one, two)
        assert not selectors.is_following(two, one)
        assert selectors.user_list_following(one).count() == 1
        assert services.follow_create(follower=one, followed=two) is False
        assert selectors.user_list_following(one).count() == 1

        assert services.follow_delete(follower=one, followed=two) is True
        assert not selectors.is_following(one, two)
        assert selectors.user_list_following(one).count() == 0
        assert services.follow_delete(follower=one, followed=two) is False

    def test_self_follow_is_refused_by_service_and_database(self):
        user = UserFactory()
        with pytest.raises(ValidationError, match="You cannot follow yourself"):
            services.follow_create(follower=user, followed=user)
        with pytest.raises(IntegrityError), transaction.atomic():
            Follow.objects.create(follower=user, followed=user)

    def test_duplicate_follow_row_is_refused_by_database(self):
        pair = Follow.objects.create(follower=UserFactory(), followed=UserFactory())
        with pytest.raises(IntegrityError), transaction.atomic():
            Follow.objects.create(follower=pair.follower, followed=pair.followed)


@pytest.mark.integration
@pytest.mark.django_db
class TestSignupPages:
    def test_get_user_signup_page(self, client):
        response = client.get(reverse("account_signup"))
        assert response.status_code == 200
        assert "Sign Up" in response.content.decode()

    def test_signup_new_user(self, client):
        response = client.post(
            reverse("account_signup"),
            {
                "username": "test_username",
                "email": "test@example.com",
                "password1": "my test password",
                "password2": "my test password",
            },
        )
        assert response.status_code == 302
        assert "_auth_user_id" in client.session
        assert not [m for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
        user = User.objects.get(username="test_username")
        assert user.email == "test@example.com"
        assert user.password and user.password != "my test password"
        assert user.check_password("my test password")

    def test_signup_invalid_user(self, client):
        response = client.post(
            reverse("account_signup"),
            {"username": "x", "email": "x@example.com", "password1": "my test password",
             "password2": "my test password"},
        )  # fmt: skip
        assert response.status_code == 200
        errors = response.context["form"].errors["username"]
        assert any("at least 3 characters" in error for error in errors)
        assert not User.objects.filter(username="x").exists()

    @pytest.mark.parametrize(
        ("username", "missing"), [("no_email", "email"), ("no_password", "password1")]
    )
    def test_signup_invalid_user_missing_fields(self, client, username, missing):
        data = {"username": username, "email": f"{username}@example.com",
                "password1": "my test password", "password2": "my test password"}  # fmt: skip
        del data[missing]
        response = client.post(reverse("account_signup"), data)
        assert response.status_code == 200
        assert "This field is required." in response.context["form"].errors[missing]
        assert not User.objects.filter(username=username).exists()
