import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from pytest_django.asserts import assertContains

from recipes import services
from recipes.models import Recipe
from recipes.steps import minutes_in, split_steps
from recipes.tests.factories import RecipeFactory


def steps(recipe):
    return list(recipe.steps.values_list("text", "minutes"))


@pytest.mark.unit
class TestParsing:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("Chop.\n\nFry for 5 minutes.\n", ["Chop.", "Fry for 5 minutes."]),
            ("1. Chop.\n2) Fry.\nStep 3: Serve.", ["Chop.", "Fry.", "Serve."]),
            ("Chop the\nonions.\n\nFry.", ["Chop the onions.", "Fry."]),
            ("  \n ", []),
        ],
    )
    def test_split_steps(self, text, expected):
        assert split_steps(text) == expected

    @pytest.mark.parametrize(
        ("text", "minutes"),
        [
            ("Bake 25-30 minutes.", 30),
            ("Simmer for 1 hour, then rest 10 mins.", 60),
            ("Serve.", None),
            ("Mix 2 cups.", None),
        ],
    )
    def test_minutes_in(self, text, minutes):
        assert minutes_in(text) == minutes


@pytest.mark.integration
@pytest.mark.django_db
class TestStepsAndTimes:
    DATA = {"title": "Stew", "ingredients": "beef"}

    def test_create_numbers_steps_and_reads_their_times(self, user):
        recipe = services.recipe_create(
            user=user,
            instructions="1. Brown the beef, 10 minutes.\n\n2. Braise 2 hours.",
            prep_time_minutes=15,
            cook_time_minutes=130,
            **self.DATA,
        )
        assert steps(recipe) == [("Brown the beef, 10 minutes.", 10), ("Braise 2 hours.", 120)]
        assert recipe.total_time_minutes == 145  # prep and cook kept apart, total their sum
        assert recipe.instructions == "Brown the beef, 10 minutes.\n\nBraise 2 hours."

    def test_given_total_wins(self, user):
        recipe = services.recipe_create(
            user=user, instructions="Go.", prep_time_minutes=5, total_time_minutes=60, **self.DATA
        )
        assert recipe.total_time_minutes == 60

    def test_migration_turns_instructions_into_steps_and_back(self, user):
        migration = importlib.import_module("recipes.migrations.0004_steps_and_times")
        recipe = Recipe.objects.create(
            user=user, title="Old", ingredients="x", instructions="Boil 5 min.\nServe."
        )
        migration.text_to_steps(apps, None)
        assert steps(recipe) == [("Boil 5 min.", 5), ("Serve.", None)]
        migration.steps_to_text(apps, None)
        recipe.refresh_from_db()
        assert recipe.instructions == "Boil 5 min.\n\nServe."

    def test_api_writes_steps_with_times(self, auth_api_client):
        body = {
            **self.DATA,
            "steps": [{"text": "Sear.", "minutes": 5}, {"text": "Rest."}],
            "prep_time_minutes": 10,
            "cook_time_minutes": 20,
        }
        response = auth_api_client.post("/api/v1/recipes/", body, format="json")
        assert response.status_code == 201, response.json()
        data = response.json()
        assert data["steps"] == [
            {"number": 1, "text": "Sear.", "minutes": 5, "image": None},
            {"number": 2, "text": "Rest.", "minutes": None, "image": None},
        ]
        assert (data["instructions"], data["total_time_minutes"]) == ("Sear.\n\nRest.", 30)

    @pytest.mark.parametrize(
        "body",
        [
            {"steps": []},
            {"steps": [{"text": ""}]},
            {"steps": [{"text": "x", "minutes": 0}]},
            {"steps": [{"text": "x", "minutes": "5"}]},
            {"steps": [{"text": "x", "number": 3}]},
            {"instructions": "x", "prep_time_minutes": -1},
        ],
    )
    def test_api_bad_steps_are_400(self, auth_api_client, body):
        response = auth_api_client.post("/api/v1/recipes/", {**self.DATA, **body}, format="json")
        assert response.status_code == 400
        assert not Recipe.objects.exists()

    def test_web_detail_numbers_steps_with_times(self, client):
        recipe = RecipeFactory(instructions="Chop.\n\nFry 5 minutes.", prep_time_minutes=7)
        response = client.get(recipe.get_absolute_url())
        assertContains(response, '<li id="step-2">Fry 5 minutes. <span class="meta">(5 min)</span>')
        assertContains(response, "prep 7 min")

    def test_web_reorder_and_retime_steps(self, client, user):
        recipe = RecipeFactory(user=user, instructions="First.\n\nSecond.")
        first, second = recipe.steps.all()
        client.force_login(user)
        response = client.post(
            reverse("recipes:steps", args=[recipe.pk]),
            {
                "form-TOTAL_FORMS": "3",
                "form-INITIAL_FORMS": "2",
                "form-0-id": first.pk,
                "form-0-text": "First.",
                "form-0-ORDER": "2",
                "form-1-id": second.pk,
                "form-1-text": "Second.",
                "form-1-minutes": "4",
                "form-1-ORDER": "1",
                "form-2-text": "",
            },
        )
        assert response.status_code == 302, response.context["formset"].errors
        assert steps(recipe) == [("Second.", 4), ("First.", None)]

    def test_admin_steps_inline_writes_the_text(self, admin_client, user):
        recipe = RecipeFactory(user=user, instructions="Old step.")
        (step,) = recipe.steps.all()
        ingredient = recipe.ingredient_rows.first()
        url = reverse("admin:recipes_recipe_change", args=[recipe.pk])
        response = admin_client.post(
            url,
            {
                "user": user.pk,
                "title": recipe.title,
                "ingredients": recipe.ingredients,
                "instructions": recipe.instructions,
                "servings": 4,
                "visibility": "public",
                "created_on_0": "2026-01-01",
                "created_on_1": "10:00:00",
                "ingredient_rows-TOTAL_FORMS": "1",
                "ingredient_rows-INITIAL_FORMS": "1",
                "ingredient_rows-0-id": ingredient.pk,
                "ingredient_rows-0-recipe": recipe.pk,
                "ingredient_rows-0-position": "0",
                "ingredient_rows-0-food": ingredient.food,
                "ingredient_rows-0-original_text": ingredient.original_text,
                "steps-TOTAL_FORMS": "1",
                "steps-INITIAL_FORMS": "1",
                "steps-0-id": step.pk,
                "steps-0-recipe": recipe.pk,
                "steps-0-position": "0",
                "steps-0-text": "New step.",
                "steps-0-minutes": "3",
                "crossposts-TOTAL_FORMS": "0",
                "crossposts-INITIAL_FORMS": "0",
            },
        )
        assert response.status_code == 302
        recipe.refresh_from_db()
        assert recipe.instructions == "New step."
        assert steps(recipe) == [("New step.", 3)]
