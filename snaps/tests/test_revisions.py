"""Editing keeps every revision (as Gist does); history and diffs only for those allowed."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from snaps import services
from snaps.diffs import DIFF_MAX_LINES, unified_diff
from snaps.models import Snap, SnapRevision
from snaps.tests.factories import SnapFactory, snap_form_data

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def edited(user):
    """A public snap at revision 3: "one" -> "two" -> "three <b>"."""
    snap = SnapFactory(user=user, name="s", language="text", extension="txt", content="one\n")
    services.snap_update(snap=snap, by=user, content="two\n")
    services.snap_update(snap=snap, by=user, content="three <b>\n", name="renamed")
    return snap


class TestService:
    def test_each_change_keeps_the_former_state(self, edited):
        assert edited.revision == 3
        old = {
            r.number: (r.files[0]["name"], r.files[0]["content"]) for r in edited.revisions.all()
        }
        assert old == {1: ("s", "one\n"), 2: ("s", "two\n")}
        assert (edited.first_file.name, edited.first_file.content) == ("renamed", "three <b>\n")

    def test_a_change_of_visibility_only_makes_no_revision(self, edited, user):
        services.snap_update(snap=edited, by=user, visibility=Snap.Visibility.UNLISTED)
        assert edited.revision == 3 and edited.revisions.count() == 2

    def test_only_the_owner_edits(self, edited, other_user):
        with pytest.raises(services.PermissionDenied):
            services.snap_update(snap=edited, by=other_user, content="hijack\n")
        assert SnapRevision.objects.count() == 2


class TestDiff:
    def test_unified_diff_lines_by_kind(self):
        diff = unified_diff("a\nb\n", "a\nc\n", old_label="old", new_label="new")
        kinds = [(line.kind, line.text) for line in diff.lines]
        assert kinds == [("file", "--- old"), ("file", "+++ new"), ("hunk", "@@ -1,2 +1,2 @@"),
                         ("same", " a"), ("del", "-b"), ("add", "+c")]  # fmt: skip
        assert (diff.added, diff.removed) == (1, 1)

    def test_too_many_lines_are_not_compared(self):
        assert unified_diff(
            "x\n" * (DIFF_MAX_LINES + 1), "", old_label="a", new_label="b"
        ).too_large


class TestPages:
    def test_owner_edits_through_the_web(self, client, user):
        snap = SnapFactory(user=user, language="text", content="before\n")
        client.force_login(user)
        url = reverse("snaps:edit", args=[snap.hash_key])
        assertContains(client.get(url), "before")
        response = client.post(
            url, snap_form_data({"name": "n", "language": "Python", "content": "after\n"})
        )
        snap.refresh_from_db()
        assert response.status_code == 302
        assert (snap.first_file.content, snap.first_file.language, snap.revision) == (
            "after\n",
            "python",
            2,
        )
        assert snap.revisions.get().files[0]["content"] == "before\n"

    def test_others_cannot_edit(self, client, other_user, edited):
        client.force_login(other_user)
        url = reverse("snaps:edit", args=[edited.hash_key])
        assert client.get(url).status_code == 404
        assert client.post(url, snap_form_data({"content": "x"})).status_code == 404

    def test_history_shows_the_escaped_diff_between_any_two(self, client, edited):
        history = edited.get_history_url()
        response = client.get(history)
        assertContains(response, '<span class="diff-add">+three &lt;b&gt;\n</span>', html=False)
        assertContains(response, '<span class="diff-del">-two\n</span>', html=False)
        response = client.get(history, {"from": 1, "to": 2})
        assertContains(response, '<span class="diff-del">-one\n</span>', html=False)
        assertNotContains(response, "three")
        assert client.get(history, {"from": 9}).status_code == 404

    def test_each_revision_has_its_page_and_raw_text(self, client, edited):
        assertContains(client.get(reverse("snaps:revision", args=[edited.hash_key, 1])), "one")
        raw = client.get(reverse("snaps:revision-raw", args=[edited.hash_key, 2]))
        assert raw.content == b"two\n" and raw["Content-Type"].startswith("text/plain")
        assert client.get(reverse("snaps:revision", args=[edited.hash_key, 4])).status_code == 404

    def test_detail_links_to_history(self, client, edited):
        assertContains(client.get(edited.get_absolute_url()), edited.get_history_url())

    def test_history_query_count_is_pinned(self, client, edited, django_assert_num_queries):
        # snap, revision list, the two compared revisions (the current one is the snap)
        with django_assert_num_queries(4):
            client.get(edited.get_history_url())

    @pytest.mark.parametrize(
        "change", [{"visibility": "unlisted"}, {"visibility": "private"}, {"burn": True}]
    )
    def test_unlisted_private_and_one_time_history_is_the_authors_alone(
        self, client, edited, user, other_user, change
    ):
        if change.get("burn"):
            Snap.objects.filter(pk=edited.pk).update(burn_after_reading=True)
        else:
            services.snap_update(snap=edited, by=user, **change)
        urls = [edited.get_history_url(), reverse("snaps:revision", args=[edited.hash_key, 1]),
                reverse("snaps:revision-raw", args=[edited.hash_key, 1]),
                f"/api/v1/snaps/{edited.hash_key}/revisions/"]  # fmt: skip
        for viewer in (None, other_user):
            if viewer:
                client.force_login(viewer)
            assert [client.get(url).status_code for url in urls] == [404] * 4
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [200] * 4
        assert Snap.objects.filter(pk=edited.pk).exists()


class TestApi:
    def test_patch_keeps_a_revision_and_lists_them(self, auth_api_client, user):
        snap = SnapFactory(user=user, content="v1\n")
        url = f"/api/v1/snaps/{snap.hash_key}/"
        response = auth_api_client.patch(url, {"content": "v2\n"}, format="json")
        assert response.status_code == 200 and response.json()["revision"] == 2
        revisions = auth_api_client.get(f"{url}revisions/").json()
        assert [(r["number"], r["content"]) for r in revisions["results"]] == [
            (2, "v2\n"),
            (1, "v1\n"),
        ]
        assert revisions["results"][1]["raw_url"].endswith(
            f"/snaps/{snap.hash_key}/revisions/1/raw/"
        )

    def test_others_cannot_patch(self, api_client, other_user):
        snap = SnapFactory(content="v1\n")
        api_client.force_authenticate(other_user)
        url = f"/api/v1/snaps/{snap.hash_key}/"
        assert api_client.patch(url, {"content": "x"}, format="json").status_code == 403
        assert not SnapRevision.objects.exists()
