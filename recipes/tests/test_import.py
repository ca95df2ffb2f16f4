import json
from pathlib import Path

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from recipes.models import Recipe
from recipes.tests.fakes import FakeRecipeSite

pytestmark = [pytest.mark.integration, pytest.mark.django_db]
PAGES = Path(__file__).parent / "pages"
IMPORT = "/api/v1/recipes/import/"


def ingredient_rows(recipe):
    return list(recipe.ingredient_rows.values_list("quantity", "unit", "food"))


class TestFromUrl:
    def test_wordpress_recipe_plugin_page(self, auth_api_client, recipe_site):
        url = f"{recipe_site.url}/wordpress_wprm/"
        response = auth_api_client.post(IMPORT, {"url": url}, format="json")
        assert response.status_code == 201, response.json()
        data = response.json()
        assert data["title"] == "Fluffy Buttermilk Pancakes"
        assert (data["servings"], data["prep_time_minutes"], data["cook_time_minutes"]) == (
            4,
            10,
            15,
        )
        assert data["ingredient_rows"][0]["unit"] == "cup"
        assert data["ingredient_rows"][3]["original_text"] == "½ teaspoon salt"
        assert "Cook on a buttered griddle for 2-3 minutes per side." in [
            s["text"] for s in data["steps"]
        ]
        assert set(data["tags"]) >= {"Breakfast", "buttermilk pancakes"}
        recipe = Recipe.objects.get()
        assert recipe.source_url == url
        assert not recipe.crossposts.exists()  # imports are not announced
        assert recipe_site.requests[0].headers["Accept"].startswith("text/html")

    def test_microdata_page(self, auth_api_client, recipe_site):
        response = auth_api_client.post(
            IMPORT, {"url": f"{recipe_site.url}/microdata/"}, format="json"
        )
        assert response.status_code == 201, response.json()
        recipe = Recipe.objects.get()
        assert recipe.title == "Grandma's Lentil Soup"
        assert (recipe.servings, recipe.total_time_minutes) == (6, 75)
        assert [s.minutes for s in recipe.steps.all()] == [10, 45, None]

    def test_a_redirect_to_another_page_of_the_site_is_followed(self, auth_api_client, recipe_site):
        url = recipe_site.redirect("/r/123", "/jsonld_plain/", status=301)
        response = auth_api_client.post(IMPORT, {"url": url}, format="json")
        assert response.status_code == 201, response.json()
        assert response.json()["title"] == "Weeknight Chicken Curry"

    def test_web_form_imports_and_shows_the_recipe(self, client, user, recipe_site):
        client.force_login(user)
        response = client.post(
            reverse("recipes:import"), {"url": f"{recipe_site.url}/jsonld_plain/"}
        )
        recipe = Recipe.objects.get()
        assertRedirects(response, recipe.get_absolute_url())
        assertContains(client.get(recipe.get_absolute_url()), "Imported from")


class TestSsrfGuard:
    @pytest.mark.parametrize(
        "url",
        [
            "http://127.0.0.1:1/",
            "http://localhost/",
            "http://[::1]/",
            "http://10.0.0.8/recipe",
            "http://192.168.1.1/",
            "http://169.254.169.254/latest/meta-data/",
            "http://0.0.0.0/",
            "http://[::ffff:127.0.0.1]/",
            "http://100.64.0.1/",
            "file:///etc/passwd",
            "gopher://example.com/",
            "http://user:secret@example.com/",
        ],
    )
    def test_non_public_addresses_are_refused(self, auth_api_client, url):
        response = auth_api_client.post(IMPORT, {"url": url}, format="json")
        assert response.status_code == 400
        assert response.json()["url"]
        assert not Recipe.objects.exists()

    def test_the_test_server_itself_is_refused_without_the_setting(self, auth_api_client, settings):
        site = FakeRecipeSite().start()
        try:
            settings.URL_FETCH_ALLOWED_HOSTS = []
            response = auth_api_client.post(
                IMPORT, {"url": f"{site.url}/microdata/"}, format="json"
            )
            assert response.status_code == 400
            assert "not a public address" in response.json()["url"][0]
            assert site.requests == []  # refused before connecting
        finally:
            site.stop()

    @pytest.mark.parametrize(
        "location",
        ["http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:9/", "http://[::1]/"],
    )
    def test_redirects_to_private_addresses_are_refused(
        self, auth_api_client, recipe_site, location
    ):
        url = recipe_site.redirect("/go", location)
        response = auth_api_client.post(IMPORT, {"url": url}, format="json")
        assert response.status_code == 400
        assert "not a public address" in response.json()["url"][0]
        assert len(recipe_site.requests) == 1

    def test_redirect_loops_end(self, auth_api_client, recipe_site):
        url = recipe_site.redirect("/loop", "/loop")
        response = auth_api_client.post(IMPORT, {"url": url}, format="json")
        assert response.status_code == 400
        assert "redirects" in response.json()["url"][0]
        assert len(recipe_site.requests) == 6


class TestBounds:
    def test_a_page_over_the_size_limit_is_refused(self, auth_api_client, recipe_site, settings):
        settings.RECIPES_IMPORT_MAX_BYTES = 1000
        response = auth_api_client.post(
            IMPORT, {"url": f"{recipe_site.url}/wordpress_wprm/"}, format="json"
        )
        assert response.status_code == 400
        assert "larger than 1000 bytes" in response.json()["url"][0]

    def test_a_page_without_a_declared_size_is_cut_off(
        self, auth_api_client, recipe_site, settings
    ):
        settings.RECIPES_IMPORT_MAX_BYTES = 1000
        url = recipe_site.page("/endless", b"<p>" + b"x" * 50_000, **{"Content-Length": ""})
        response = auth_api_client.post(IMPORT, {"url": url}, format="json")
        assert response.status_code == 400
        assert "larger than 1000 bytes" in response.json()["url"][0]

    def test_a_slow_site_times_out(self, auth_api_client, recipe_site, settings):
        settings.RECIPES_IMPORT_TIMEOUT_SECONDS = 0.3
        recipe_site.delay = 1.5
        response = auth_api_client.post(
            IMPORT, {"url": f"{recipe_site.url}/microdata/"}, format="json"
        )
        assert response.status_code == 400
        assert "in time" in response.json()["url"][0]

    @pytest.mark.parametrize(
        ("path", "message"), [("/missing/", "answered 404"), ("/plain/", "No recipe")]
    )
    def test_errors_and_pages_without_a_recipe(self, auth_api_client, recipe_site, path, message):
        recipe_site.page("/plain/", b"<html><body><h1>About us</h1></body></html>")
        response = auth_api_client.post(IMPORT, {"url": f"{recipe_site.url}{path}"}, format="json")
        assert response.status_code == 400
        assert message in response.json()["url"][0]


class TestFromPaste:
    def test_pasted_html(self, auth_api_client):
        html = (PAGES / "microdata.html").read_text()
        response = auth_api_client.post(IMPORT, {"paste": html}, format="json")
        assert response.status_code == 201, response.json()
        assert response.json()["source_url"] == ""

    def test_pasted_json_ld_with_a_script_end_inside(self, auth_api_client):
        jsonld = {
            "@context": "https://schema.org",
            "@type": "Recipe",
            "name": "Toast </script><script>alert(1)</script>",
            "recipeIngredient": ["2 slices bread"],
            "recipeInstructions": [{"@type": "HowToStep", "text": "Toast 2 minutes."}],
        }
        response = auth_api_client.post(IMPORT, {"paste": json.dumps(jsonld)}, format="json")
        assert response.status_code == 201, response.json()
        title = response.json()["title"]  # the data block stayed whole; markup is dropped
        assert title.startswith("Toast") and "<script>" not in title
        assert response.json()["ingredient_rows"][0]["food"] == "bread"

    @pytest.mark.parametrize(
        "body",
        [
            {"paste": "{not json"},
            {"paste": "<html><body>no recipe</body></html>"},
            {"paste": "   "},
            {},
            {"url": "https://example.com/", "paste": "<html></html>"},
            {"paste": 5},
            {"url": "x", "extra": 1},
        ],
    )
    def test_bad_pastes_are_400(self, auth_api_client, body):
        assert auth_api_client.post(IMPORT, body, format="json").status_code == 400
        assert not Recipe.objects.exists()

    def test_web_paste_and_login_required(self, client, user):
        url = reverse("recipes:import")
        assert client.get(url).status_code == 302
        client.force_login(user)
        response = client.post(url, {"paste": "<p>nothing</p>"})
        assertContains(response, "No recipe")
        response = client.post(url, {"paste": (PAGES / "jsonld_plain.html").read_text()})
        assert response.status_code == 302

    def test_anonymous_api_import_is_401(self, api_client):
        assert api_client.post(IMPORT, {"paste": "x"}, format="json").status_code == 401
