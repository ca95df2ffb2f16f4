import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts.tests.factories import UserFactory
from recipes.models import CrossPost, Recipe
from recipes.tests.factories import RecipeFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

DATA = {
    "title": "Leek soup",
    "ingredients": "leeks\nwater",
    "instructions": "Boil.",
    "servings": 2,
    "total_time_minutes": 25,
}


class TestWeb:
    def test_list_newest_first_paginated_and_filtered(self, client):
        first = RecipeFactory()
        RecipeFactory.create_batch(20)
        response = client.get(reverse("recipes:list"))
        assert len(response.context["recipes"]) == 20
        assert first not in response.context["recipes"]
        assert list(
            client.get(reverse("recipes:list"), {"user": first.user.username}).context["recipes"]
        ) == [first]

    @pytest.mark.parametrize("count", [1, 20])
    def test_list_query_count_is_fixed(self, client, django_assert_num_queries, count):
        RecipeFactory.create_batch(count)
        with django_assert_num_queries(3):  # count, page, tags
            client.get(reverse("recipes:list"))

    def test_create_requires_login(self, client):
        url = reverse("recipes:create")
        assertRedirects(client.get(url), f"{reverse('account_login')}?next={url}")
        client.post(url, DATA)
        assert not Recipe.objects.exists()

    def test_create_with_x_connected_shows_sharing(
        self, client, user, fake_x, connect, django_capture_on_commit_callbacks
    ):
        connect(user, "twitter", "1001", fake_x.token_for("1001"))
        client.force_login(user)
        assertContains(
            client.get(reverse("recipes:create")), 'value="twitter" id="id_share_on_0" checked'
        )
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("recipes:create"), {**DATA, "share_on": ["twitter"]}, follow=True
            )
        recipe = Recipe.objects.get()
        assertRedirects(response, recipe.get_absolute_url())
        assertContains(response, "Recipe saved.")
        assertContains(response, "Sharing to X (Twitter)")
        assertContains(response, "X (Twitter): <strong>Pending</strong>")  # before the commit
        assertContains(client.get(recipe.get_absolute_url()), "X (Twitter): <strong>Sent</strong>")
        assert (recipe.user, recipe.servings, recipe.total_time_minutes) == (user, 2, 25)

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("title", ""),
            ("title", "t" * 201),
            ("ingredients", ""),
            ("instructions", " "),
            ("servings", 0),
            ("servings", "many"),
            ("total_time_minutes", -5),
        ],
    )
    def test_invalid_input_is_a_field_error(self, client, user, field, value):
        client.force_login(user)
        response = client.post(reverse("recipes:create"), {**DATA, field: value})
        assert response.status_code == 200
        assert response.context["form"].errors[field]
        assert not Recipe.objects.exists()

    def test_owner_edits_others_get_404(self, client, user, other_user):
        recipe = RecipeFactory(user=user)
        client.force_login(other_user)
        assert client.get(reverse("recipes:update", args=[recipe.pk])).status_code == 404
        assert client.post(reverse("recipes:delete", args=[recipe.pk])).status_code == 404
        client.force_login(user)
        client.post(reverse("recipes:update", args=[recipe.pk]), {**DATA, "title": "Better soup"})
        recipe.refresh_from_db()
        assert recipe.title == "Better soup"
        assert not CrossPost.objects.exists()  # edits never post
        assertRedirects(
            client.post(reverse("recipes:delete", args=[recipe.pk])), reverse("recipes:list")
        )
        assert not Recipe.objects.exists()

    def test_detail_escapes_content(self, client):
        recipe = RecipeFactory(title="<script>alert(1)</script>", ingredients="<b>salt</b>")
        response = client.get(recipe.get_absolute_url())
        assertNotContains(response, "<script>alert(1)")
        assertContains(response, "&lt;b&gt;salt&lt;/b&gt;")

    def test_csrf_enforced(self, user):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        assert client.post(reverse("recipes:create"), DATA).status_code == 403


class TestApi:
    def test_anonymous_reads_but_cannot_write(self, api_client):
        recipe = RecipeFactory()
        body = api_client.get("/api/v1/recipes/").json()
        assert body["results"][0]["id"] == recipe.id
        assert body["results"][0]["summary"] == recipe.title
        assert api_client.post("/api/v1/recipes/", DATA).status_code == 401

    def test_create_with_share_on_and_crosspost_status(
        self, auth_api_client, user, fake_x, connect, django_capture_on_commit_callbacks
    ):
        connect(user, "twitter", "1001", fake_x.token_for("1001"))
        with django_capture_on_commit_callbacks(execute=True):
            response = auth_api_client.post("/api/v1/recipes/", {**DATA, "share_on": ["twitter"]})
        assert response.status_code == 201
        detail = auth_api_client.get(response.json()["url"]).json()
        assert detail["crossposts"][0]["provider"] == "twitter"
        assert detail["crossposts"][0]["status"] == "sent"
        assert "share_on" not in detail

    @pytest.mark.parametrize(
        "data",
        [
            {**DATA, "title": ""},
            {**DATA, "servings": 1000},
            {**DATA, "share_on": ["myspace"]},
            {**DATA, "user": "someone"},
            {"title": "only a title"},
        ],
    )
    def test_bad_input_is_400(self, auth_api_client, data):
        assert auth_api_client.post("/api/v1/recipes/", data, format="json").status_code == 400
        assert not Recipe.objects.exists()

    def test_owner_only_writes(self, auth_api_client, user):
        theirs, mine = RecipeFactory(), RecipeFactory(user=user)
        assert (
            auth_api_client.patch(f"/api/v1/recipes/{theirs.pk}/", {"title": "x"}).status_code
            == 403
        )
        assert auth_api_client.delete(f"/api/v1/recipes/{theirs.pk}/").status_code == 403
        assert (
            auth_api_client.patch(f"/api/v1/recipes/{mine.pk}/", {"title": "Mine"}).status_code
            == 200
        )
        assert auth_api_client.delete(f"/api/v1/recipes/{mine.pk}/").status_code == 204
        assert list(Recipe.objects.all()) == [theirs]

    def test_filters_and_search(self, api_client):
        quick = RecipeFactory(title="Quick omelette", total_time_minutes=10)
        RecipeFactory(title="Slow stew", total_time_minutes=240)
        ids = [
            r["id"]
            for r in api_client.get("/api/v1/recipes/", {"total_time_minutes__lte": 15}).json()[
                "results"
            ]
        ]
        assert ids == [quick.id]
        ids = [
            r["id"]
            for r in api_client.get("/api/v1/recipes/", {"search": "omelette"}).json()["results"]
        ]
        assert ids == [quick.id]
        ids = [
            r["id"]
            for r in api_client.get("/api/v1/recipes/", {"user": quick.user.username}).json()[
                "results"
            ]
        ]
        assert ids == [quick.id]

    @pytest.mark.parametrize("count", [1, 15])
    def test_list_query_count_is_fixed(self, api_client, django_assert_num_queries, count):
        RecipeFactory.create_batch(count)
        with django_assert_num_queries(7):  # count, page + 5 prefetches
            api_client.get("/api/v1/recipes/")


class TestFriends:
    @pytest.fixture
    def network(self, user, fake_x, connect):
        connect(user, "twitter", "1001", fake_x.token_for("1001"))
        locals_ = {uid: UserFactory() for uid in ("2001", "2002", "2003", "2004")}
        for uid, person in locals_.items():
            connect(person, "twitter", uid, fake_x.token_for(uid))
        # follows 1500 accounts on X: two pages; 3 of them are here, and so is the user himself
        fake_x.following["1001"] = [str(n) for n in range(5000, 6497)] + [
            "2001",
            "2003",
            "2004",
            "1001",
        ]
        return locals_

    def test_all_pages_are_read_and_intersected(self, client, user, fake_x, network):
        client.force_login(user)
        response = client.get(reverse("recipes:friends"))
        section = response.context["sections"][0]
        assert {u["id"] for u in section["friends"]} == {
            network[uid].pk for uid in ("2001", "2003", "2004")
        }
        pages = fake_x.requests_to("GET", "/2/users/1001/following")
        assert len(pages) == 2 and pages[1].query["pagination_token"] == "1000"
        client.get(reverse("recipes:friends"))
        assert len(fake_x.requests_to("GET", "/2/users/1001/following")) == 2  # cached
        client.get(reverse("recipes:friends"), {"refresh": "1"})
        assert len(fake_x.requests_to("GET", "/2/users/1001/following")) == 4

    def test_api_and_not_connected(self, api_client, auth_api_client, user, fake_x, network):
        body = auth_api_client.get("/api/v1/recipes/friends/", {"provider": "twitter"}).json()
        assert sorted(f["username"] for f in body) == sorted(
            network[u].username for u in ("2001", "2003", "2004")
        )
        response = auth_api_client.get("/api/v1/recipes/friends/", {"provider": "facebook"})
        assert response.status_code == 403
        assert response.json() == {"detail": "Connect your Facebook account first."}
        assert (
            auth_api_client.get("/api/v1/recipes/friends/", {"provider": "myspace"}).status_code
            == 400
        )
        assert api_client.get("/api/v1/recipes/friends/").status_code == 401

    def test_web_page_offers_connect_buttons(self, client, user, apps_configured):
        client.force_login(user)
        response = client.get(reverse("recipes:friends"))
        assertContains(response, "Connect X")
        assertContains(response, "Connect Facebook")

    def test_facebook_friends_who_use_the_app(self, client, user, fake_x, fake_facebook, connect):
        connect(user, "facebook", "fb-1", fake_facebook.token_for("fb-1"))
        here = UserFactory()
        connect(here, "facebook", "fb-2", "whatever")
        fake_facebook.friends["fb-1"] = ["fb-2", "fb-9"]
        client.force_login(user)
        section = client.get(reverse("recipes:friends")).context["sections"][1]
        assert [friend["id"] for friend in section["friends"]] == [here.pk]

    def test_rate_limit_is_a_friendly_message(self, client, user, fake_x, connect):
        connect(user, "twitter", "1001", fake_x.token_for("1001"))
        original = fake_x._following_page
        fake_x._following_page = lambda uid, query: (
            429,
            {"title": "Too Many Requests", "status": 429},
            {},
        )
        client.force_login(user)
        assertContains(client.get(reverse("recipes:friends")), "rate-limiting us")
        fake_x._following_page = original
