"""Direct-to-S3 uploads (photos/direct_uploads.py) against the local moto S3 server:
a presigned POST straight to the bucket, then a confirm that checks and processes."""

import base64
import json
from datetime import datetime, timedelta

import pytest
import requests
from django.core.files.storage import storages
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from photos.direct_uploads import direct_upload_sweep
from photos.models import Photo
from photos.services import photo_process, photo_upload
from photos.tests.images import image_bytes, upload
from photos.tests.test_storage import BUCKET, keys, s3  # noqa: F401 (the moto fixture)

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

INTENT = "/api/v1/photos/uploads/"
CONFIRM = "/api/v1/photos/uploads/confirm/"


@pytest.fixture
def s3_originals(s3, settings, monkeypatch):  # noqa: F811
    """Originals on the moto bucket too, under `originals/` as in production."""
    default = settings.STORAGES["default"]
    settings.STORAGES = {
        **settings.STORAGES,
        "photo_originals": {**default, "OPTIONS": {**default["OPTIONS"], "location": "originals"}},
    }
    # The model field took its storage at import time; point it at the bucket.
    monkeypatch.setattr(Photo._meta.get_field("original"), "storage", storages["photo_originals"])
    empty_bucket(s3)  # moto's state outlives its server, within the test process
    yield s3
    empty_bucket(s3)


def empty_bucket(client) -> None:
    for key in keys(client):
        client.delete_object(Bucket=BUCKET, Key=key)


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def start(client: APIClient, **body) -> dict:
    response = client.post(INTENT, body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def send(intent: dict, data: bytes) -> requests.Response:
    """What the browser does: the form fields, then the file, straight to the bucket."""
    return requests.post(
        intent["url"], data=intent["fields"], files={"file": ("x.jpg", data)}, timeout=30
    )


class TestIntent:
    def test_presigned_post_is_bounded_to_one_key_of_the_user(self, s3_originals, settings):
        settings.PHOTOS_QUOTA_BYTES = 5_000_000
        user = UserFactory()
        intent = start(client_for(user), size=1000)
        assert intent["key"].startswith(f"originals/incoming/{user.pk}/")
        assert intent["fields"]["key"] == intent["key"]
        assert intent["max_bytes"] == min(settings.PHOTOS_MAX_UPLOAD_BYTES, 5_000_000)
        assert intent["url"].startswith(s3_originals.meta.endpoint_url)
        assert intent["confirm"].endswith(CONFIRM)
        assert "policy" in intent["fields"]

    def test_max_bytes_is_the_quota_left_when_smaller(self, s3_originals, settings):
        user = UserFactory()
        photo_upload(user=user, file=upload(image_bytes("PNG")))
        used = Photo.objects.get().size
        settings.PHOTOS_QUOTA_BYTES = used + 500
        assert start(client_for(user))["max_bytes"] == 500

    def test_declared_size_past_the_limit_or_quota_is_a_400(self, s3_originals, settings):
        settings.PHOTOS_QUOTA_BYTES = 10_000
        client = client_for(UserFactory())
        too_big = client.post(INTENT, {"size": settings.PHOTOS_MAX_UPLOAD_BYTES + 1}, format="json")
        assert too_big.status_code == 400
        assert "larger than" in str(too_big.json())
        over_quota = client.post(INTENT, {"size": 10_001}, format="json")
        assert over_quota.status_code == 400
        assert "quota" in str(over_quota.json())

    def test_full_quota_is_a_400_before_any_upload(self, s3_originals, settings):
        user = UserFactory()
        photo_upload(user=user, file=upload(image_bytes("PNG")))
        settings.PHOTOS_QUOTA_BYTES = Photo.objects.get().size
        response = client_for(user).post(INTENT, {}, format="json")
        assert response.status_code == 400
        assert "quota" in str(response.json())

    @pytest.mark.parametrize("body", [{"size": 0}, {"size": "12"}, {"bucket": "other"}])
    def test_bad_input_is_a_400(self, s3_originals, body):
        assert client_for(UserFactory()).post(INTENT, body, format="json").status_code == 400

    def test_without_s3_intent_and_confirm_are_a_clear_404(self, db):
        client = client_for(UserFactory())
        response = client.post(INTENT, {}, format="json")
        assert response.status_code == 404
        assert "not stored on S3" in response.json()["detail"]
        assert client.post(CONFIRM, {"key": "x"}, format="json").status_code == 404

    def test_anonymous_is_refused(self, s3_originals):
        assert APIClient().post(INTENT, {}, format="json").status_code in (401, 403)

    def test_policy_pins_key_length_range_and_expiry(self, s3_originals, settings):
        settings.PHOTOS_MAX_UPLOAD_BYTES = 2000
        settings.PHOTOS_DIRECT_UPLOAD_EXPIRY_SECONDS = 300
        intent = start(client_for(UserFactory()))
        policy = json.loads(base64.b64decode(intent["fields"]["policy"]))
        assert ["content-length-range", 1, 2000] in policy["conditions"]
        assert {"key": intent["key"]} in policy["conditions"]
        expiration = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
        assert timedelta(seconds=290) < expiration - timezone.now() <= timedelta(seconds=300)

    def test_file_past_max_bytes_is_refused_on_confirm(self, s3_originals, settings):
        """moto does not enforce the policy's range (S3 does): the confirm measures too."""
        settings.PHOTOS_MAX_UPLOAD_BYTES = 2000
        client = client_for(UserFactory())
        intent = start(client)
        send(intent, b"x" * 2001)
        response = client.post(CONFIRM, {"key": intent["key"]}, format="json")
        assert response.status_code == 400
        assert "larger than" in response.json()["key"][0]
        assert keys(s3_originals) == set()


class TestConfirm:
    def test_upload_confirm_and_process(self, s3_originals, django_capture_on_commit_callbacks):
        user = UserFactory()
        client = client_for(user)
        intent = start(client)
        data = image_bytes("JPEG", size=(1200, 800))
        assert send(intent, data).status_code == 204
        body = {"key": intent["key"], "comment": "Sunset", "alt_text": "A red sky"}
        with django_capture_on_commit_callbacks() as queued:
            response = client.post(CONFIRM, body, format="json")
        assert response.status_code == 201, response.content
        # The worker's processing is queued, as for a normal upload.
        assert [c for c in queued if c.__qualname__.startswith("photo_upload.")]
        photo = Photo.objects.get()
        assert response["Location"].endswith(f"/api/v1/photos/{photo.pk}/")
        assert response.json()["status"] == "processing"
        assert (photo.comment, photo.alt_text, photo.size) == ("Sunset", "A red sky", len(data))
        # The staging object is gone; the original is kept privately under originals/.
        assert keys(s3_originals) == {f"originals/{photo.original.name}"}
        assert photo_process(photo_id=photo.pk) is True
        photo.refresh_from_db()
        assert photo.is_ready and (photo.width, photo.height) == (1200, 800)
        again = client.post(CONFIRM, {"key": intent["key"]}, format="json")
        assert again.status_code == 404  # an intent is used once

    def test_not_an_image_is_a_400_and_deleted(self, s3_originals):
        client = client_for(UserFactory())
        intent = start(client)
        assert send(intent, b"<?php system($_GET['c']); ?>").status_code == 204
        response = client.post(CONFIRM, {"key": intent["key"]}, format="json")
        assert response.status_code == 400
        assert "valid image" in response.json()["key"][0]
        assert keys(s3_originals) == set()
        assert not Photo.objects.exists()

    def test_truncated_image_is_a_400_and_deleted(self, s3_originals):
        user = UserFactory()
        client = client_for(user)
        intent = start(client)
        send(intent, image_bytes("PNG", size=(50, 50))[:40])
        response = client.post(CONFIRM, {"key": intent["key"]}, format="json")
        assert response.status_code == 400
        assert keys(s3_originals) == set()

    def test_object_replaced_past_the_limit_is_a_400_and_deleted(self, s3_originals, settings):
        """A tampered object (written around the policy) is measured again on confirm."""
        client = client_for(UserFactory())
        intent = start(client)
        settings.PHOTOS_MAX_UPLOAD_BYTES = 1000
        s3_originals.put_object(Bucket=BUCKET, Key=intent["key"], Body=b"\xff" * 1001)
        response = client.post(CONFIRM, {"key": intent["key"]}, format="json")
        assert response.status_code == 400
        assert "larger than" in response.json()["key"][0]
        assert keys(s3_originals) == set()

    def test_past_the_quota_is_a_400_and_deleted(self, s3_originals, settings):
        client = client_for(UserFactory())
        intent = start(client)
        data = image_bytes("PNG", size=(40, 40))
        send(intent, data)
        settings.PHOTOS_QUOTA_BYTES = len(data) - 1
        response = client.post(CONFIRM, {"key": intent["key"]}, format="json")
        assert response.status_code == 400
        assert "quota" in response.json()["key"][0]
        assert keys(s3_originals) == set()

    def test_duplicate_is_a_409_with_the_existing_photo(self, s3_originals):
        user = UserFactory()
        data = image_bytes("PNG")
        existing = photo_upload(user=user, file=upload(data))
        client = client_for(user)
        intent = start(client)
        send(intent, data)
        response = client.post(CONFIRM, {"key": intent["key"]}, format="json")
        assert response.status_code == 409
        assert response.json()["url"].endswith(f"/api/v1/photos/{existing.pk}/")
        assert Photo.objects.count() == 1
        assert keys(s3_originals) == {f"originals/{existing.original.name}"}

    def test_someone_elses_key_is_a_404_and_left_alone(self, s3_originals):
        owner, intruder = UserFactory(), UserFactory()
        intent = start(client_for(owner))
        send(intent, image_bytes("PNG"))
        response = client_for(intruder).post(CONFIRM, {"key": intent["key"]}, format="json")
        assert response.status_code == 404
        assert keys(s3_originals) == {intent["key"]}
        # The owner still confirms it.
        assert (
            client_for(owner).post(CONFIRM, {"key": intent["key"]}, format="json").status_code
            == 201
        )
        assert Photo.objects.get().user == owner

    @pytest.mark.parametrize(
        "key",
        [
            "originals/incoming/{pk}/../1/" + "a" * 32,
            "originals/incoming/{pk}/" + "A" * 32,
            "originals/photos/" + "a" * 32,
            "incoming/{pk}/" + "a" * 32,
            "",
        ],
    )
    def test_keys_outside_the_users_staging_prefix_are_a_404(self, s3_originals, key):
        user = UserFactory()
        response = client_for(user).post(CONFIRM, {"key": key.format(pk=user.pk)}, format="json")
        assert response.status_code in (400, 404)  # "" is a 400 (blank)
        assert not Photo.objects.exists()

    def test_nothing_sent_is_a_404(self, s3_originals):
        client = client_for(UserFactory())
        intent = start(client)
        response = client.post(CONFIRM, {"key": intent["key"]}, format="json")
        assert response.status_code == 404
        assert "never sent" in response.json()["detail"]


class TestSweep:
    def test_stale_staging_objects_go_and_the_rest_stays(self, s3_originals):
        user = UserFactory()
        intent = start(client_for(user))
        send(intent, image_bytes("PNG"))
        photo = photo_upload(user=user, file=upload(image_bytes("PNG")))
        kept = f"originals/{photo.original.name}"
        assert direct_upload_sweep() == 0  # still fresh
        assert keys(s3_originals) == {intent["key"], kept}
        later = timezone.now() + timedelta(hours=2)
        assert direct_upload_sweep(now=later) == 1
        assert keys(s3_originals) == {kept}

    def test_without_s3_it_does_nothing(self, db):
        assert direct_upload_sweep() == 0


class TestUploadPage:
    def test_form_offers_direct_upload_only_with_s3(self, client, s3_originals, settings):
        user = UserFactory()
        client.force_login(user)
        page = client.get("/photos/").content.decode()
        assert f'data-direct-upload="{INTENT}"' in page
        assert "js/photo-upload.js" in page
        settings.STORAGES = {
            **settings.STORAGES, "photo_originals": {"BACKEND": "photos.storage.OriginalsStorage"}
        }  # fmt: skip
        page = client.get("/photos/").content.decode()
        assert "data-direct-upload" not in page
        assert "photo-upload.js" not in page
        assert 'enctype="multipart/form-data"' in page  # the normal upload, as always
