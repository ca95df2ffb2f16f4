from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from recipes import services
from recipes.models import Recipe, ShoppingItem, ShoppingList
from recipes.tests.factories import RecipeFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def pancakes(other_user):
    return RecipeFactory(
        user=other_user, servings=4, ingredients="2 cups milk\n200 g flour\n2 eggs\nsalt"
    )


@pytest.fixture
def crepes(other_user):
    return RecipeFactory(
        user=other_user, servings=2, ingredients="250 ml Milk\n100 g flour\n1 egg\n2 eggs"
    )


def items(shopping_list):
    return [
        (item.food.lower(), item.quantity, item.unit)
        for item in ShoppingItem.objects.filter(shopping_list=shopping_list)
    ]


class TestService:
    def test_same_food_is_summed_after_conversion(self, user, pancakes, crepes):
        shopping_list = services.shopping_list_create(
            user=user, recipes=[(pancakes, 2), (crepes, 4)]
        )
        assert items(shopping_list) == [
            ("milk", Decimal("3.113"), "cup"),  # 1 cup + 500 ml
            ("flour", Decimal("300.000"), "g"),
            ("eggs", Decimal("7.000"), ""),  # 1 + (1 egg + 2 eggs) x 2: one line
            ("salt", None, ""),
        ]

    def test_ticks_survive_adding_another_recipe(self, user, pancakes, crepes):
        shopping_list = services.shopping_list_create(user=user, recipes=[(pancakes, 4)])
        salt = shopping_list.items.get(food="salt")
        services.shopping_item_check(item=salt, by=user, checked=True)
        services.shopping_list_add_recipe(
            shopping_list=shopping_list, by=user, recipe=crepes, servings=2
        )
        assert shopping_list.items.get(food="salt").checked
        assert not shopping_list.items.get(food="milk").checked

    def test_recipes_the_owner_lost_access_to_are_left_out(self, user, pancakes, crepes):
        shopping_list = services.shopping_list_create(user=user, recipes=[(pancakes, 4)])
        Recipe.objects.filter(pk=pancakes.pk).update(visibility=Recipe.Visibility.PRIVATE)
        services.shopping_list_add_recipe(
            shopping_list=shopping_list, by=user, recipe=crepes, servings=2
        )
        assert ("salt", None, "") not in items(shopping_list)


class TestApi:
    def test_create_add_tick_remove_and_delete(self, auth_api_client, pancakes, crepes):
        response = auth_api_client.post(
            "/api/v1/shopping-lists/",
            {"name": "Saturday", "recipes": [{"recipe": pancakes.pk, "servings": 8}]},
            format="json",
        )
        assert response.status_code == 201, response.json()
        data = response.json()
        assert data["entries"] == [{"recipe": pancakes.pk, "title": pancakes.title, "servings": 8}]
        milk = next(item for item in data["items"] if item["food"] == "milk")
        assert (milk["quantity"], milk["unit"]) == ("4.000", "cup")
        pk = data["id"]
        added = auth_api_client.post(
            f"/api/v1/shopping-lists/{pk}/recipes/",
            {"recipe": crepes.pk, "servings": 2},
            format="json",
        )
        assert len(added.json()["entries"]) == 2
        # items are rebuilt when recipes change: use the current id
        current = next(i for i in added.json()["items"] if i["food"] == "milk")
        ticked = auth_api_client.patch(
            f"/api/v1/shopping-lists/{pk}/items/{current['id']}/", {"checked": True}, format="json"
        )
        assert ticked.status_code == 200 and ticked.json()["checked"] is True
        removed = auth_api_client.delete(f"/api/v1/shopping-lists/{pk}/recipes/{crepes.pk}/")
        assert [e["recipe"] for e in removed.json()["entries"]] == [pancakes.pk]
        assert auth_api_client.delete(f"/api/v1/shopping-lists/{pk}/").status_code == 204
        assert not ShoppingList.objects.exists()

    @pytest.mark.parametrize(
        "body",
        [
            {"recipes": [{"recipe": 999999, "servings": 2}]},
            {"recipes": [{"recipe": 1, "servings": 0}]},
            {"recipes": [{"recipe": 1}]},
            {"name": "x" * 101},
            {"owner": 1},
        ],
    )
    def test_bad_input_is_400(self, auth_api_client, body):
        assert (
            auth_api_client.post("/api/v1/shopping-lists/", body, format="json").status_code == 400
        )
        assert not ShoppingList.objects.exists()

    def test_others_lists_are_404_and_anonymous_401(self, auth_api_client, api_client, other_user):
        theirs = services.shopping_list_create(user=other_user)
        assert auth_api_client.get(f"/api/v1/shopping-lists/{theirs.pk}/").status_code == 404
        assert auth_api_client.get("/api/v1/shopping-lists/").json()["results"] == []
        assert api_client.get("/api/v1/shopping-lists/").status_code == 401

    def test_private_recipes_of_others_cannot_be_picked(self, auth_api_client, other_user):
        private = RecipeFactory(user=other_user, visibility=Recipe.Visibility.PRIVATE)
        body = {"recipes": [{"recipe": private.pk, "servings": 2}]}
        assert (
            auth_api_client.post("/api/v1/shopping-lists/", body, format="json").status_code == 400
        )


class TestWeb:
    def test_add_from_the_recipe_page_then_tick_off(self, client, user, pancakes):
        client.force_login(user)
        assertContains(client.get(pancakes.get_absolute_url()), "Add to shopping list")
        response = client.post(
            reverse("recipes:shop", args=[pancakes.pk]), {"servings": "2", "shopping_list": "0"}
        )
        shopping_list = ShoppingList.objects.get()
        assert response.url == shopping_list.get_absolute_url()
        page = client.get(shopping_list.get_absolute_url())
        assertContains(page, '<span class="quantity">1</span> cup milk')
        item = shopping_list.items.get(food="milk")
        client.post(reverse("recipes:shopping-toggle", args=[item.pk]))
        item.refresh_from_db()
        assert item.checked
        assertContains(client.get(shopping_list.get_absolute_url()), 'aria-pressed="true"')

    def test_lists_page_and_others_lists(self, client, user, other_user):
        client.force_login(user)
        client.post(reverse("recipes:shopping"), {"name": "Party"})
        assertContains(client.get(reverse("recipes:shopping")), "Party")
        theirs = services.shopping_list_create(user=other_user)
        assert client.get(theirs.get_absolute_url()).status_code == 404
        item_url = reverse("recipes:shopping-toggle", args=[999999])
        assert client.post(item_url).status_code == 404

    def test_bad_servings_is_a_message(self, client, user, pancakes):
        client.force_login(user)
        response = client.post(
            reverse("recipes:shop", args=[pancakes.pk]), {"servings": "0"}, follow=True
        )
        assertContains(response, "Choose from 1 to 1000 servings.")
        assert not ShoppingList.objects.exists()
