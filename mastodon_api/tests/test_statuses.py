import pytest
from rest_framework.test import APIClient

from social import services as social_services
from social.models import Post
from social.tests.factories import PostFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


class TestCreate:
    def test_form_post_returns_the_status_entity(self, mastodon_client, user):
        response = mastodon_client.post("/api/v1/statuses", {"status": "Hello #Tea @nobody"})
        assert response.status_code == 200
        body = response.json()
        assert body["id"] == str(Post.objects.get().pk)
        assert body["account"]["username"] == user.username
        assert body["visibility"] == "public"
        assert body["tags"][0]["name"] == "tea"
        assert body["content"].startswith('<p>Hello <a href="/social/tags/tea/"')
        assert body["mentions"] == []  # nobody does not exist

    def test_html_is_escaped_as_on_the_web_pages(self, mastodon_client):
        body = mastodon_client.post(
            "/api/v1/statuses", {"status": "<script>x</script>"}, format="json"
        ).json()
        assert body["content"] == "<p>&lt;script&gt;x&lt;/script&gt;</p>"

    def test_idempotency_key_answers_the_same_status_once(self, mastodon_client):
        headers = {"HTTP_IDEMPOTENCY_KEY": "abc"}
        first = mastodon_client.post("/api/v1/statuses", {"status": "once"}, **headers).json()
        again = mastodon_client.post("/api/v1/statuses", {"status": "once"}, **headers).json()
        assert first["id"] == again["id"]
        assert Post.objects.count() == 1
        mastodon_client.post("/api/v1/statuses", {"status": "once"}, HTTP_IDEMPOTENCY_KEY="other")
        assert Post.objects.count() == 2

    def test_reply(self, mastodon_client, other_user):
        parent = PostFactory(user=other_user)
        body = mastodon_client.post(
            "/api/v1/statuses/", {"status": "yes", "in_reply_to_id": str(parent.pk)}
        ).json()
        assert body["in_reply_to_id"] == str(parent.pk)
        assert body["in_reply_to_account_id"] == str(other_user.pk)

    @pytest.mark.parametrize(
        ("body", "word"),
        [
            ({"status": ""}, "blank"),
            ({"status": "x" * 501}, "500"),
            ({"status": "x", "visibility": "direct"}, "visibility"),
            ({"status": "x", "spoiler_text": "cw"}, "spoiler_text"),
            ({"status": "x", "media_ids": ["1"]}, "media_ids"),
            ({"status": "x", "in_reply_to_id": "abc"}, "in_reply_to_id"),
            ({"status": 5}, "status"),
        ],
    )
    def test_bad_input_is_a_422(self, mastodon_client, body, word):
        response = mastodon_client.post("/api/v1/statuses", body, format="json")
        assert response.status_code == 422
        assert word in response.json()["error"]
        assert Post.objects.count() == 0

    def test_read_only_token_is_refused(self, user, make_token):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(user, 'read').token}")
        response = client.post("/api/v1/statuses", {"status": "no"})
        assert response.status_code == 403
        assert response.json() == {"error": "This action is outside the authorized scopes"}

    def test_granular_scope_is_enough(self, user, make_token):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(user, 'write:statuses').token}")
        assert client.post("/api/v1/statuses", {"status": "yes"}).status_code == 200
        assert client.post(f"/api/v1/statuses/{Post.objects.get().pk}/favourite").status_code == 403

    def test_anonymous_is_401(self):
        assert APIClient().post("/api/v1/statuses", {"status": "x"}).status_code == 401


class TestReadEditDelete:
    def test_get_edit_history_and_source(self, mastodon_client, user):
        post = social_services.post_create(user=user, content="first")
        response = mastodon_client.put(f"/api/v1/statuses/{post.pk}", {"status": "second"})
        assert response.status_code == 200
        assert response.json()["edited_at"] is not None
        history = mastodon_client.get(f"/api/v1/statuses/{post.pk}/history").json()
        assert [version["content"] for version in history] == ["<p>first</p>", "<p>second</p>"]
        source = mastodon_client.get(f"/api/v1/statuses/{post.pk}/source").json()
        assert source == {"id": str(post.pk), "text": "second", "spoiler_text": ""}

    def test_someone_elses_status_cannot_be_edited_or_deleted(self, mastodon_client, other_user):
        post = PostFactory(user=other_user)
        assert (
            mastodon_client.put(f"/api/v1/statuses/{post.pk}", {"status": "x"}).status_code == 403
        )
        assert mastodon_client.delete(f"/api/v1/statuses/{post.pk}").status_code == 403
        assert Post.objects.filter(pk=post.pk).exists()

    def test_delete_then_404(self, mastodon_client, user):
        post = PostFactory(user=user, content="bye")
        deleted = mastodon_client.delete(f"/api/v1/statuses/{post.pk}")
        assert deleted.json()["text"] == "bye"
        gone = mastodon_client.get(f"/api/v1/statuses/{post.pk}")
        assert gone.status_code == 404
        assert set(gone.json()) == {"error"}

    def test_blocked_authors_status_is_404(self, mastodon_client, user, other_user):
        post = PostFactory(user=other_user)
        social_services.block_create(blocker=other_user, blocked=user)
        assert mastodon_client.get(f"/api/v1/statuses/{post.pk}").status_code == 404

    def test_public_status_is_readable_without_token(self, other_user):
        post = PostFactory(user=other_user)
        body = APIClient().get(f"/api/v1/statuses/{post.pk}").json()
        assert body["favourited"] is False

    def test_context(self, mastodon_client, user, other_user):
        root = social_services.post_create(user=other_user, content="root")
        reply = social_services.post_create(user=user, content="r", in_reply_to_id=root.pk)
        deeper = social_services.post_create(user=other_user, content="d", in_reply_to_id=reply.pk)
        body = mastodon_client.get(f"/api/v1/statuses/{reply.pk}/context").json()
        assert [s["id"] for s in body["ancestors"]] == [str(root.pk)]
        assert [s["id"] for s in body["descendants"]] == [str(deeper.pk)]


class TestFavourite:
    def test_favourite_and_undo(self, mastodon_client, user, other_user):
        post = PostFactory(user=other_user)
        body = mastodon_client.post(f"/api/v1/statuses/{post.pk}/favourite").json()
        assert (body["favourited"], body["favourites_count"]) == (True, 1)
        likers = mastodon_client.get(f"/api/v1/statuses/{post.pk}/favourited_by").json()
        assert [account["id"] for account in likers] == [str(user.pk)]
        body = mastodon_client.post(f"/api/v1/statuses/{post.pk}/unfavourite").json()
        assert (body["favourited"], body["favourites_count"]) == (False, 0)


class TestReblog:
    def test_reblog_answers_the_wrapper_and_counts(self, mastodon_client, user, other_user):
        post = PostFactory(user=other_user, content="worth sharing")
        response = mastodon_client.post(f"/api/v1/statuses/{post.pk}/reblog")
        assert response.status_code == 200
        body = response.json()
        boost = Post.objects.get(boost_of=post)
        assert (body["id"], body["account"]["id"], body["content"]) == (
            str(boost.pk),
            str(user.pk),
            "",
        )
        assert body["reblog"]["id"] == str(post.pk)
        assert body["reblog"]["account"]["id"] == str(other_user.pk)
        assert (body["reblog"]["reblogged"], body["reblog"]["reblogs_count"]) == (True, 1)
        assert body["reblogged"] is True
        again = mastodon_client.post(f"/api/v1/statuses/{post.pk}/reblog/").json()
        assert again["id"] == body["id"]  # idempotent, no second boost
        status = mastodon_client.get(f"/api/v1/statuses/{post.pk}").json()
        assert (status["reblogged"], status["reblogs_count"]) == (True, 1)

    def test_unreblog_answers_the_original(self, mastodon_client, user, other_user):
        post = PostFactory(user=other_user)
        social_services.boost_create(user=user, post=post)
        body = mastodon_client.post(f"/api/v1/statuses/{post.pk}/unreblog").json()
        assert (body["id"], body["reblogged"], body["reblogs_count"]) == (str(post.pk), False, 0)
        assert body["reblog"] is None
        assert not Post.objects.filter(boost_of=post).exists()

    def test_reblogged_by(self, mastodon_client, user, other_user):
        post = PostFactory(user=other_user)
        social_services.boost_create(user=user, post=post)
        body = mastodon_client.get(f"/api/v1/statuses/{post.pk}/reblogged_by").json()
        assert [account["id"] for account in body] == [str(user.pk)]

    def test_blocked_author_cannot_be_reblogged(self, mastodon_client, user, other_user):
        post = PostFactory(user=other_user)
        social_services.block_create(blocker=other_user, blocked=user)
        assert mastodon_client.post(f"/api/v1/statuses/{post.pk}/reblog").status_code == 404

    def test_needs_write_statuses(self, user, other_user, make_token):
        post = PostFactory(user=other_user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(user, 'read').token}")
        assert client.post(f"/api/v1/statuses/{post.pk}/reblog").status_code == 403
        assert not Post.objects.filter(boost_of=post).exists()

    def test_boost_shows_in_home_as_a_wrapper(self, mastodon_client, user, other_user):
        stranger_post = PostFactory(content="from afar")
        social_services.follow_create(follower=user, followed=other_user)
        boost, _ = social_services.boost_create(user=other_user, post=stranger_post)
        body = mastodon_client.get("/api/v1/timelines/home").json()
        assert [s["id"] for s in body] == [str(boost.pk)]
        assert body[0]["account"]["id"] == str(other_user.pk)
        assert body[0]["reblog"]["id"] == str(stranger_post.pk)
        assert body[0]["reblog"]["content"] == "<p>from afar</p>"
        assert body[0]["reblog"]["reblogs_count"] == 1

    def test_author_is_notified_as_reblog(self, mastodon_client, other_mastodon_client, other_user):
        post = PostFactory(user=other_user)
        mastodon_client.post(f"/api/v1/statuses/{post.pk}/reblog")
        body = other_mastodon_client.get("/api/v1/notifications").json()
        assert [(n["type"], n["status"]["id"]) for n in body] == [("reblog", str(post.pk))]
