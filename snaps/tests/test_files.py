"""Several files per snap, as in Gist: services, web pages, raw URLs, API, revisions,
forks, embeds and search."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from snaps import services
from snaps.models import Snap, SnapFile
from snaps.tests.factories import SnapFactory, snap_form_data

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

TWO_FILES = [
    {"name": "app.py", "content": "import helpers\nprint(helpers.x)\n"},
    {"name": "helpers.js", "content": "export const x = 1;\n"},
]


@pytest.fixture
def pair(user) -> Snap:
    return services.snap_create(user=user, files=TWO_FILES)


class TestService:
    def test_files_keep_their_order_and_each_its_own_language(self, pair):
        files = list(SnapFile.objects.filter(snap=pair))
        assert [(f.position, f.filename, f.language) for f in files] == [
            (0, "app.py", "python"),
            (1, "helpers.js", "javascript"),
        ]
        assert pair.filename == "app.py"

    def test_duplicate_file_names_are_refused(self, user):
        with pytest.raises(ValidationError) as info:
            services.snap_create(
                user=user,
                files=[{"name": "a.py", "content": "1"}, {"name": "A.py", "content": "2"}],
            )
        assert "Two files are named" in str(info.value)
        assert not Snap.objects.exists()

    def test_at_most_max_files(self, user, settings):
        settings.SNAPS_MAX_FILES = 2
        files = [{"name": f"f{i}.txt", "content": "x"} for i in range(3)]
        with pytest.raises(ValidationError, match="at most 2 files"):
            services.snap_create(user=user, files=files)
        with pytest.raises(ValidationError, match="at least one file"):
            services.snap_create(user=user, files=[])
        assert not Snap.objects.exists()

    def test_the_size_limit_is_for_all_files_together(self, user, settings):
        settings.SNAPS_MAX_CONTENT_CHARS = 10
        files = [{"name": "a.txt", "content": "x" * 6}, {"name": "b.txt", "content": "y" * 6}]
        with pytest.raises(ValidationError, match="12 characters in all, the limit is 10"):
            services.snap_create(user=user, files=files)
        assert not SnapFile.objects.exists()

    def test_update_replaces_the_files_and_keeps_them_all_as_a_revision(self, pair, user):
        services.snap_update(snap=pair, by=user, files=[{"name": "only.rs", "content": "fn x(){}"}])
        assert [f.filename for f in SnapFile.objects.filter(snap=pair)] == ["only.rs"]
        assert [f["name"] for f in pair.revisions.get().files] == ["app.py", "helpers.js"]

    def test_single_file_keywords_change_only_the_first_file(self, pair, user):
        services.snap_update(snap=pair, by=user, content="print(2)\n")
        contents = [f.content for f in SnapFile.objects.filter(snap=pair)]
        assert contents == ["print(2)\n", "export const x = 1;\n"]
        assert pair.revision == 2

    def test_an_unchanged_save_makes_no_revision(self, pair, user):
        services.snap_update(snap=pair, by=user, files=TWO_FILES)
        assert pair.revision == 1 and not pair.revisions.exists()

    def test_a_fork_copies_every_file(self, pair, other_user):
        fork = services.snap_fork(snap=pair, by=other_user)
        assert [f.filename for f in fork.files.all()] == ["app.py", "helpers.js"]
        assert fork.parent == pair


class TestPages:
    def test_create_two_files_from_the_form(self, client, user):
        client.force_login(user)
        response = client.post(reverse("snaps:create"), snap_form_data(*TWO_FILES))
        snap = Snap.objects.get()
        assert response.url == snap.get_absolute_url()
        assert [f.filename for f in snap.files.all()] == ["app.py", "helpers.js"]

    def test_add_a_file_without_javascript_keeps_what_was_typed(self, client, user):
        client.force_login(user)
        data = snap_form_data(TWO_FILES[0]) | {"add_file": "1"}
        response = client.post(reverse("snaps:create"), data)
        assert response.status_code == 200 and not Snap.objects.exists()
        formset = response.context["formset"]
        assert formset.total_form_count() == 2
        assert formset.initial[0]["content"] == TWO_FILES[0]["content"]
        assertContains(response, 'name="files-1-content"')

    def test_a_blank_extra_file_is_ignored_and_a_removed_one_not_saved(self, client, user):
        client.force_login(user)
        data = snap_form_data(TWO_FILES[0], TWO_FILES[1] | {"DELETE": True}, {})
        client.post(reverse("snaps:create"), data)
        assert [f.filename for f in Snap.objects.get().files.all()] == ["app.py"]

    def test_duplicate_names_are_a_form_error(self, client, user):
        client.force_login(user)
        data = snap_form_data(TWO_FILES[0], TWO_FILES[0])
        response = client.post(reverse("snaps:create"), data)
        assertContains(response, "Two files are named app.py")
        assert not Snap.objects.exists()

    def test_the_page_shows_every_file_with_its_own_anchors_and_raw_url(self, client, pair):
        response = client.get(pair.get_absolute_url())
        assertContains(response, 'data-testid="snap-file"', count=2)
        assertContains(response, 'id="L1"')  # the first file keeps its #L anchors
        assertContains(response, 'id="f2-L1"')
        assertContains(response, 'data-copy-target="f2-snap-source"')
        raw = reverse("snaps:file-raw", args=[pair.hash_key, "helpers.js"])
        assertContains(response, f'href="{raw}?download=1"')
        assertContains(response, "2 files")

    def test_each_file_has_its_raw_url_and_the_old_one_serves_the_first(self, client, pair):
        second = client.get(reverse("snaps:file-raw", args=[pair.hash_key, "helpers.js"]))
        assert second.content == b"export const x = 1;\n"
        assert 'filename="helpers.js"' in second["Content-Disposition"]
        assert client.get(pair.get_raw_url()).content.startswith(b"import helpers")
        missing = reverse("snaps:file-raw", args=[pair.hash_key, "nope.txt"])
        assert client.get(missing).status_code == 404

    def test_edit_adds_a_file_and_history_diffs_per_file(self, client, pair, user):
        client.force_login(user)
        files = [TWO_FILES[0], TWO_FILES[1] | {"content": "export const x = 2;\n"},
                 {"name": "README.md", "content": "# demo\n"}]  # fmt: skip
        client.post(reverse("snaps:edit", args=[pair.hash_key]), snap_form_data(*files))
        assert SnapFile.objects.filter(snap=pair).count() == 3
        history = client.get(pair.get_history_url())
        assertContains(history, 'data-testid="diff-file"', count=2)  # app.py is unchanged
        assertContains(history, "+export const x = 2;")
        assertContains(history, "README.md")
        old_raw = reverse("snaps:revision-file-raw", args=[pair.hash_key, 1, "helpers.js"])
        assert client.get(old_raw).content == b"export const x = 1;\n"

    def test_a_reply_shows_the_diff_of_the_changed_file_only(self, client, pair, other_user):
        client.force_login(other_user)
        files = [TWO_FILES[0], TWO_FILES[1] | {"content": "export const x = 3;\n"}]
        client.post(reverse("snaps:reply", args=[pair.hash_key]), snap_form_data(*files))
        reply = Snap.objects.get(parent=pair)
        page = client.get(reply.get_absolute_url())
        assertContains(page, 'data-testid="diff-file"', count=1)
        assertContains(page, "+export const x = 3;")

    def test_the_embed_shows_every_file(self, client, pair):
        page = client.get(reverse("snaps:embed", args=[pair.hash_key]))
        assertContains(page, "app.py")
        assertContains(page, "helpers.js")
        assertContains(page, 'id="f2-L1"')

    def test_lists_show_every_file_and_fetch_only_heads(self, client, pair):
        page = client.get(reverse("snaps:list"))
        assertContains(page, "2 files")
        snap = page.context["snaps"][0]
        assert all(hasattr(f, "content_head") for f in snap.file_list)
        assert all("content" in f.get_deferred_fields() for f in snap.file_list)

    def test_search_finds_a_snap_by_its_second_file(self, client, pair):
        SnapFactory(content="nothing here")
        page = client.get(reverse("snaps:list"), {"q": "export"})
        assert list(page.context["snaps"]) == [pair]
        assertNotContains(client.get(reverse("snaps:list"), {"q": "zebra"}), pair.filename)


class TestApi:
    def test_create_with_files_and_read_them_back(self, auth_api_client):
        files = [
            {"filename": "a.py", "content": "x = 1\n"},
            {"filename": "b", "language": "rust", "content": "fn b() {}\n"},
        ]
        body = {"files": files}
        response = auth_api_client.post("/api/v1/snaps/", body, format="json")
        assert response.status_code == 201, response.json()
        data = response.json()
        assert [(f["filename"], f["language"]) for f in data["files"]] == [
            ("a.py", "python"),
            ("b.rs", "rust"),
        ]
        assert data["name"] == "a.py" and data["content"] == "x = 1\n"  # the first file's
        assert data["files"][1]["raw_url"].endswith(f"/snaps/{data['hash_key']}/raw/b.rs")

    def test_the_single_file_fields_still_make_one_file(self, auth_api_client):
        body = {"name": "one", "extension": "py", "content": "x"}
        data = auth_api_client.post("/api/v1/snaps/", body, format="json").json()
        assert [f["filename"] for f in data["files"]] == ["one.py"]

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"files": [{"filename": "a.py", "content": "x"}], "content": "y"}, "files"),
            ({"files": []}, "files"),
            ({"files": [{"filename": "a.py", "content": "x", "mode": 1}]}, "files"),
            ({"files": [{"filename": "a.py", "content": 5}]}, "files"),
            ({"files": [{"filename": "a/b.py", "content": "x"}]}, "files"),
            ({"files": "a.py"}, "files"),
            ({"extension": "py"}, "name"),
        ],
    )
    def test_bad_files_are_400s(self, auth_api_client, body, field):
        response = auth_api_client.post("/api/v1/snaps/", body, format="json")
        assert response.status_code == 400, response.json()
        assert field in response.json()
        assert not Snap.objects.exists()

    def test_patch_files_replaces_them(self, auth_api_client, user):
        snap = services.snap_create(user=user, files=TWO_FILES)
        url = f"/api/v1/snaps/{snap.hash_key}/"
        body = {"files": [{"filename": "new.txt", "content": "hi"}]}
        response = auth_api_client.patch(url, body, format="json")
        assert response.status_code == 200
        assert [f["filename"] for f in response.json()["files"]] == ["new.txt"]
        revisions = auth_api_client.get(f"{url}revisions/").json()["results"]
        assert [f["filename"] for f in revisions[1]["files"]] == ["app.py", "helpers.js"]

    def test_list_with_several_files_keeps_its_query_count(
        self, api_client, user, django_assert_num_queries
    ):
        for _ in range(5):
            services.snap_create(user=user, files=TWO_FILES)
        with django_assert_num_queries(4):  # count, page (authors, parents, forks), files, tags
            response = api_client.get("/api/v1/snaps/")
        assert sum(len(s["files"]) for s in response.json()["results"]) == 10

    def test_search_and_language_filter_see_every_file(self, api_client, user):
        pair = services.snap_create(user=user, files=TWO_FILES)
        SnapFactory(content="unrelated", language="python")
        found = api_client.get("/api/v1/snaps/", {"search": "export"}).json()["results"]
        assert [s["hash_key"] for s in found] == [pair.hash_key]
        by_language = api_client.get("/api/v1/snaps/", {"language": "javascript"}).json()
        assert [s["hash_key"] for s in by_language["results"]] == [pair.hash_key]
