"""Snap search: the API's `?search=`, the list page's `?q=`, and visibility."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from snaps import selectors
from snaps.tests.factories import SnapFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

API_URL = "/api/v1/snaps/"
LIST_URL = reverse("snaps:list")


def keys(response) -> list[str]:
    return [snap["hash_key"] for snap in response.json()["results"]]


class TestSelector:
    def test_others_unlisted_private_and_expired_snaps_are_never_found(self, user, other_user):
        public = SnapFactory(user=other_user, content="secret sauce")
        SnapFactory(user=other_user, content="secret sauce", unlisted=True)
        SnapFactory(user=other_user, content="secret sauce", private=True)
        SnapFactory(user=other_user, content="secret sauce", expired=True)
        mine = SnapFactory(user=user, content="secret sauce", private=True)
        assert set(selectors.snap_search(viewer=user, query="sauce")) == {public, mine}
        assert list(selectors.snap_search(viewer=None, query="sauce")) == [public]


class TestApi:
    def test_search_is_ranked_name_first(self, api_client):
        in_content = SnapFactory(name="notes", content="a quicksort in rust")
        in_name = SnapFactory(name="quicksort", content="fn main() {}")
        SnapFactory(name="other", content="bubble sort")
        assert keys(api_client.get(API_URL, {"search": "quicksort"})) == [
            in_name.hash_key,
            in_content.hash_key,
        ]

    def test_explicit_ordering_wins_over_rank(self, api_client):
        in_content = SnapFactory(name="b", content="quicksort")
        in_name = SnapFactory(name="quicksort", content="x")
        ordered = api_client.get(API_URL, {"search": "quicksort", "ordering": "name"})
        assert keys(ordered) == [in_content.hash_key, in_name.hash_key]

    def test_combines_with_filters(self, api_client, user):
        wanted = SnapFactory(user=user, extension="rs", content="tokio runtime")
        SnapFactory(user=user, extension="py", content="tokio runtime")
        SnapFactory(extension="rs", content="tokio runtime")
        response = api_client.get(
            API_URL, {"search": "tokio", "user": user.username, "extension": "rs"}
        )
        assert keys(response) == [wanted.hash_key]

    def test_anonymous_never_finds_unlisted_or_private(self, api_client):
        SnapFactory(content="hidden gem", unlisted=True)
        SnapFactory(content="hidden gem", private=True)
        response = api_client.get(API_URL, {"search": "gem"})
        assert response.status_code == 200 and keys(response) == []

    def test_owner_finds_their_private_snap(self, auth_api_client, user):
        mine = SnapFactory(user=user, content="hidden gem", private=True)
        assert keys(auth_api_client.get(API_URL, {"search": "gem"})) == [mine.hash_key]

    def test_too_long_is_a_400_naming_the_parameter(self, api_client, settings):
        response = api_client.get(API_URL, {"search": "a" * (settings.SEARCH_MAX_QUERY_CHARS + 1)})
        assert response.status_code == 400
        assert "at most" in response.json()["search"][0]

    @pytest.mark.parametrize("query", ["!!!", "---", '"', "&|!():*", "   "])
    def test_punctuation_only_is_an_empty_200(self, api_client, query):
        SnapFactory(content="!!! --- & | ! ( ) : *")
        response = api_client.get(API_URL, {"search": query})
        assert response.status_code == 200
        if query.strip():
            assert keys(response) == []

    def test_nul_is_a_400(self, api_client):
        response = api_client.get(f"{API_URL}?search=a%00b")
        assert response.status_code == 400
        assert response.json()["detail"]

    def test_query_count_is_constant(self, api_client, django_assert_num_queries):
        SnapFactory.create_batch(5, content="needle")
        with django_assert_num_queries(4):  # bounded count, page with authors, files, tags
            api_client.get(API_URL, {"search": "needle"})

    def test_schema_documents_search_once(self, api_client):
        schema = api_client.get("/api/schema/", {"format": "json"}).json()
        parameters = schema["paths"]["/api/v1/snaps/"]["get"]["parameters"]
        search = [p for p in parameters if p["name"] == "search"]
        assert len(search) == 1
        assert "Full-text" in search[0]["description"]


class TestPage:
    def test_search_box_and_ranked_results(self, client):
        SnapFactory(name="notes", content="a quicksort in rust")
        SnapFactory(name="quicksort", content="fn main() {}")
        SnapFactory(name="unrelated", content="bubble")
        response = client.get(LIST_URL, {"q": "quicksort"})
        assertContains(response, 'role="search"')
        assert [s.first_file.name for s in response.context["snaps"]] == ["quicksort", "notes"]
        assertNotContains(response, "unrelated")

    def test_list_without_query_shows_the_box(self, client):
        SnapFactory(name="listed")
        response = client.get(LIST_URL)
        assertContains(response, 'type="search"')
        assertContains(response, "listed")

    def test_others_unlisted_and_private_snaps_are_not_found(self, client):
        SnapFactory(name="unlisted-one", content="needle", unlisted=True)
        SnapFactory(name="private-one", content="needle", private=True)
        response = client.get(LIST_URL, {"q": "needle"})
        assertContains(response, "No snap matches “needle”.")

    def test_pagination_keeps_the_query(self, client):
        SnapFactory.create_batch(21, content="needle")
        response = client.get(LIST_URL, {"q": "needle"})
        assertContains(response, 'href="?q=needle&amp;page=2"')

    def test_too_long_shows_the_error_and_nothing(self, client, settings):
        SnapFactory(content="a")
        response = client.get(LIST_URL, {"q": "a" * (settings.SEARCH_MAX_QUERY_CHARS + 1)})
        assert response.status_code == 200
        assertContains(response, 'aria-invalid="true"')
        assertContains(response, "at most")
        assert list(response.context["snaps"]) == []

    def test_punctuation_only_finds_nothing(self, client):
        SnapFactory(content="!!!")
        response = client.get(LIST_URL, {"q": "!!!"})
        assert response.status_code == 200
        assert list(response.context["snaps"]) == []
