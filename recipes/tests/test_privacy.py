import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from recipes import services
from recipes.models import CrossPost, Recipe
from recipes.tests.factories import RecipeFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

PRIVATE = Recipe.Visibility.PRIVATE
UNLISTED = Recipe.Visibility.UNLISTED
DATA = {"title": "Secret sauce", "ingredients": "chillies", "instructions": "Blend."}


@pytest.fixture
def people(user, other_user):
    friend = UserFactory(username="friend")
    private = RecipeFactory(user=user, visibility=PRIVATE, title="Private one")
    private.shared_with.add(friend)
    unlisted = RecipeFactory(user=user, visibility=UNLISTED, title="Unlisted one")
    public = RecipeFactory(user=user, title="Public one")
    return {"friend": friend, "private": private, "unlisted": unlisted, "public": public}


def titles(response) -> set[str]:
    return {recipe.title for recipe in response.context["recipes"]}


class TestLists:
    def test_anonymous_and_others_see_only_public_recipes(self, client, other_user, people):
        assert titles(client.get(reverse("recipes:list"))) == {"Public one"}
        client.force_login(other_user)
        assert titles(client.get(reverse("recipes:list"))) == {"Public one"}
        api = client.get("/api/v1/recipes/").json()["results"]
        assert [r["title"] for r in api] == ["Public one"]

    def test_owner_and_the_people_shared_with_see_theirs(self, client, user, people):
        client.force_login(user)
        assert titles(client.get(reverse("recipes:list"))) == {
            "Private one",
            "Unlisted one",
            "Public one",
        }
        client.force_login(people["friend"])
        assert titles(client.get(reverse("recipes:list"))) == {"Private one", "Public one"}

    def test_tag_pages_and_counts_leave_private_recipes_out(self, client, people):
        people["private"].tags.set(services.tags_for_names(["secret"]))
        assert client.get(reverse("recipes:tag", args=["secret"])).context["recipes"].count() == 0
        assert client.get("/api/v1/recipes/tags/").json()["results"] == []


class TestOpening:
    @pytest.mark.parametrize(
        ("who", "recipe", "status"),
        [
            ("anonymous", "private", 404),
            ("other", "private", 404),
            ("friend", "private", 200),
            ("owner", "private", 200),
            ("anonymous", "unlisted", 200),
            ("other", "unlisted", 200),
        ],
    )
    def test_page_api_export_and_scaling(
        self, client, user, other_user, people, who, recipe, status
    ):
        viewer = {"owner": user, "other": other_user, "friend": people["friend"]}.get(who)
        if viewer:
            client.force_login(viewer)
        pk = people[recipe].pk
        for url in (
            f"/recipes/{pk}/",
            f"/recipes/{pk}/recipe.jsonld",
            f"/api/v1/recipes/{pk}/",
            f"/api/v1/recipes/{pk}/jsonld/",
            f"/api/v1/recipes/{pk}/scaled/",
        ):
            assert client.get(url).status_code == status, url

    def test_shared_users_cannot_edit(self, client, people):
        client.force_login(people["friend"])
        pk = people["private"].pk
        assert client.get(f"/recipes/{pk}/edit/").status_code == 404
        response = client.patch(
            f"/api/v1/recipes/{pk}/", {"title": "Mine"}, content_type="application/json"
        )
        assert response.status_code == 403

    def test_only_the_owner_sees_who_it_is_shared_with(self, client, user, people):
        pk = people["private"].pk
        client.force_login(people["friend"])
        assert client.get(f"/api/v1/recipes/{pk}/").json()["shared_with"] == []
        client.force_login(user)
        assert client.get(f"/api/v1/recipes/{pk}/").json()["shared_with"] == ["friend"]


class TestWrites:
    def test_api_creates_a_private_recipe_shared_with_a_user(self, auth_api_client, other_user):
        body = {**DATA, "visibility": "private", "shared_with": [other_user.username]}
        response = auth_api_client.post("/api/v1/recipes/", body, format="json")
        assert response.status_code == 201, response.json()
        assert Recipe.objects.get().shared_with.get() == other_user

    @pytest.mark.parametrize(
        "body",
        [{"visibility": "secret"}, {"shared_with": ["nobody-here"]}, {"shared_with": [1]}],
    )
    def test_api_bad_privacy_input_is_400(self, auth_api_client, body):
        response = auth_api_client.post("/api/v1/recipes/", {**DATA, **body}, format="json")
        assert response.status_code == 400
        assert list(response.json()) == list(body)
        assert not Recipe.objects.exists()

    def test_web_form_sets_visibility_and_reports_unknown_users(self, client, user, other_user):
        client.force_login(user)
        response = client.post(
            reverse("recipes:create"),
            {**DATA, "visibility": "private", "shared_with": "nobody-here"},
        )
        assert response.status_code == 200
        assert "No such user" in str(response.context["form"].errors["shared_with"])
        client.post(
            reverse("recipes:create"),
            {**DATA, "visibility": "private", "shared_with": other_user.username},
        )
        assert Recipe.objects.get().visibility == PRIVATE

    @pytest.mark.parametrize("visibility", [PRIVATE, UNLISTED])
    def test_private_and_unlisted_recipes_are_never_announced(
        self, chef, fake_x, visibility, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            services.recipe_create(user=chef, visibility=visibility, share_on=["twitter"], **DATA)
        assert not CrossPost.objects.exists()
        assert fake_x.requests_to("POST", "/2/tweets") == []

    def test_a_recipe_made_private_before_its_announcement_is_skipped(
        self, chef, fake_x, django_capture_on_commit_callbacks
    ):
        recipe = services.recipe_create(user=chef, share_on=["twitter"], **DATA)
        Recipe.objects.filter(pk=recipe.pk).update(visibility=PRIVATE)
        crosspost = recipe.crossposts.get()
        assert services.crosspost_send(crosspost_id=crosspost.pk) == CrossPost.Status.SKIPPED
        assert fake_x.requests_to("POST", "/2/tweets") == []
