import pytest
from pytest_django.asserts import assertContains

from recipes.tests.factories import RecipeFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def recipe():
    return RecipeFactory(servings=4, ingredients="2 cups milk\n200 g flour\n2-3 eggs\nsalt")


class TestApi:
    def test_scaled_to_six_servings_in_metric(self, api_client, recipe, django_assert_num_queries):
        with django_assert_num_queries(6):  # recipe + 5 prefetches
            response = api_client.get(
                f"/api/v1/recipes/{recipe.pk}/scaled/", {"servings": 6, "units": "metric"}
            )
        assert response.status_code == 200
        data = response.json()
        assert (data["servings"], data["units"]) == (6, "metric")
        assert [
            (i["quantity_text"], i["quantity_max"], i["unit"], i["food"])
            for i in data["ingredients"]
        ] == [
            ("710", None, "ml", "milk"),
            ("300", None, "g", "flour"),
            ("3-4 1/2", "4.500", "", "eggs"),
            ("", None, "", "salt"),
        ]

    def test_us_units_without_scaling(self, api_client, recipe):
        data = api_client.get(f"/api/v1/recipes/{recipe.pk}/scaled/", {"units": "us"}).json()
        assert data["servings"] == 4
        assert data["ingredients"][1]["quantity_text"] == "7"
        assert data["ingredients"][1]["unit"] == "oz"

    @pytest.mark.parametrize(
        "query", [{"servings": 0}, {"servings": "x"}, {"servings": 100000}, {"units": "imperial"}]
    )
    def test_bad_parameters_are_400(self, api_client, recipe, query):
        response = api_client.get(f"/api/v1/recipes/{recipe.pk}/scaled/", query)
        assert response.status_code == 400
        assert set(response.json()) == set(query)


class TestWeb:
    def test_page_scales_and_converts(self, client, recipe):
        response = client.get(recipe.get_absolute_url(), {"servings": 2, "units": "us"})
        assertContains(response, "for 2")
        assertContains(response, '<span class="quantity">1</span> cup <strong>milk</strong>')
        assertContains(response, '<span class="quantity">3 1/2</span> oz <strong>flour</strong>')

    def test_bad_servings_shows_an_error_and_the_recipe_as_written(self, client, recipe):
        response = client.get(recipe.get_absolute_url(), {"servings": "-1"})
        assert response.status_code == 200
        assertContains(response, '<span class="quantity">2</span> cup <strong>milk</strong>')
        assert response.context["scale_form"].errors["servings"]
