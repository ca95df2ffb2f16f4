import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from snaps import services
from snaps.models import Snap, SnapTag
from snaps.tests.factories import SnapFactory, snap_form_data

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

FILE = {"name": "a.py", "content": "x = 1\n"}


class TestService:
    def test_names_share_one_unicode_slug_per_tag(self, user):
        snap = services.snap_create(
            user=user, name="a.py", content="x", tags=["Regex", "regex", "Tú"]
        )
        assert sorted(t.slug for t in snap.tags.all()) == ["regex", "tú"]
        other = services.snap_create(user=user, name="b.py", content="y", tags=["REGEX"])
        assert SnapTag.objects.count() == 2 and other.tags.get().name == "Regex"

    def test_bad_tags_are_refused(self, user):
        with pytest.raises(ValidationError, match="no letters or digits"):
            services.snap_create(user=user, name="a.py", content="x", tags=["!!!"])
        with pytest.raises(ValidationError, match="At most 10 tags"):
            services.snap_create(
                user=user, name="a.py", content="x", tags=[f"t{i}" for i in range(11)]
            )
        assert not Snap.objects.exists()

    def test_update_replaces_tags_without_a_revision(self, user):
        snap = services.snap_create(user=user, name="a.py", content="x", tags=["one"])
        services.snap_update(snap=snap, by=user, tags=["two"])
        assert [t.name for t in snap.tags.all()] == ["two"] and snap.revision == 1


class TestPages:
    def test_tags_from_the_form_link_to_their_page(self, client, user):
        client.force_login(user)
        client.post(reverse("snaps:create"), snap_form_data(FILE, tags="Django, Regex"))
        snap = Snap.objects.get()
        page = client.get(snap.get_absolute_url())
        tag_url = reverse("snaps:tag", args=["django"])
        assertContains(page, f'href="{tag_url}"')
        tagged = client.get(tag_url)
        assertContains(tagged, "Snaps tagged “Django”")
        assert list(tagged.context["snaps"]) == [snap]

    def test_tag_page_and_filter_list_only_listed_snaps_with_it(self, client, user):
        tagged = services.snap_create(user=user, name="a.py", content="x", tags=["regex"])
        services.snap_create(
            user=user, name="b.py", content="x", tags=["regex"], visibility="unlisted"
        )
        SnapFactory()
        assert list(client.get(reverse("snaps:list"), {"tag": "regex"}).context["snaps"]) == [
            tagged
        ]
        assert list(client.get(reverse("snaps:tag", args=["regex"])).context["snaps"]) == [tagged]
        assert client.get(reverse("snaps:tag", args=["nope"])).status_code == 404

    def test_edit_shows_and_changes_the_tags(self, client, user):
        snap = services.snap_create(user=user, name="a.py", content="x\n", tags=["one", "two"])
        client.force_login(user)
        edit = reverse("snaps:edit", args=[snap.hash_key])
        assertContains(client.get(edit), 'value="one, two"')
        client.post(edit, snap_form_data({"name": "a.py", "content": "x\n"}, tags="three"))
        assert [t.name for t in snap.tags.all()] == ["three"]

    def test_a_letterless_tag_is_a_form_error(self, client, user):
        client.force_login(user)
        response = client.post(reverse("snaps:create"), snap_form_data(FILE, tags="!!!"))
        assertContains(response, "has no letters or digits")
        assert not Snap.objects.exists()


class TestApi:
    def test_tags_in_and_out_and_the_tag_filter(self, auth_api_client, api_client):
        body = {"name": "a.py", "content": "x", "tags": ["Regex", "Tú"]}
        created = auth_api_client.post("/api/v1/snaps/", body, format="json").json()
        assert sorted(created["tags"]) == ["Regex", "Tú"]
        found = api_client.get("/api/v1/snaps/", {"tag": "tú"}).json()["results"]
        assert [s["hash_key"] for s in found] == [created["hash_key"]]
        url = f"/api/v1/snaps/{created['hash_key']}/"
        assert auth_api_client.patch(url, {"tags": []}, format="json").json()["tags"] == []

    @pytest.mark.parametrize("tags", ["regex", [5], ["!!!"], ["x" * 51]])
    def test_bad_tags_are_400s(self, auth_api_client, tags):
        body = {"name": "a.py", "content": "x", "tags": tags}
        response = auth_api_client.post("/api/v1/snaps/", body, format="json")
        assert response.status_code == 400 and "tags" in response.json()

    def test_list_query_count_does_not_grow_with_tags(
        self, api_client, user, django_assert_num_queries
    ):
        for i in range(4):
            services.snap_create(user=user, name="a.py", content="x", tags=[f"t{i}", "all"])
        with django_assert_num_queries(4):  # count, page, files, tags
            response = api_client.get("/api/v1/snaps/")
        assert all(len(s["tags"]) == 2 for s in response.json()["results"])

    def test_admin_edits_tags(self, client):
        from accounts.tests.factories import UserFactory

        admin = UserFactory(is_staff=True, is_superuser=True)
        services.snap_create(user=admin, name="a.py", content="x", tags=["regex"])
        client.force_login(admin)
        assertContains(client.get(reverse("admin:snaps_snaptag_changelist")), "regex")
        snap = Snap.objects.get()
        assertContains(client.get(reverse("admin:snaps_snap_change", args=[snap.pk])), "regex")
        assertNotContains(client.get(reverse("admin:snaps_snap_changelist")), "Traceback")
