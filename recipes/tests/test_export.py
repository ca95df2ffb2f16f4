import json
import re

import pytest
from pytest_django.asserts import assertContains

from recipes.models import Recipe
from recipes.tests.factories import RecipeFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def recipe(user):
    from recipes import services

    return services.recipe_create(
        user=user,
        title="Shakshuka & friends",
        ingredients="1 ½ tbsp olive oil\n6 eggs\n1 (28 oz) can tomatoes, crushed",
        instructions=(
            "Soften onions, 5 minutes.\n\nAdd tomatoes & simmer 10 minutes.\n\nCrack in the eggs."
        ),
        servings=3,
        prep_time_minutes=10,
        cook_time_minutes=25,
        tags=["Brunch", "vegetarian"],
        share_on=[],
    )


def embedded(html: str) -> dict:
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block)


def test_page_embeds_escaped_recipe_json_ld(client, recipe):
    html = client.get(recipe.get_absolute_url()).content.decode()
    data = embedded(html)
    assert data["@type"] == "Recipe"
    assert data["name"] == "Shakshuka & friends"
    assert data["recipeIngredient"][0] == "1 ½ tbsp olive oil"
    assert data["recipeInstructions"][1] == {
        "@type": "HowToStep",
        "position": 2,
        "text": "Add tomatoes & simmer 10 minutes.",
    }
    assert (data["prepTime"], data["cookTime"], data["totalTime"]) == ("PT10M", "PT25M", "PT35M")
    assert data["recipeYield"] == "3"
    assert data["keywords"] == "Brunch, vegetarian"


def test_markup_in_a_title_cannot_end_the_data_block(client):
    recipe = RecipeFactory(title="Toast </script><script>alert(1)</script>")
    html = client.get(recipe.get_absolute_url()).content.decode()
    assert embedded(html)["name"] == "Toast </script><script>alert(1)</script>"
    assert "<script>alert(1)" not in html


def test_download_and_api_give_the_same_json(client, api_client, recipe):
    download = client.get(f"/recipes/{recipe.pk}/recipe.jsonld")
    assert download["Content-Type"].startswith("application/ld+json")
    assert "attachment" in download["Content-Disposition"]
    api = api_client.get(f"/api/v1/recipes/{recipe.pk}/jsonld/", HTTP_ACCEPT="application/ld+json")
    assert api.status_code == 200
    assert api["Content-Type"].startswith("application/ld+json")
    assert json.loads(download.content) == json.loads(api.content)
    page = embedded(client.get(recipe.get_absolute_url()).content.decode())
    assert page == json.loads(download.content)


def test_round_trip_through_the_importer(auth_api_client, client, recipe):
    exported = client.get(f"/recipes/{recipe.pk}/recipe.jsonld").content.decode()
    response = auth_api_client.post("/api/v1/recipes/import/", {"paste": exported}, format="json")
    assert response.status_code == 201, response.json()
    copy = Recipe.objects.exclude(pk=recipe.pk).get()
    fields = (
        "title",
        "ingredients",
        "instructions",
        "servings",
        "prep_time_minutes",
        "cook_time_minutes",
        "total_time_minutes",
    )
    assert [getattr(copy, f) for f in fields] == [getattr(recipe, f) for f in fields]
    assert sorted(t.name for t in copy.tags.all()) == ["Brunch", "vegetarian"]
    assert list(copy.steps.values_list("text", "minutes")) == list(
        recipe.steps.values_list("text", "minutes")
    )
    assert list(copy.ingredient_rows.values_list("quantity", "unit", "food", "note")) == list(
        recipe.ingredient_rows.values_list("quantity", "unit", "food", "note")
    )


def test_missing_recipe_export_is_404(client):
    assert client.get("/recipes/999/recipe.jsonld").status_code == 404


def test_detail_query_count_is_fixed(client, django_assert_num_queries):
    recipe = RecipeFactory()
    with django_assert_num_queries(6):  # recipe, 4 prefetches, rating summary
        client.get(recipe.get_absolute_url())
    assertContains(client.get(recipe.get_absolute_url()), "Download")
