import pytest
from django.test import Client
from pytest_django.asserts import assertContains
from rest_framework.test import APIClient

from mastodon_api.models import MediaAttachment
from photos import services as photo_services
from photos.models import Photo
from photos.tests.images import image_bytes, upload
from social import services as social_services
from social.models import Post, PostAttachment
from social.tests.factories import PostFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _ready_photo(user, alt_text="drawn on the web"):
    photo = photo_services.photo_upload(
        user=user, file=upload(image_bytes("PNG", size=(300, 200))), alt_text=alt_text
    )
    photo_services.photo_process(photo_id=photo.pk)  # what the worker does
    photo.refresh_from_db()
    return photo


def _upload(client, name="a.png", **fields):
    image = upload(image_bytes("PNG", size=(320, 200)), name)  # a new colour each time
    return client.post("/api/v2/media", {"file": image, **fields}, format="multipart")


class TestUpload:
    def test_202_while_processing_then_200_with_sizes_and_blurhash(self, mastodon_client):
        response = _upload(mastodon_client, description="A red square", focus="0.5,-0.25")
        assert response.status_code == 202
        body = response.json()
        assert (body["type"], body["url"], body["description"]) == ("image", None, "A red square")
        assert body["meta"]["focus"] == {"x": 0.5, "y": -0.25}
        assert mastodon_client.get(f"/api/v1/media/{body['id']}").status_code == 206
        photo = MediaAttachment.objects.get(pk=body["id"]).photo
        assert photo.alt_text == "A red square"  # the photo app's alt text
        photo_services.photo_process(photo_id=photo.pk)
        ready = mastodon_client.get(f"/api/v1/media/{body['id']}")
        assert ready.status_code == 200
        assert ready.json()["url"].startswith("http://testserver/")
        assert ready.json()["blurhash"]
        assert ready.json()["meta"]["original"]["width"] == 320

    def test_update_description_and_focus(self, mastodon_client):
        media_id = _upload(mastodon_client).json()["id"]
        body = mastodon_client.put(
            f"/api/v1/media/{media_id}", {"description": "Now described", "focus": "0,1"}
        ).json()
        assert (body["description"], body["meta"]["focus"]) == (
            "Now described",
            {"x": 0.0, "y": 1.0},
        )

    @pytest.mark.parametrize(
        ("fields", "word"),
        [
            ({"focus": "2,0"}, "focus"),
            ({"focus": "a"}, "focus"),
            ({"description": "x" * 1501}, "description"),
        ],
    )
    def test_bad_fields_are_422_and_store_nothing(self, mastodon_client, fields, word):
        response = _upload(mastodon_client, **fields)
        assert response.status_code == 422
        assert word in response.json()["error"]
        assert Photo.objects.count() == 0

    def test_not_an_image_is_422(self, mastodon_client):
        response = mastodon_client.post(
            "/api/v2/media", {"file": upload(b"not an image", "a.png")}, format="multipart"
        )
        assert response.status_code == 422
        assert mastodon_client.post("/api/v2/media", {}, format="multipart").status_code == 422

    def test_someone_elses_media_is_404(self, mastodon_client, other_mastodon_client):
        media_id = _upload(mastodon_client).json()["id"]
        assert other_mastodon_client.get(f"/api/v1/media/{media_id}").status_code == 404

    def test_needs_write_media(self, user, make_token):
        client = APIClient()
        client.credentials(
            HTTP_AUTHORIZATION=f"Bearer {make_token(user, 'read write:statuses').token}"
        )
        assert _upload(client).status_code == 403


class TestAttach:
    def test_status_with_media_in_order(self, mastodon_client):
        ids = [_upload(mastodon_client, f"{n}.png").json()["id"] for n in range(2)]
        body = mastodon_client.post(
            "/api/v1/statuses", {"status": "pics", "media_ids[]": list(reversed(ids))}
        ).json()
        assert [m["id"] for m in body["media_attachments"]] == list(reversed(ids))
        again = mastodon_client.post(
            "/api/v1/statuses", {"status": "again", "media_ids[]": ids[:1]}
        )
        assert again.status_code == 422  # already attached
        assert Post.objects.count() == 1

    def test_at_most_four(self, mastodon_client):
        ids = [_upload(mastodon_client, f"{n}.png").json()["id"] for n in range(5)]
        response = mastodon_client.post("/api/v1/statuses", {"status": "x", "media_ids[]": ids})
        assert response.status_code == 422
        assert Post.objects.count() == 0  # nothing half-written

    def test_someone_elses_media_cannot_be_attached(self, mastodon_client, other_mastodon_client):
        media_id = _upload(other_mastodon_client).json()["id"]
        response = mastodon_client.post(
            "/api/v1/statuses", {"status": "x", "media_ids[]": [media_id]}
        )
        assert response.status_code == 422
        assert Post.objects.count() == 0


class TestOneAttachmentForWebAndMastodon:
    """A post's photos are social's PostAttachments, whichever side attached them."""

    def test_mastodon_attached_photos_are_the_web_posts_photos(self, mastodon_client, user):
        ids = [
            _upload(mastodon_client, f"{n}.png", description=f"shot {n}").json()["id"]
            for n in range(2)
        ]
        status = mastodon_client.post(
            "/api/v1/statuses", {"status": "pics", "media_ids[]": list(reversed(ids))}
        ).json()
        post = Post.objects.get(pk=status["id"])
        assert [str(a.photo_id) for a in post.attachments.all()] == list(reversed(ids))
        for photo_id in ids:
            photo_services.photo_process(photo_id=int(photo_id))
        rest = APIClient().get(f"/api/v1/posts/{post.pk}/").json()
        assert [str(a["id"]) for a in rest["attachments"]] == list(reversed(ids))
        page = Client().get(post.get_absolute_url())
        assertContains(page, 'alt="shot 0"')
        assertContains(page, 'alt="shot 1"')

    def test_web_attached_photos_are_in_the_mastodon_status(self, mastodon_client, user):
        photo = _ready_photo(user)
        post = social_services.post_create(user=user, content="web", photo_ids=[photo.pk])
        status = mastodon_client.get(f"/api/v1/statuses/{post.pk}").json()
        [media] = status["media_attachments"]
        assert (media["id"], media["description"]) == (str(photo.pk), "drawn on the web")
        assert media["url"].startswith("http://testserver/")
        assert media["meta"]["focus"] == {"x": 0.0, "y": 0.0}  # the web keeps no focus
        # An edit that resends the photo it shows keeps it.
        edited = mastodon_client.put(
            f"/api/v1/statuses/{post.pk}", {"status": "web, edited", "media_ids[]": [photo.pk]}
        )
        assert edited.status_code == 200
        assert [m["id"] for m in edited.json()["media_attachments"]] == [str(photo.pk)]

    def test_the_status_keeps_the_focus_given_at_upload(self, mastodon_client):
        media_id = _upload(mastodon_client, focus="-0.5,0.75").json()["id"]
        status = mastodon_client.post(
            "/api/v1/statuses", {"status": "focused", "media_ids[]": [media_id]}
        ).json()
        assert status["media_attachments"][0]["meta"]["focus"] == {"x": -0.5, "y": 0.75}

    def test_a_web_photo_is_not_an_upload_to_attach(self, mastodon_client, user):
        photo = _ready_photo(user)  # Mastodon attaches only what its media API uploaded
        response = mastodon_client.post(
            "/api/v1/statuses", {"status": "x", "media_ids[]": [photo.pk]}
        )
        assert response.status_code == 422
        assert not Post.objects.filter(kind=Post.Kind.POST).exists()

    def test_a_deleted_statuss_media_can_be_posted_again(self, mastodon_client):
        media_id = _upload(mastodon_client).json()["id"]  # Mastodon's delete and redraft
        first = mastodon_client.post("/api/v1/statuses", {"status": "1", "media_ids[]": [media_id]})
        assert mastodon_client.delete(f"/api/v1/statuses/{first.json()['id']}").status_code == 200
        again = mastodon_client.post("/api/v1/statuses", {"status": "2", "media_ids[]": [media_id]})
        assert [m["id"] for m in again.json()["media_attachments"]] == [media_id]
        assert PostAttachment.objects.count() == 1

    @pytest.mark.parametrize("count", [1, 6])
    def test_timeline_with_photos_is_n_plus_1_free(
        self, mastodon_client, user, django_assert_num_queries, count
    ):
        for n in range(count):
            media_id = _upload(mastodon_client, f"{n}.png").json()["id"]
            mastodon_client.post("/api/v1/statuses", {"status": "m", "media_ids[]": [media_id]})
            web = _ready_photo(user, alt_text=f"web {n}")
            social_services.post_create(user=user, content="w", photo_ids=[web.pk])
        PostFactory(user=user)  # and one without photos
        # posts, three counts for the authors, photos, focus points
        with django_assert_num_queries(6):
            body = APIClient().get("/api/v1/timelines/public", {"limit": 40}).json()
        assert sum(len(status["media_attachments"]) for status in body) == 2 * count
