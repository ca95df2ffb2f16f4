"""Uploads on S3 (django-storages) against a local moto S3 server."""

import os
import subprocess
import sys

import boto3
import pytest
from django.conf import settings as django_settings

from accounts.tests.factories import UserFactory
from photos.models import Photo
from photos.services import photo_delete, photo_process, photo_upload
from photos.tests.images import image_bytes, upload
from project.tests.harness import free_port

BUCKET = "blueprints-test"


@pytest.fixture
def s3(settings):
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    credentials = {
        "aws_access_key_id": "test",
        "aws_secret_access_key": "test",
        "region_name": "us-east-1",
    }
    client = boto3.client("s3", endpoint_url=endpoint, **credentials)
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "access_key": "test",
                "secret_key": "test",
                "region_name": "us-east-1",
                "file_overwrite": False,
                "default_acl": None,
            },
        },
    }
    yield client
    server.stop()


def keys(client) -> set[str]:
    return {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


@pytest.mark.integration
@pytest.mark.django_db
def test_upload_thumbnail_and_delete_on_s3(s3, django_capture_on_commit_callbacks):
    user = UserFactory()
    photo = photo_upload(user=user, file=upload(image_bytes("JPEG", size=(1000, 500)), "a.jpg"))
    assert photo_process(photo_id=photo.pk) is True
    photo.refresh_from_db()
    served = {photo.image.name, photo.image_webp.name, photo.thumbnail.name}
    assert keys(s3) == served | {photo.thumbnail_webp.name}
    assert photo.image.url.startswith(s3.meta.endpoint_url)
    with django_capture_on_commit_callbacks(execute=True):
        photo_delete(photo=photo, by=user)
    assert keys(s3) == set()
    assert not Photo.objects.exists()


@pytest.mark.integration
def test_bucket_setting_switches_default_storage_to_s3():
    env = {
        **os.environ,
        "AWS_STORAGE_BUCKET_NAME": "photos-bucket",
        "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9",
    }
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "storage = settings.STORAGES['default']; "
        "print(storage['BACKEND'], storage['OPTIONS']['bucket_name'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=django_settings.BASE_DIR,
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert result.stdout.split() == ["storages.backends.s3.S3Storage", "photos-bucket"]
