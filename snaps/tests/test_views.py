from datetime import timedelta

import pytest
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from snaps import services
from snaps.models import Snap
from snaps.tests.factories import SnapFactory, snap_form_data

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

CREATE_URL = reverse("snaps:create")
LIST_URL = reverse("snaps:list")


FILE_FIELDS = ("name", "extension", "language", "content")


def snap_data(**overrides):
    """One file's form data; file fields go to the file, the rest to the snap."""
    file = {"name": "hello", "extension": "py", "content": "def f():\n    return 1\n"}
    file |= {k: v for k, v in overrides.items() if k in FILE_FIELDS}
    return snap_form_data(file, **{k: v for k, v in overrides.items() if k not in FILE_FIELDS})


def form_errors(response, field: str) -> list[str]:
    """A field's errors, on the snap's form or on its (first) file's."""
    if field in FILE_FIELDS:
        return response.context["formset"].forms[0].errors.get(field, [])
    return response.context["form"].errors.get(field, [])


class TestCreate:
    def test_anonymous_is_redirected_to_login_with_next(self, client, settings):
        settings.SNAPS_ALLOW_ANONYMOUS = False
        response = client.get(CREATE_URL)
        assertRedirects(response, f"{reverse('account_login')}?next={CREATE_URL}")

    def test_anonymous_post_creates_nothing(self, client, settings):
        settings.SNAPS_ALLOW_ANONYMOUS = False
        client.post(CREATE_URL, snap_data())
        assert not Snap.objects.exists()

    def test_valid_post_creates_one_snap_and_redirects_to_it(self, client, user):
        client.force_login(user)
        response = client.post(CREATE_URL, snap_data(extension=".PY"))
        snap = Snap.objects.get()
        assert snap.user == user
        assert snap.first_file.extension == "py"
        assert snap.first_file.content == "def f():\n    return 1\n"
        assertRedirects(response, snap.get_absolute_url())

    def test_leading_indentation_is_kept(self, client, user):
        client.force_login(user)
        client.post(CREATE_URL, snap_data(content="    indented()\n"))
        assert Snap.objects.get().first_file.content == "    indented()\n"

    def test_expiry_choice_sets_expires_at(self, client, user):
        client.force_login(user)
        client.post(CREATE_URL, snap_data(expires_in="1d"))
        remaining = Snap.objects.get().expires_at - timezone.now()
        assert timedelta(hours=23) < remaining <= timedelta(days=1)

    @pytest.mark.parametrize("field", ["name", "content"])
    def test_missing_field_is_a_field_error(self, client, user, field):
        client.force_login(user)
        response = client.post(CREATE_URL, snap_data(**{field: ""}))
        assert response.status_code == 200
        assert form_errors(response, field)
        assert not Snap.objects.exists()

    def test_language_is_guessed_from_the_name_when_not_given(self, client, user):
        client.force_login(user)
        client.post(CREATE_URL, snap_data(name="main.rs", extension="", content="fn main() {}"))
        snap = Snap.objects.get()
        assert (snap.first_file.language, snap.first_file.extension, snap.filename) == (
            "rust",
            "rs",
            "main.rs",
        )

    def test_language_picker_offers_every_lexer_and_accepts_a_name(self, client, user):
        client.force_login(user)
        page = client.get(CREATE_URL)
        assertContains(page, '<datalist id="language-list">')
        assertContains(page, '<option value="haskell">Haskell</option>')
        assertContains(page, 'list="language-list"')
        client.post(CREATE_URL, snap_data(language="Haskell"))
        assert Snap.objects.get().first_file.language == "haskell"

    def test_unknown_language_is_a_field_error(self, client, user):
        client.force_login(user)
        response = client.post(CREATE_URL, snap_data(language="klingon"))
        assert form_errors(response, "language") == ["Unknown language."]
        assert not Snap.objects.exists()

    def test_the_authors_last_language_is_preselected(
        self, client, user, django_assert_num_queries
    ):
        SnapFactory(user=user, language="go", created_on=timezone.now() - timedelta(days=1))
        SnapFactory(user=user, language="rust")
        SnapFactory(language="python")  # someone else's, newer
        client.force_login(user)
        with django_assert_num_queries(3):  # session, user, the newest snap's language
            response = client.get(CREATE_URL)
        assert response.context["formset"].initial[0]["language"] == "rust"

    def test_missing_content_says_this_field_is_required(self, client, user):
        client.force_login(user)
        response = client.post(CREATE_URL, snap_data(content=""))
        assert form_errors(response, "content") == ["This field is required."]

    @pytest.mark.parametrize(
        ("field", "value"),
        [("name", "n" * 129), ("extension", "e" * 13), ("extension", "p y"),
         ("visibility", "secret"), ("expires_in", "forever"), ("content", "   ")],
    )  # fmt: skip
    def test_bad_values_are_field_errors(self, client, user, field, value):
        client.force_login(user)
        response = client.post(CREATE_URL, snap_data(**{field: value}))
        assert response.status_code == 200
        assert form_errors(response, field)
        assert not Snap.objects.exists()

    def test_oversized_content_is_a_form_error(self, client, user, settings):
        settings.SNAPS_MAX_CONTENT_CHARS = 100
        client.force_login(user)
        response = client.post(CREATE_URL, snap_data(content="x" * 101))
        assert response.status_code == 200
        assertContains(response, "The snap is too long: 101 characters, the limit is 100.")
        assert not Snap.objects.exists()

    def test_post_without_csrf_token_is_403(self, user):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        response = client.post(CREATE_URL, snap_data())
        assert response.status_code == 403
        assert not Snap.objects.exists()

    def test_database_failure_rerenders_form_with_message(self, client, user, monkeypatch):
        def fail(**kwargs):
            raise DatabaseError("disk full")

        monkeypatch.setattr(services, "snap_create", fail)
        client.force_login(user)
        response = client.post(CREATE_URL, snap_data(content="keep me"))
        assert response.status_code == 200
        assertContains(response, "Something went wrong while posting your snap!")
        assertContains(response, "keep me")  # the text is not lost
        assert not Snap.objects.exists()


class TestList:
    def test_anonymous_sees_newest_first_with_author(self, client):
        old = SnapFactory(name="old_one", created_on=timezone.now() - timedelta(days=1))
        new = SnapFactory(name="new_one")
        response = client.get(LIST_URL)
        assert response.status_code == 200
        assert list(response.context["snaps"]) == [new, old]
        assertContains(response, new.user.username)
        assertContains(response, new.get_absolute_url())

    def test_twenty_per_page_and_page_two_holds_the_21st(self, client):
        now = timezone.now()
        snaps = [SnapFactory(created_on=now - timedelta(minutes=i)) for i in range(21)]
        first = client.get(LIST_URL)
        assert len(first.context["snaps"]) == 20
        second = client.get(LIST_URL, {"page": 2})
        assert list(second.context["snaps"]) == [snaps[20]]

    def test_excludes_private_unlisted_and_expired(self, client):
        shown = SnapFactory()
        hidden = [SnapFactory(private=True), SnapFactory(unlisted=True), SnapFactory(expired=True)]
        response = client.get(LIST_URL)
        assert list(response.context["snaps"]) == [shown]
        for snap in hidden:
            assertNotContains(response, snap.hash_key)

    @pytest.mark.parametrize("count", [1, 20])
    def test_query_count_is_constant(self, client, django_assert_num_queries, count):
        SnapFactory.create_batch(count)
        with django_assert_num_queries(3):  # count + one page with its authors + their files
            client.get(LIST_URL)

    def test_empty_state(self, client):
        assertContains(client.get(LIST_URL), "No snaps yet")

    def test_content_is_escaped(self, client):
        SnapFactory(content="<script>alert('x')</script>", extension="html")
        response = client.get(LIST_URL)
        assertNotContains(response, "<script>alert")


class TestDetail:
    def test_python_is_highlighted(self, client):
        snap = SnapFactory(content="def answer():\n    return 42\n", extension="py")
        response = client.get(snap.get_absolute_url())
        assert response.status_code == 200
        assertContains(response, 'class="highlight"')
        assertContains(response, '<span class="k">def</span>')
        assertContains(response, "Python")

    def test_unknown_extension_falls_back_to_plain_text(self, client):
        snap = SnapFactory(extension="zzzq", content="just words")
        response = client.get(snap.get_absolute_url())
        assert response.status_code == 200
        assertContains(response, "just words")

    def test_unknown_key_is_404(self, client):
        response = client.get(reverse("snaps:detail", kwargs={"hash_key": "a" * 40}))
        assert response.status_code == 404
        assertContains(response, "Page not found", status_code=404)

    def test_content_is_escaped(self, client):
        snap = SnapFactory(content='<img src=x onerror="alert(1)">', extension="txt")
        response = client.get(snap.get_absolute_url())
        assertNotContains(response, "<img src=x")
        assertContains(response, "&lt;img")

    def test_unlisted_opens_by_link(self, client):
        snap = SnapFactory(unlisted=True)
        assert client.get(snap.get_absolute_url()).status_code == 200

    def test_private_only_for_owner(self, client, other_user):
        snap = SnapFactory(private=True)
        assert client.get(snap.get_absolute_url()).status_code == 404
        client.force_login(other_user)
        assert client.get(snap.get_absolute_url()).status_code == 404
        client.force_login(snap.user)
        assert client.get(snap.get_absolute_url()).status_code == 200

    def test_expired_is_404(self, client):
        snap = SnapFactory(expired=True)
        assert client.get(snap.get_absolute_url()).status_code == 404

    def test_shows_the_share_link(self, client):
        snap = SnapFactory()
        assertContains(
            client.get(snap.get_absolute_url()), f"http://testserver/snaps/{snap.hash_key}/"
        )


class TestReading:
    def test_each_line_has_its_anchor_and_the_block_is_focusable(self, client):
        snap = SnapFactory(language="text", content="a <b>\nb\n")
        response = client.get(snap.get_absolute_url())
        assertContains(response, '<pre tabindex="0" role="region" aria-label="Code">')
        assertContains(
            response,
            '<span class="line" id="L1"><a class="ln" href="#L1" data-line="1" '
            'aria-label="Line 1" tabindex="-1"></a>a &lt;b&gt;\n</span>',
        )
        assertContains(response, 'id="L2"')
        assertNotContains(response, 'id="L3"')
        assertContains(response, 'data-copy-target="snap-source"')
        assertContains(response, f'href="{snap.first_file.get_raw_url()}?download=1"')
        assertContains(response, "snaps/reader.js")


class TestRaw:
    def test_returns_exact_content_as_plain_text(self, client):
        content = "<b>not html</b>\n\ttab\r\nü\n"
        snap = SnapFactory(content=content, name="page", extension="html")
        response = client.get(snap.get_raw_url())
        assert response.status_code == 200
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"] == 'inline; filename="page.html"'
        assert response.content.decode("utf-8") == content

    def test_download_is_an_attachment(self, client):
        snap = SnapFactory(name="page", extension="html")
        response = client.get(snap.get_raw_url(), {"download": "1"})
        assert response["Content-Disposition"] == 'attachment; filename="page.html"'

    def test_private_raw_is_404_for_others(self, client):
        assert client.get(SnapFactory(private=True).get_raw_url()).status_code == 404


class TestDelete:
    def test_owner_sees_confirmation_then_deletes(self, client):
        snap = SnapFactory()
        client.force_login(snap.user)
        url = reverse("snaps:delete", kwargs={"hash_key": snap.hash_key})
        assertContains(client.get(url), "Delete snap")
        response = client.post(url, follow=True)
        assertRedirects(response, LIST_URL)
        assertContains(response, "deleted")
        assert not Snap.objects.filter(pk=snap.pk).exists()

    def test_other_user_gets_404_and_snap_survives(self, client, other_user):
        snap = SnapFactory()
        client.force_login(other_user)
        url = reverse("snaps:delete", kwargs={"hash_key": snap.hash_key})
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
        assert Snap.objects.filter(pk=snap.pk).exists()

    def test_anonymous_is_sent_to_login(self, client):
        snap = SnapFactory()
        response = client.post(reverse("snaps:delete", kwargs={"hash_key": snap.hash_key}))
        assert response.status_code == 302
        assert Snap.objects.filter(pk=snap.pk).exists()


class TestUserPage:
    def test_shows_public_snaps_and_count_to_others(self, client, user):
        SnapFactory.create_batch(2, user=user)
        SnapFactory(user=user, private=True)
        SnapFactory()  # someone else's
        response = client.get(reverse("snaps:user", kwargs={"username": user.username}))
        assert response.status_code == 200
        assert len(response.context["snaps"]) == 2
        assertContains(response, "2 snaps")

    def test_owner_sees_all_own_snaps(self, client, user):
        SnapFactory(user=user)
        SnapFactory(user=user, private=True)
        SnapFactory(user=user, unlisted=True)
        client.force_login(user)
        response = client.get(reverse("snaps:user", kwargs={"username": user.username}))
        assert len(response.context["snaps"]) == 3

    def test_unknown_user_is_404(self, client):
        assert client.get(reverse("snaps:user", kwargs={"username": "ghost"})).status_code == 404

    def test_query_count_is_constant(self, client, user, django_assert_num_queries):
        SnapFactory.create_batch(5, user=user)
        with django_assert_num_queries(5):  # owner, count, page, its files, per-language stats
            client.get(reverse("snaps:user", kwargs={"username": user.username}))


def test_highlighting_is_cached_by_content(client, monkeypatch):
    from snaps import highlighting

    calls = []
    original = highlighting._render
    monkeypatch.setattr(
        highlighting, "_render", lambda *a, **k: calls.append(1) or original(*a, **k)
    )
    snap = SnapFactory(content="x = 1\n", extension="py")
    client.get(snap.get_absolute_url())
    client.get(snap.get_absolute_url())
    assert len(calls) == 1
    SnapFactory(content="x = 2\n", extension="py")  # other content renders anew
    assert (
        "x" in highlighting.highlight_code("x = 2\n", "py", line_numbers=True).html
        and len(calls) == 2
    )
