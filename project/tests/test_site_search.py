"""`/search/` and `/api/v1/search/`: one search across snaps, posts, photos and recipes."""

import uuid

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from photos.models import Photo
from recipes.tests.factories import RecipeFactory
from snaps.tests.factories import SnapFactory
from social.tests.factories import PostFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

URL = reverse("search")
API_URL = "/api/v1/search/"


def photo(user, comment: str) -> Photo:
    return Photo.objects.create(
        user=user,
        image="photos/x.jpg",
        comment=comment,
        width=1,
        height=1,
        size=1,
        sha256=uuid.uuid4().hex,
        status=Photo.Status.READY,
    )


@pytest.fixture
def everything(user, other_user):
    """One hit of each kind for "lemon", and hidden ones that must never show."""
    return {
        "snap": SnapFactory(user=other_user, name="lemon", content="squeeze()"),
        "post": PostFactory(user=other_user, content="Lemon tart tonight"),
        "photo": photo(other_user, "Lemon tree in bloom"),
        "recipe": RecipeFactory(user=other_user, title="Lemon curd", ingredients="lemons"),
        "unlisted": SnapFactory(user=other_user, name="lemon-unlisted", unlisted=True),
        "private": SnapFactory(user=other_user, name="lemon-private", private=True),
        "mine": SnapFactory(user=user, name="lemon-mine", private=True),
    }


def groups(response) -> dict[str, list]:
    return {entry["group"].name: entry["group"].hits for entry in response.context["groups"]}


class TestPage:
    def test_groups_by_kind_for_a_member(self, client, user, everything):
        client.force_login(user)
        response = client.get(URL, {"q": "lemon"})
        assert response.status_code == 200
        found = groups(response)
        assert set(found["snaps"]) == {everything["snap"], everything["mine"]}
        assert found["posts"] == [everything["post"]]
        assert found["photos"] == [everything["photo"]]
        assert found["recipes"] == [everything["recipe"]]
        assertContains(response, 'id="group-recipes"')
        assertNotContains(response, "lemon-unlisted")
        assertNotContains(response, "lemon-private")

    def test_anonymous_sees_no_photos_and_no_private_snaps(self, client, everything):
        response = client.get(URL, {"q": "lemon"})
        found = groups(response)
        assert found["snaps"] == [everything["snap"]]
        assert found["photos"] == []
        assertContains(response, "to search photos too.")
        assertNotContains(response, "search_hidden")  # the template's comment stays out

    def test_each_group_is_ranked_and_capped_with_a_more_link(self, client, settings):
        settings.SEARCH_GROUP_SIZE = 2
        best = SnapFactory(name="fig", content="fig fig fig")
        SnapFactory.create_batch(2, name="other", content="a fig")
        PostFactory.create_batch(3, content="fig jam")
        response = client.get(URL, {"q": "fig"})
        found = groups(response)
        assert found["snaps"][0] == best and len(found["snaps"]) == 2
        assertContains(response, 'href="/snaps/?q=fig"')
        assertContains(response, 'href="/search/?q=fig&amp;kind=posts"')

    def test_one_kind_pages_through_its_hits(self, client):
        PostFactory.create_batch(21, content="fig jam")
        response = client.get(URL, {"q": "fig", "kind": "posts"})
        assert len(response.context["hits"]) == 20
        assertContains(response, 'href="?q=fig&amp;kind=posts&amp;page=2"')
        assertContains(response, '<input type="hidden" name="kind" value="posts">')
        assert len(client.get(URL, {"q": "fig", "kind": "posts", "page": 2}).context["hits"]) == 1

    def test_query_count_is_one_per_kind(self, client, django_assert_num_queries, everything):
        # snaps and their files' heads, posts, recipes and their 5 prefetches (tags,
        # cross-posts, ingredient rows, steps, shares); photos: none for anonymous
        with django_assert_num_queries(9):
            client.get(URL, {"q": "lemon"})

    def test_query_count_does_not_grow_with_hits(
        self, client, user, django_assert_num_queries, everything
    ):
        SnapFactory.create_batch(10, name="lemon")
        PostFactory.create_batch(10, content="lemon")
        client.force_login(user)
        # session, user, one per kind, snaps' files, recipes' 5 prefetches
        with django_assert_num_queries(12):
            client.get(URL, {"q": "lemon"})

    def test_without_a_query_shows_the_box_and_no_groups(self, client, django_assert_num_queries):
        with django_assert_num_queries(0):
            response = client.get(URL)
        assertContains(response, 'id="search-q"')
        assert "groups" not in response.context

    @pytest.mark.parametrize("query", ["!!!", "- - -", '""', "&|!():*", "   "])
    def test_punctuation_only_is_a_clean_empty_page(self, client, query, everything):
        response = client.get(URL, {"q": query})
        assert response.status_code == 200
        assert not any(groups(response).values()) if "groups" in response.context else True

    def test_too_long_shows_the_error(self, client, settings, everything):
        response = client.get(URL, {"q": "lemon" * settings.SEARCH_MAX_QUERY_CHARS})
        assert response.status_code == 200
        assertContains(response, "at most 200 characters")
        assert "groups" not in response.context

    def test_nul_is_a_400(self, client):
        assert client.get(f"{URL}?q=a%00b").status_code == 400

    def test_unknown_kind_searches_everything(self, client, everything):
        response = client.get(URL, {"q": "lemon", "kind": "nope"})
        assert groups(response)["recipes"] == [everything["recipe"]]

    def test_navigation_has_the_search_field(self, client):
        response = client.get(reverse("home"))
        assertContains(response, f'action="{URL}" role="search"')


class TestApi:
    def test_typed_groups_for_a_member(self, auth_api_client, everything):
        response = auth_api_client.get(API_URL, {"q": "lemon"})
        assert response.status_code == 200
        body = response.json()
        assert body["query"] == "lemon"
        assert {s["hash_key"] for s in body["snaps"]["results"]} == {
            everything["snap"].hash_key,
            everything["mine"].hash_key,
        }
        assert [p["id"] for p in body["posts"]["results"]] == [everything["post"].id]
        assert [p["id"] for p in body["photos"]["results"]] == [everything["photo"].id]
        assert [r["id"] for r in body["recipes"]["results"]] == [everything["recipe"].id]
        assert all(body[kind]["more"] is None for kind in ("snaps", "posts", "photos", "recipes"))

    def test_anonymous_gets_no_photos(self, api_client, everything):
        body = api_client.get(API_URL, {"q": "lemon"}).json()
        assert body["photos"]["results"] == []
        assert [s["hash_key"] for s in body["snaps"]["results"]] == [everything["snap"].hash_key]

    def test_limit_kind_and_more_links(self, auth_api_client, user):
        PostFactory.create_batch(3, content="fig")
        for _ in range(3):
            photo(user, "fig")
        body = auth_api_client.get(API_URL, {"q": "fig", "limit": 2}).json()
        assert len(body["posts"]["results"]) == 2
        assert body["posts"]["more"] == "http://testserver/api/v1/posts/?search=fig"
        assert (
            body["photos"]["more"] == "http://testserver/api/v1/search/?q=fig&kind=photos&limit=50"
        )
        only = auth_api_client.get(API_URL, {"q": "fig", "kind": "photos"}).json()
        assert len(only["photos"]["results"]) == 3 and only["posts"]["results"] == []

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({}, "q"),
            ({"q": ""}, "q"),
            ({"q": "   "}, "q"),
            ({"q": "x" * 201}, "q"),
            ({"q": "fig", "kind": "users"}, "kind"),
            ({"q": "fig", "limit": "0"}, "limit"),
            ({"q": "fig", "limit": "ten"}, "limit"),
        ],
    )
    def test_bad_parameters_are_400s_naming_them(self, api_client, params, field):
        response = api_client.get(API_URL, params)
        assert response.status_code == 400
        assert field in response.json()

    @pytest.mark.parametrize("query", ["!!!", '"', "&|!():*", "-"])
    def test_punctuation_only_is_an_empty_200(self, api_client, query, everything):
        body = api_client.get(API_URL, {"q": query}).json()
        assert all(body[k]["results"] == [] for k in ("snaps", "posts", "photos", "recipes"))

    def test_query_count(self, api_client, django_assert_num_queries, everything):
        RecipeFactory.create_batch(3, title="lemon")
        # snaps, their files' heads, their files and tags, posts and their photos, recipes
        # and their 5 prefetches; photos need a member
        with django_assert_num_queries(12):
            api_client.get(API_URL, {"q": "lemon"})

    def test_schema_types_the_response(self, api_client):
        schema = api_client.get("/api/schema/", {"format": "json"}).json()
        operation = schema["paths"]["/api/v1/search/"]["get"]
        names = {p["name"]: p for p in operation["parameters"]}
        assert names["q"]["required"] is True
        assert names["q"]["schema"]["maxLength"] == 200
        reference = operation["responses"]["200"]["content"]["application/json"]["schema"]
        component = schema["components"]["schemas"][reference["$ref"].rsplit("/", 1)[1]]
        assert set(component["properties"]) == {"query", "snaps", "posts", "photos", "recipes"}
        assert "SearchPhotosGroup" in schema["components"]["schemas"]
