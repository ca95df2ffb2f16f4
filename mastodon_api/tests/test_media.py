import pytest
from rest_framework.test import APIClient

from mastodon_api.models import MediaAttachment
from photos import services as photo_services
from photos.models import Photo
from photos.tests.images import image_bytes, upload
from social.models import Post

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


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
