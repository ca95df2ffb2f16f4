"""Photos processed by a real Celery worker on the harness's Redis: the request answers
`processing`, the worker makes the served files, and a hostile animation that slipped
past a laxer web process is refused by the worker's own limit."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.db import connection

from photos.models import Photo
from photos.services import photo_upload
from photos.tests.images import image_bytes, many_frame_gif, upload
from project.celery import app as celery_app

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(settings):
    """A worker sharing the test's database and file storage; tasks go to Redis."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PHOTOS_ORIGINALS_ROOT": str(settings.PHOTOS_ORIGINALS_ROOT),
        "PHOTOS_MAX_ANIMATION_PIXELS": "1000000",
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "project", "worker", "--pool", "solo",
         "--loglevel", "WARNING", "--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=django_settings.BASE_DIR, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    celery_app.conf.task_always_eager = False
    yield process
    celery_app.conf.task_always_eager = True
    process.terminate()
    process.wait(timeout=20)


def settled(photo: Photo, timeout: float = 60) -> Photo:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        photo.refresh_from_db()
        if photo.status != Photo.Status.PROCESSING:
            return photo
        time.sleep(0.1)
    raise AssertionError(f"photo {photo.pk} still processing after {timeout}s")


def test_worker_processes_an_upload(user, worker, client):
    photo = photo_upload(user=user, file=upload(image_bytes("JPEG", size=(2000, 1000)), "a.jpg"))
    client.force_login(user)
    photo = settled(photo)
    assert photo.status == Photo.Status.READY
    assert (photo.display_width, photo.display_height, photo.thumbnail_side) == (1920, 960, 640)
    assert photo.blurhash
    page = client.get(photo.get_absolute_url())
    assert photo.image_webp.url in page.text and photo.image.url in page.text


def test_worker_refuses_an_animation_past_its_own_limit(user, worker, settings):
    settings.PHOTOS_MAX_ANIMATION_PIXELS = 10**9  # the web process lets it through
    data = many_frame_gif(frames=1000, size=(100, 100))  # 10 million pixels in all
    photo = settled(photo_upload(user=user, file=upload(data, "many.gif")))
    assert photo.status == Photo.Status.FAILED
    assert "animation is too large" in photo.error
    assert not photo.image and not photo.thumbnail
