"""What the schema says is what the API takes: JSON types are not coerced, page sizes
and integer filters are whole numbers, and the schema states strict bodies and strings."""

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


class TestJsonTypes:
    @pytest.mark.parametrize(
        ("url", "body", "field"),
        [
            ("/api/v1/posts/", {"content": 0}, "content"),
            ("/api/v1/snaps/", {"name": "a", "extension": "py", "content": 5}, "content"),
            ("/api/v1/snaps/", {"name": True, "extension": "py", "content": "x"}, "name"),
            (
                "/api/v1/recipes/",
                {"title": "t", "ingredients": "i", "instructions": "s", "servings": "2"},
                "servings",
            ),
            (
                "/api/v1/recipes/",
                {"title": "t", "ingredients": "i", "instructions": "s", "servings": True},
                "servings",
            ),
        ],
    )
    def test_wrong_json_type_is_a_400_naming_the_field(self, auth_api_client, url, body, field):
        response = auth_api_client.post(url, body, format="json")
        assert response.status_code == 400
        assert response.json()[field]  # DRF itself refuses booleans; coercion is ours

    def test_right_types_are_accepted(self, auth_api_client):
        body = {"title": "t", "ingredients": "i", "instructions": "s", "servings": 2}
        assert auth_api_client.post("/api/v1/recipes/", body, format="json").status_code == 201
        assert auth_api_client.post("/api/v1/posts/", {"content": "hi"}).status_code == 201


class TestPageSize:
    @pytest.mark.parametrize(
        "url", ["/api/v1/snaps/", "/api/v1/posts/", "/api/v1/feed/", "/api/v1/photos/"]
    )
    @pytest.mark.parametrize("value", ["null", "0", "-3", "2.0", "", "1e2"])
    def test_invalid_page_size_is_a_400(self, auth_api_client, url, value):
        response = auth_api_client.get(url, {"page_size": value})
        assert response.status_code == 400
        assert response.json() == {"page_size": ["A whole number from 1 to 100."]}

    @pytest.mark.parametrize("url", ["/api/v1/snaps/", "/api/v1/feed/", "/api/v1/photos/"])
    def test_large_page_size_is_capped_and_small_one_honoured(self, auth_api_client, url):
        assert auth_api_client.get(url, {"page_size": "1000"}).status_code == 200
        assert auth_api_client.get(url, {"page_size": "1"}).status_code == 200

    def test_photos_limit_is_checked_too(self, auth_api_client):
        assert auth_api_client.get("/api/v1/photos/", {"limit": "x"}).json() == {
            "limit": ["A whole number from 1 to 100."]
        }


@pytest.mark.parametrize("value", ["0.5", "2.0", "x"])
def test_integer_recipe_filters_take_whole_numbers_only(api_client, value):
    response = api_client.get("/api/v1/recipes/", {"total_time_minutes__lte": value})
    assert response.status_code == 400
    assert "total_time_minutes__lte" in response.json()
    assert api_client.get("/api/v1/recipes/", {"servings__gte": "2"}).status_code == 200


class TestSchema:
    @pytest.fixture
    def schema(self, api_client):
        return api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    def test_version_is_plain_semver(self, schema):
        assert schema["info"]["version"] == "1.0.0"

    def test_one_request_type_per_operation(self, schema):
        for path, item in schema["paths"].items():
            for method, operation in item.items():
                if body := operation.get("requestBody"):
                    expected = (
                        ["multipart/form-data"]
                        if (path, method)
                        in {
                            ("/api/v1/photos/", "post"),
                            ("/api/v1/users/me/avatar/", "put"),
                            ("/api/v1/recipes/{id}/image/", "post"),
                            ("/api/v1/recipes/{id}/steps/{number}/image/", "post"),
                        }
                        else ["application/json"]
                    )
                    assert list(body["content"]) == expected, (path, method)

    def test_request_bodies_forbid_unknown_fields(self, schema):
        components = schema["components"]["schemas"]
        assert components["RecipeRequest"]["additionalProperties"] is False
        assert components["UserCreateInputRequest"]["additionalProperties"] is False
        assert components["SnapRequest"]["additionalProperties"] is False
        assert components["PostRequest"]["additionalProperties"] is False

    def test_token_request_asks_only_for_credentials(self, schema):
        request = schema["components"]["schemas"]["AuthTokenRequest"]
        # The code is asked of accounts with two-factor authentication only.
        assert set(request["properties"]) == {"username", "password", "otp_code"}
        assert set(request["required"]) == {"username", "password"}

    def test_photo_is_a_binary_file(self, schema):
        photo = schema["components"]["schemas"]["PhotoUploadRequest"]["properties"]["photo"]
        assert photo == {"type": "string", "format": "binary"}

    def test_strings_say_what_charfield_refuses(self, schema):
        snap = schema["components"]["schemas"]["SnapRequest"]["properties"]
        assert snap["name"]["pattern"] == r"^[^\u0000]*[^\s\u0000][^\u0000]*$"  # trimmed
        assert snap["content"]["pattern"] == r"^[^\u0000]*$"  # kept as typed
        search = next(
            p
            for p in schema["paths"]["/api/v1/snaps/"]["get"]["parameters"]
            if p["name"] == "search"
        )
        assert search["schema"]["pattern"] == r"^[^\u0000]*$"


class TestIssueFilters:
    @pytest.fixture
    def issues_url(self, db):
        from hublot.models import Issue, Repository

        repository = Repository.objects.create(owner="django", name="django")
        Issue.objects.create(repository=repository, number=1, title="Bug", state="open")
        Issue.objects.create(
            repository=repository, number=2, title="PR", state="open", is_pull_request=True
        )
        return f"/api/v1/repositories/{repository.pk}/issues/"

    @pytest.mark.parametrize("value", ["null", "0", "1", "yes"])
    def test_boolean_filter_takes_true_or_false_only(self, api_client, issues_url, value):
        response = api_client.get(issues_url, {"is_pull_request": value})
        assert response.status_code == 400
        assert response.json() == {"is_pull_request": ["Must be true or false."]}

    @pytest.mark.parametrize(("value", "titles"), [("true", ["PR"]), ("False", ["Bug"])])
    def test_boolean_filter_filters(self, api_client, issues_url, value, titles):
        response = api_client.get(issues_url, {"is_pull_request": value})
        assert [issue["title"] for issue in response.json()["results"]] == titles

    def test_issue_without_a_github_page_has_a_blank_html_url(self, api_client, issues_url):
        assert api_client.get(issues_url).json()["results"][0]["html_url"] == ""


@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("/api/v1/snaps/", "visibility"),
        ("/api/v1/recipes/", "total_time_minutes__lte"),
        ("/api/v1/recipes/", "servings"),
    ],
)
def test_filter_named_with_an_empty_value_is_a_400(api_client, url, param):
    response = api_client.get(f"{url}?{param}=")
    assert response.status_code == 400
    assert response.json() == {param: ["May not be empty."]}


@pytest.mark.parametrize("page", ["", "last", "x"])
def test_page_must_be_an_integer(api_client, page):
    assert api_client.get(f"/api/v1/snaps/?page={page}").status_code == 404
    assert api_client.get("/api/v1/snaps/?page=1").status_code == 200


def test_text_filter_may_be_empty(api_client):
    assert api_client.get("/api/v1/snaps/?user=&extension=").status_code == 200
