import pytest
from rest_framework.test import APIClient

from social import selectors as social_selectors
from social import services as social_services
from social.tests.factories import PostFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


class TestCredentials:
    def test_verify_credentials_has_source(self, mastodon_client, user):
        body = mastodon_client.get("/api/v1/accounts/verify_credentials").json()
        assert body["id"] == str(user.pk)
        assert body["acct"] == user.username
        assert body["source"]["privacy"] == "public"
        assert body["avatar"].startswith("http://testserver/")

    def test_profile_scope_is_enough_for_verify_credentials(self, user, make_token):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(user, 'profile').token}")
        assert client.get("/api/v1/accounts/verify_credentials").status_code == 200
        assert client.get("/api/v1/timelines/home").status_code == 403

    def test_update_credentials(self, mastodon_client, user):
        body = mastodon_client.patch(
            "/api/v1/accounts/update_credentials", {"display_name": "Ann", "note": "<b>hi</b>"}
        ).json()
        assert body["display_name"] == "Ann"
        assert body["note"] == "<p>&lt;b&gt;hi&lt;/b&gt;</p>"
        user.refresh_from_db()
        assert user.bio == "<b>hi</b>"

    def test_update_credentials_refuses_a_bad_value(self, mastodon_client):
        response = mastodon_client.patch(
            "/api/v1/accounts/update_credentials", {"display_name": "x" * 51}
        )
        assert response.status_code == 422


class TestAccounts:
    def test_get_and_lookup(self, mastodon_client, other_user):
        by_id = mastodon_client.get(f"/api/v1/accounts/{other_user.pk}").json()
        looked = mastodon_client.get(
            "/api/v1/accounts/lookup", {"acct": f"{other_user.username}@testserver"}
        ).json()
        assert by_id == looked
        assert (
            mastodon_client.get("/api/v1/accounts/lookup", {"acct": "x@far.example"}).status_code
            == 404
        )
        assert mastodon_client.get("/api/v1/accounts/999999").status_code == 404

    def test_statuses_paged_with_link(self, mastodon_client, other_user):
        posts = [PostFactory(user=other_user) for _ in range(3)]
        first = mastodon_client.get(f"/api/v1/accounts/{other_user.pk}/statuses", {"limit": 2})
        assert [s["id"] for s in first.json()] == [str(posts[2].pk), str(posts[1].pk)]
        assert f"max_id={posts[1].pk}" in first["Link"]
        older = mastodon_client.get(
            f"/api/v1/accounts/{other_user.pk}/statuses", {"max_id": posts[1].pk}
        ).json()
        assert [s["id"] for s in older] == [str(posts[0].pk)]

    def test_follow_unfollow_and_lists(self, mastodon_client, user, other_user):
        relation = mastodon_client.post(f"/api/v1/accounts/{other_user.pk}/follow").json()
        assert relation["following"] is True
        followers = mastodon_client.get(f"/api/v1/accounts/{other_user.pk}/followers").json()
        assert [a["id"] for a in followers] == [str(user.pk)]
        assert followers[0]["following_count"] == 1
        following = mastodon_client.get(f"/api/v1/accounts/{user.pk}/following").json()
        assert [a["id"] for a in following] == [str(other_user.pk)]
        assert social_selectors.is_following(user, other_user)
        relation = mastodon_client.post(f"/api/v1/accounts/{other_user.pk}/unfollow").json()
        assert relation["following"] is False

    def test_relationships(self, mastodon_client, user, other_user):
        social_services.follow_create(follower=other_user, followed=user)
        social_services.mute_create(muter=user, muted=other_user)
        body = mastodon_client.get(
            "/api/v1/accounts/relationships", {"id[]": [other_user.pk, 999999]}
        ).json()
        assert len(body) == 1
        assert (body[0]["followed_by"], body[0]["muting"], body[0]["following"]) == (
            True,
            True,
            False,
        )

    def test_block_unblock_mute_unmute(self, mastodon_client, user, other_user):
        social_services.follow_create(follower=user, followed=other_user)
        blocked = mastodon_client.post(f"/api/v1/accounts/{other_user.pk}/block").json()
        assert (blocked["blocking"], blocked["following"]) == (True, False)  # the follow went
        assert [a["id"] for a in mastodon_client.get("/api/v1/blocks").json()] == [
            str(other_user.pk)
        ]
        assert (
            mastodon_client.post(f"/api/v1/accounts/{other_user.pk}/unblock").json()["blocking"]
            is False
        )
        assert (
            mastodon_client.post(f"/api/v1/accounts/{other_user.pk}/mute").json()["muting"] is True
        )
        assert [a["id"] for a in mastodon_client.get("/api/v1/mutes/").json()] == [
            str(other_user.pk)
        ]
        assert (
            mastodon_client.post(f"/api/v1/accounts/{other_user.pk}/unmute").json()["muting"]
            is False
        )

    def test_blocked_user_cannot_follow(self, mastodon_client, user, other_user):
        social_services.block_create(blocker=other_user, blocked=user)
        assert mastodon_client.post(f"/api/v1/accounts/{other_user.pk}/follow").status_code in (
            403,
            422,
        )
        assert not social_selectors.is_following(user, other_user)

    def test_follow_yourself_is_422(self, mastodon_client, user):
        assert mastodon_client.post(f"/api/v1/accounts/{user.pk}/follow").status_code == 422

    def test_follow_needs_the_follow_scope(self, user, other_user, make_token):
        client = APIClient()
        client.credentials(
            HTTP_AUTHORIZATION=f"Bearer {make_token(user, 'read write:statuses').token}"
        )
        assert client.post(f"/api/v1/accounts/{other_user.pk}/follow").status_code == 403
        legacy = APIClient()
        legacy.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(user, 'follow').token}")
        assert legacy.post(f"/api/v1/accounts/{other_user.pk}/follow").status_code == 200
