"""Recipe search: the API's `?search=` and the list page's `?q=`, ranked by field."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from recipes.tests.factories import RecipeFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

API_URL = "/api/v1/recipes/"
LIST_URL = reverse("recipes:list")


def make_recipes():
    in_steps = RecipeFactory(title="Stew", ingredients="beef", instructions="Add the leeks.")
    in_ingredients = RecipeFactory(title="Soup", ingredients="leeks\nwater")
    in_title = RecipeFactory(title="Leek pie", ingredients="flour")
    RecipeFactory(title="Salad", ingredients="lettuce", instructions="Toss.")
    return [in_title, in_ingredients, in_steps]


def test_api_ranks_title_then_ingredients_then_instructions(api_client):
    expected = make_recipes()
    response = api_client.get(API_URL, {"search": "leek"})  # stemmed: finds "leeks" too
    assert [r["id"] for r in response.json()["results"]] == [r.id for r in expected]


def test_api_search_combines_with_filters(api_client):
    RecipeFactory(title="Leek soup", servings=2)
    wanted = RecipeFactory(title="Leek gratin", servings=6)
    RecipeFactory(title="Salad", ingredients="lettuce", servings=6)
    response = api_client.get(API_URL, {"search": "leek", "servings__gte": 4})
    assert [r["id"] for r in response.json()["results"]] == [wanted.id]


def test_api_too_long_is_a_400(api_client, settings):
    response = api_client.get(API_URL, {"search": "x" * (settings.SEARCH_MAX_QUERY_CHARS + 1)})
    assert response.status_code == 400 and "search" in response.json()


def test_page_has_a_search_box_and_ranked_results(client):
    expected = make_recipes()
    response = client.get(LIST_URL, {"q": "leek"})
    assertContains(response, 'role="search"')
    assert list(response.context["recipes"]) == expected


def test_page_search_keeps_the_author_on_page_links(client, user):
    RecipeFactory.create_batch(21, user=user, title="Leek soup")
    response = client.get(LIST_URL, {"q": "leek", "user": user.username})
    assertContains(response, f'href="?q=leek&amp;user={user.username}&amp;page=2"')


def test_page_without_a_match_says_so(client):
    RecipeFactory(title="Salad", ingredients="lettuce")
    assertContains(client.get(LIST_URL, {"q": "leek"}), "No recipe matches “leek”.")
