"""Forks (as in Gist) and replies (as in dpaste): copies linked to their parent."""

import pytest
from django.http import Http404
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from snaps import services
from snaps.models import Snap
from snaps.tests.factories import SnapFactory, snap_form_data

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

API = "/api/v1/snaps/"


@pytest.fixture
def original(other_user):
    return SnapFactory(user=other_user, name="orig", language="text", content="a\nb\n")


class TestService:
    def test_a_fork_is_a_linked_copy_in_the_forkers_account(self, original, user):
        fork = services.snap_fork(snap=original, by=user)
        assert (fork.user, fork.parent, fork.first_file.content, fork.first_file.name) == (
            user,
            original,
            "a\nb\n",
            "orig",
        )
        assert fork.hash_key != original.hash_key

    @pytest.mark.parametrize("trait", ["unlisted", "private"])
    def test_others_unlisted_or_private_snaps_cannot_be_forked(self, user, trait):
        with pytest.raises(Http404):
            services.snap_fork(snap=SnapFactory(**{trait: True}), by=user)
        assert Snap.objects.count() == 1

    def test_the_author_forks_their_own_unlisted_snap(self, user):
        mine = SnapFactory(user=user, unlisted=True)
        assert services.snap_fork(snap=mine, by=user).visibility == "unlisted"


class TestPages:
    def test_fork_button_copies_and_links_back(self, client, user, original):
        client.force_login(user)
        assertContains(
            client.get(original.get_absolute_url()), reverse("snaps:fork", args=[original.hash_key])
        )
        response = client.post(reverse("snaps:fork", args=[original.hash_key]))
        fork = Snap.objects.get(parent=original)
        assert response.url == fork.get_absolute_url()
        page = client.get(fork.get_absolute_url())
        assertContains(page, "forked from")
        assertContains(page, original.get_absolute_url())
        assertContains(client.get(original.get_absolute_url()), "1 fork")

    def test_reply_starts_from_the_original_and_shows_its_diff(self, client, user, original):
        client.force_login(user)
        url = reverse("snaps:reply", args=[original.hash_key])
        form = client.get(url)
        assert form.context["formset"].initial[0]["content"] == "a\nb\n"
        client.post(
            url, snap_form_data({"name": "orig", "language": "text", "content": "a\nc <i>\n"})
        )
        reply = Snap.objects.get(parent=original)
        page = client.get(reply.get_absolute_url())
        assertContains(page, "reply to")
        assertContains(page, '<span class="diff-add">+c &lt;i&gt;\n</span>', html=False)
        assertContains(page, '<span class="diff-del">-b\n</span>', html=False)

    def test_others_unlisted_snap_has_no_fork_or_reply(self, client, user):
        unlisted = SnapFactory(unlisted=True)
        client.force_login(user)
        assertNotContains(client.get(unlisted.get_absolute_url()), "Fork")
        assert client.post(reverse("snaps:fork", args=[unlisted.hash_key])).status_code == 404
        assert client.get(reverse("snaps:reply", args=[unlisted.hash_key])).status_code == 404
        assert Snap.objects.count() == 1

    def test_a_parent_made_private_is_no_longer_shown(self, client, user, original, other_user):
        fork = services.snap_fork(snap=original, by=user)
        services.snap_update(snap=original, by=other_user, visibility="private")
        page = client.get(fork.get_absolute_url())
        assertNotContains(page, original.hash_key)

    def test_anonymous_fork_goes_to_login(self, client, original):
        response = client.post(reverse("snaps:fork", args=[original.hash_key]))
        assert response.status_code == 302 and "/accounts/login/" in response.url


class TestApi:
    def test_fork_and_reply(self, auth_api_client, original):
        url = f"{API}{original.hash_key}/fork/"
        fork = auth_api_client.post(url, {}, format="json")
        assert fork.status_code == 201, fork.json()
        assert fork.json()["parent"] == original.hash_key
        reply = auth_api_client.post(
            url, {"content": "changed\n", "language": "Python"}, format="json"
        )
        assert reply.status_code == 201, reply.json()
        assert (reply.json()["content"], reply.json()["language"]) == ("changed\n", "python")
        assert auth_api_client.get(f"{API}{original.hash_key}/").json()["fork_count"] == 2

    def test_unknown_fields_and_languages_are_400(self, auth_api_client, original):
        url = f"{API}{original.hash_key}/fork/"
        assert auth_api_client.post(url, {"owner": "x"}, format="json").status_code == 400
        assert auth_api_client.post(url, {"language": "klingon"}, format="json").status_code == 400

    def test_others_unlisted_is_404_and_anonymous_401(self, auth_api_client, api_client):
        unlisted = SnapFactory(unlisted=True)
        assert (
            auth_api_client.post(f"{API}{unlisted.hash_key}/fork/", {}, format="json").status_code
            == 404
        )
        public = SnapFactory()
        assert (
            api_client.post(f"{API}{public.hash_key}/fork/", {}, format="json").status_code == 401
        )

    @pytest.mark.parametrize("count", [1, 10])
    def test_list_with_forks_keeps_its_query_count(
        self, api_client, django_assert_num_queries, count, user
    ):
        for parent in SnapFactory.create_batch(count):
            services.snap_fork(snap=parent, by=user)
        with django_assert_num_queries(4):  # + tags
            body = api_client.get(API).json()
        assert sum(s["fork_count"] for s in body["results"]) == count
        assert sum(s["parent"] is not None for s in body["results"]) == count


def test_a_replys_page_query_count_is_pinned(client, original, user, django_assert_num_queries):
    reply = services.snap_fork(snap=original, by=user, content="a\nc\n")
    client.force_login(user)
    # session, user, the snap with its author and parent, its files, the parent's files,
    # its fork count, its tags
    with django_assert_num_queries(7):
        response = client.get(reply.get_absolute_url())
    assertContains(response, "Changes from the original")
