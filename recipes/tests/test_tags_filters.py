import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from pytest_django.asserts import assertContains

from recipes import services
from recipes.models import Recipe, Tag
from recipes.tests.factories import RecipeFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

DATA = {"title": "Dal", "ingredients": "lentils", "instructions": "Simmer."}


def tagged(*names, **fields):
    recipe = RecipeFactory(**fields)
    recipe.tags.set(services.tags_for_names(list(names)))
    return recipe


class TestTags:
    def test_names_are_one_tag_whatever_the_case(self, user):
        recipe = services.recipe_create(
            user=user, tags=["Vegan", "vegan", " quick  dinner "], **DATA
        )
        assert sorted(t.name for t in recipe.tags.all()) == ["Vegan", "quick dinner"]
        services.recipe_create(user=user, tags=["VEGAN"], **DATA)
        assert Tag.objects.count() == 2

    @pytest.mark.parametrize("names", [["x" * 51], ["!!!"], [f"t{i}" for i in range(21)]])
    def test_bad_tags_are_refused_and_nothing_is_saved(self, user, names):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError):
            services.recipe_create(user=user, tags=names, **DATA)
        assert not Recipe.objects.exists()

    def test_tag_page_lists_its_recipes_and_tag_index_links_it(self, client):
        soup = tagged("Soup")
        other = RecipeFactory()
        response = client.get(reverse("recipes:tag", args=["soup"]))
        assertContains(response, "Recipes tagged “Soup”")
        assert list(response.context["recipes"]) == [soup]
        assert other not in response.context["recipes"]
        assertContains(client.get(reverse("recipes:tags")), 'href="/recipes/tags/soup/"')
        assert client.get(reverse("recipes:tag", args=["nope"])).status_code == 404

    def test_web_form_takes_comma_separated_tags(self, client, user):
        client.force_login(user)
        client.post(reverse("recipes:create"), {**DATA, "tags": "Curry, weeknight"})
        recipe = Recipe.objects.get()
        assert sorted(recipe.tags.values_list("slug", flat=True)) == ["curry", "weeknight"]
        assertContains(client.get(reverse("recipes:update", args=[recipe.pk])), "Curry, weeknight")

    def test_api_reads_and_writes_tag_names(self, auth_api_client, api_client):
        response = auth_api_client.post(
            "/api/v1/recipes/", {**DATA, "tags": ["Indian"]}, format="json"
        )
        assert response.status_code == 201
        assert response.json()["tags"] == ["Indian"]
        assert api_client.get("/api/v1/recipes/tags/").json()["results"] == [
            {"name": "Indian", "slug": "indian", "recipe_count": 1}
        ]
        bad = auth_api_client.post("/api/v1/recipes/", {**DATA, "tags": [3]}, format="json")
        assert bad.status_code == 400


class TestFilters:
    def test_web_filters_by_tag_time_and_servings(self, client):
        quick = tagged("Quick", total_time_minutes=10, servings=2)
        tagged("Quick", total_time_minutes=90, servings=2)
        tagged("Slow", total_time_minutes=10, servings=4)
        response = client.get(
            reverse("recipes:list"), {"tag": "quick", "max_time": 15, "servings": 2}
        )
        assert list(response.context["recipes"]) == [quick]

    def test_bad_filter_values_are_ignored_with_a_message(self, client):
        RecipeFactory()
        response = client.get(reverse("recipes:list"), {"max_time": "soon"})
        assert response.status_code == 200
        assert len(response.context["recipes"]) == 1
        assert response.context["filters"].errors["max_time"]

    def test_api_filters_by_tag_and_time(self, api_client):
        quick = tagged("Quick", total_time_minutes=10)
        tagged("Quick", total_time_minutes=90)
        response = api_client.get(
            "/api/v1/recipes/", {"tag": "quick", "total_time_minutes__lte": 20}
        )
        assert [r["id"] for r in response.json()["results"]] == [quick.id]

    @pytest.mark.parametrize("count", [1, 20])
    def test_list_query_count_is_fixed_with_tags(self, client, django_assert_num_queries, count):
        for _ in range(count):
            tagged("a", "b")
        with django_assert_num_queries(3):  # count, page, tags
            client.get(reverse("recipes:list"))

    def test_page_links_keep_the_filters(self, client):
        user_recipes = [tagged("Cake", servings=2) for _ in range(21)]
        username = user_recipes[0].user.username
        for recipe in user_recipes:
            Recipe.objects.filter(pk=recipe.pk).update(user=user_recipes[0].user)
        response = client.get(reverse("recipes:list"), {"user": username, "tag": "cake"})
        assertContains(response, f'href="?user={username}&amp;tag=cake&amp;page=2"')
        page_two = client.get(reverse("recipes:list"), {"user": username, "tag": "cake", "page": 2})
        assert len(page_two.context["recipes"]) == 1
        assertContains(page_two, f'href="?user={username}&amp;tag=cake&amp;page=1"')


@pytest.mark.unit
def test_page_url_replaces_only_page():
    request = RequestFactory().get("/x/", {"user": "a b", "page": "3", "tag": "<x>"})
    html = Template("{% page_url 4 %}").render(Context({"request": request}))
    assert html == "?user=a+b&amp;page=4&amp;tag=%3Cx%3E"
