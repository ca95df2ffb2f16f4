import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from pytest_django.asserts import assertContains

from recipes import services
from recipes.models import Ingredient, Recipe
from recipes.tests.factories import RecipeFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

DATA = {"title": "Pancakes", "instructions": "Whisk. Fry."}


def rows(recipe):
    return list(
        recipe.ingredient_rows.values_list("quantity", "quantity_max", "unit", "food", "note")
    )


class TestService:
    def test_create_parses_pasted_lines_into_rows(self, user):
        recipe = services.recipe_create(
            user=user, ingredients="1 1/2 cups flour, sifted\n2-3 eggs\n\nsalt", **DATA
        )
        assert rows(recipe) == [
            (Decimal("1.500"), None, "cup", "flour", "sifted"),
            (Decimal("2.000"), Decimal("3.000"), "", "eggs", ""),
            (None, None, "", "salt", ""),
        ]
        assert recipe.ingredients == "1 1/2 cups flour, sifted\n2-3 eggs\nsalt"

    def test_corrections_replace_rows_and_rewrite_the_text(self, user):
        recipe = services.recipe_create(user=user, ingredients="2 eggs\nflour", **DATA)
        services.ingredients_set(
            recipe=recipe,
            by=user,
            rows=[
                {"quantity": Decimal("2"), "food": "eggs", "original_text": "2 eggs"},
                {"quantity": Decimal("250"), "unit": "g", "food": "flour"},
            ],
        )
        recipe.refresh_from_db()
        assert recipe.ingredients == "2 eggs\n250 g flour"
        assert [r.position for r in recipe.ingredient_rows.all()] == [0, 1]

    def test_bad_range_is_refused_and_nothing_changes(self, user):
        from django.core.exceptions import ValidationError

        recipe = services.recipe_create(user=user, ingredients="2 eggs", **DATA)
        with pytest.raises(ValidationError):
            services.ingredients_set(
                recipe=recipe,
                by=user,
                rows=[{"quantity": Decimal("3"), "quantity_max": Decimal("2"), "food": "eggs"}],
            )
        assert rows(recipe) == [(Decimal("2.000"), None, "", "eggs", "")]

    def test_only_the_author_corrects(self, user, other_user):
        from django.core.exceptions import PermissionDenied

        recipe = services.recipe_create(user=user, ingredients="2 eggs", **DATA)
        with pytest.raises(PermissionDenied):
            services.ingredients_set(recipe=recipe, by=other_user, rows=[{"food": "x"}])

    def test_editing_the_text_parses_again(self, user):
        recipe = services.recipe_create(user=user, ingredients="2 eggs", **DATA)
        services.recipe_update(recipe=recipe, by=user, ingredients="3 eggs\n1 l milk")
        assert rows(recipe)[1] == (Decimal("1.000"), None, "l", "milk", "")


class TestMigration:
    def test_free_text_becomes_rows_and_back(self, user):
        migration = importlib.import_module("recipes.migrations.0003_ingredient")
        recipe = Recipe.objects.create(
            user=user, title="Old", ingredients="½ cup sugar\n2 eggs", instructions="Mix."
        )
        migration.text_to_rows(apps, None)
        assert rows(recipe) == [
            (Decimal("0.500"), None, "cup", "sugar", ""),
            (Decimal("2.000"), None, "", "eggs", ""),
        ]
        Recipe.objects.filter(pk=recipe.pk).update(ingredients="")
        migration.rows_to_text(apps, None)
        recipe.refresh_from_db()
        assert recipe.ingredients == "½ cup sugar\n2 eggs"


class TestApi:
    def test_create_with_text_returns_rows(self, auth_api_client):
        response = auth_api_client.post(
            "/api/v1/recipes/", {**DATA, "ingredients": "200 g flour"}, format="json"
        )
        assert response.status_code == 201, response.json()
        assert response.json()["ingredient_rows"] == [
            {
                "quantity": "200.000",
                "quantity_max": None,
                "unit": "g",
                "food": "flour",
                "note": "",
                "original_text": "200 g flour",
            }
        ]

    def test_create_with_rows_builds_the_text(self, auth_api_client):
        body = {**DATA, "ingredient_rows": [{"quantity": "1.5", "unit": "cup", "food": "milk"}]}
        response = auth_api_client.post("/api/v1/recipes/", body, format="json")
        assert response.status_code == 201, response.json()
        assert response.json()["ingredients"] == "1 1/2 cup milk"

    @pytest.mark.parametrize(
        ("row", "field"),
        [
            ({"quantity": "3", "quantity_max": "2", "food": "eggs"}, "quantity_max"),
            ({"quantity": "-1", "food": "eggs"}, "quantity"),
            ({"quantity": "abc", "food": "eggs"}, "quantity"),
            ({"food": "eggs", "colour": "red"}, "colour"),
            ({"note": "only a note"}, "food"),
        ],
    )
    def test_bad_rows_are_400_naming_the_field(self, auth_api_client, row, field):
        body = {**DATA, "ingredient_rows": [row]}
        response = auth_api_client.post("/api/v1/recipes/", body, format="json")
        assert response.status_code == 400
        errors = response.json()["ingredient_rows"]  # DRF keys a list's errors by index
        assert field in (errors[0] if isinstance(errors, list) else errors["0"])
        assert not Recipe.objects.exists()

    def test_no_ingredients_at_all_is_400(self, auth_api_client):
        response = auth_api_client.post("/api/v1/recipes/", DATA, format="json")
        assert response.status_code == 400
        assert "ingredients" in response.json()
        body = {**DATA, "ingredient_rows": []}
        assert (
            "ingredient_rows"
            in auth_api_client.post("/api/v1/recipes/", body, format="json").json()
        )

    def test_patch_rows(self, auth_api_client, user):
        recipe = RecipeFactory(user=user, ingredients="2 eggs")
        response = auth_api_client.patch(
            f"/api/v1/recipes/{recipe.pk}/",
            {"ingredient_rows": [{"quantity": "3", "food": "eggs"}]},
            format="json",
        )
        assert response.status_code == 200, response.json()
        assert rows(recipe) == [(Decimal("3.000"), None, "", "eggs", "")]


class TestWeb:
    def test_detail_shows_structured_rows(self, client):
        recipe = RecipeFactory(ingredients="1 1/2 cups flour, sifted")
        response = client.get(recipe.get_absolute_url())
        assertContains(response, '<span class="quantity">1 1/2</span> cup <strong>flour</strong>')

    def test_owner_corrects_a_row_and_deletes_another(self, client, user):
        recipe = RecipeFactory(user=user, ingredients="2 eggz\nsalt")
        first, second = recipe.ingredient_rows.all()
        client.force_login(user)
        url = reverse("recipes:ingredients", args=[recipe.pk])
        assertContains(client.get(url), "eggz")
        form = {
            "form-TOTAL_FORMS": "3",
            "form-INITIAL_FORMS": "2",
            "form-0-id": first.pk,
            "form-0-quantity": "2",
            "form-0-food": "eggs",
            "form-0-original_text": "2 eggz",
            "form-1-id": second.pk,
            "form-1-food": "salt",
            "form-1-original_text": "salt",
            "form-1-DELETE": "on",
            "form-2-quantity": "100",
            "form-2-unit": "g",
            "form-2-food": "sugar",
        }
        response = client.post(url, form)
        assert response.status_code == 302, response.context["formset"].errors
        assert rows(recipe) == [
            (Decimal("2.000"), None, "", "eggs", ""),
            (Decimal("100.000"), None, "g", "sugar", ""),
        ]
        recipe.refresh_from_db()
        assert recipe.ingredients == "2 eggz\n100 g sugar"

    def test_bad_quantity_shows_the_form_again(self, client, user):
        recipe = RecipeFactory(user=user, ingredients="2 eggs")
        client.force_login(user)
        (row,) = recipe.ingredient_rows.all()
        response = client.post(
            reverse("recipes:ingredients", args=[recipe.pk]),
            {
                "form-TOTAL_FORMS": "1",
                "form-INITIAL_FORMS": "1",
                "form-0-id": row.pk,
                "form-0-quantity": "3",
                "form-0-quantity_max": "1",
                "form-0-food": "eggs",
            },
        )
        assert response.status_code == 200
        assert Ingredient.objects.get().quantity == Decimal("2")

    def test_others_get_404(self, client, other_user):
        recipe = RecipeFactory()
        client.force_login(other_user)
        assert client.get(reverse("recipes:ingredients", args=[recipe.pk])).status_code == 404


class TestAdmin:
    def test_admin_text_is_parsed_into_rows(self, admin_client, user):
        response = admin_client.post(
            reverse("admin:recipes_recipe_add"),
            {
                "user": user.pk,
                "title": "From admin",
                "ingredients": "2 tbsp butter",
                "instructions": "Melt.",
                "visibility": "public",
                "created_on_0": "2026-01-01",
                "created_on_1": "10:00:00",
                "ingredient_rows-TOTAL_FORMS": "0",
                "ingredient_rows-INITIAL_FORMS": "0",
                "steps-TOTAL_FORMS": "0",
                "steps-INITIAL_FORMS": "0",
                "crossposts-TOTAL_FORMS": "0",
                "crossposts-INITIAL_FORMS": "0",
            },
        )
        assert response.status_code == 302, response.context["adminform"].errors
        recipe = Recipe.objects.get(title="From admin")
        assert rows(recipe) == [(Decimal("2.000"), None, "tbsp", "butter", "")]
