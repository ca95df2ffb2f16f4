from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from accounts.tests.factories import UserFactory
from recipes.models import Cooked, Favourite, Rating, Recipe
from recipes.tests.factories import RecipeFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def recipe(other_user):
    return RecipeFactory(user=other_user)


class TestApi:
    def test_rate_change_and_remove(self, auth_api_client, recipe):
        url = f"/api/v1/recipes/{recipe.pk}/rating/"
        assert auth_api_client.post(url, {"stars": 4}, format="json").json()["my_stars"] == 4
        data = auth_api_client.post(url, {"stars": 2}, format="json").json()
        assert (data["my_stars"], data["average_stars"], data["rating_count"]) == (2, 2.0, 1)
        assert auth_api_client.delete(url).json()["rating_count"] == 0

    @pytest.mark.parametrize(
        "body", [{"stars": 0}, {"stars": 6}, {"stars": "5"}, {}, {"stars": 3, "x": 1}]
    )
    def test_bad_stars_are_400(self, auth_api_client, recipe, body):
        response = auth_api_client.post(f"/api/v1/recipes/{recipe.pk}/rating/", body, format="json")
        assert response.status_code == 400
        assert not Rating.objects.exists()

    def test_own_recipe_cannot_be_rated(self, auth_api_client, user):
        mine = RecipeFactory(user=user)
        response = auth_api_client.post(
            f"/api/v1/recipes/{mine.pk}/rating/", {"stars": 5}, format="json"
        )
        assert response.status_code == 400
        assert response.json()["stars"]

    def test_favourite_and_list_favourites(self, auth_api_client, recipe):
        url = f"/api/v1/recipes/{recipe.pk}/favourite/"
        assert auth_api_client.post(url).json()["favourite"] is True
        assert auth_api_client.post(url).status_code == 200  # twice is once
        assert Favourite.objects.count() == 1
        listed = auth_api_client.get("/api/v1/recipes/favourites/").json()["results"]
        assert [r["id"] for r in listed] == [recipe.pk]
        assert auth_api_client.delete(url).json()["favourite"] is False

    def test_cooked_with_a_date(self, auth_api_client, recipe):
        url = f"/api/v1/recipes/{recipe.pk}/cooked/"
        response = auth_api_client.post(
            url, {"cooked_on": "2026-03-01", "note": "Less salt"}, format="json"
        )
        assert response.status_code == 201, response.json()
        assert response.json()["cooked_on"] == "2026-03-01"
        today = auth_api_client.post(url, {}, format="json").json()
        assert today["cooked_on"] == timezone.localdate().isoformat()
        reactions = auth_api_client.get(f"/api/v1/recipes/{recipe.pk}/reactions/").json()
        assert [c["cooked_on"] for c in reactions["cooked"]] == [today["cooked_on"], "2026-03-01"]

    @pytest.mark.parametrize(
        "body",
        [
            {"cooked_on": "yesterday"},
            {"cooked_on": (date.today() + timedelta(days=3)).isoformat()},
            {"note": "x" * 501},
        ],
    )
    def test_bad_cooked_input_is_400(self, auth_api_client, recipe, body):
        response = auth_api_client.post(f"/api/v1/recipes/{recipe.pk}/cooked/", body, format="json")
        assert response.status_code == 400
        assert not Cooked.objects.exists()

    def test_anonymous_reads_reactions_but_cannot_react(self, api_client, recipe):
        assert api_client.get(f"/api/v1/recipes/{recipe.pk}/reactions/").json()["my_stars"] is None
        assert api_client.post(f"/api/v1/recipes/{recipe.pk}/favourite/").status_code == 401

    def test_private_recipes_of_others_cannot_be_reacted_to(self, auth_api_client, other_user):
        private = RecipeFactory(user=other_user, visibility=Recipe.Visibility.PRIVATE)
        assert auth_api_client.post(f"/api/v1/recipes/{private.pk}/favourite/").status_code == 404


class TestWeb:
    def test_buttons_rate_favourite_and_cook(self, client, user, recipe):
        client.force_login(user)
        url = reverse("recipes:react", args=[recipe.pk])
        client.post(url, {"action": "rate", "stars": "5"})
        client.post(url, {"action": "favourite"})
        client.post(url, {"action": "cooked", "cooked_on": "2026-02-14", "note": "Date night"})
        page = client.get(recipe.get_absolute_url())
        assertContains(page, "★ 5.0 from 1 rating")
        assertContains(page, 'aria-pressed="true"')
        assertContains(page, "Cooked on 14 Feb 2026: Date night")
        assertContains(client.get(reverse("recipes:favourites")), recipe.title)

    def test_bad_values_are_messages_not_errors(self, client, user, recipe):
        client.force_login(user)
        url = reverse("recipes:react", args=[recipe.pk])
        response = client.post(url, {"action": "rate", "stars": "9"}, follow=True)
        assertContains(response, "Choose from 1 to 5 stars.")
        assert client.post(url, {"action": "explode"}).status_code == 400
        assert not Rating.objects.exists()

    def test_favourites_page_needs_login_and_hides_lost_access(self, client, user):
        assert client.get(reverse("recipes:favourites")).status_code == 302
        gone = RecipeFactory(user=UserFactory(), visibility=Recipe.Visibility.PRIVATE)
        Favourite.objects.create(user=user, recipe=gone)
        client.force_login(user)
        assert list(client.get(reverse("recipes:favourites")).context["recipes"]) == []
