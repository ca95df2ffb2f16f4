"""In Chromium, with photos on the local moto S3 server: the upload form sends the file
straight to the bucket (static/js/photo-upload.js) and confirms it; when the browser
cannot reach the bucket it falls back to the normal upload through the site."""

import pytest
from playwright.sync_api import Page, expect

from accounts.tests.factories import UserFactory
from photos.models import Photo
from photos.tests.e2e.test_photo_flow import log_in
from photos.tests.images import image_bytes
from photos.tests.test_direct_uploads import s3_originals  # noqa: F401 (fixture)
from photos.tests.test_storage import BUCKET, keys, s3  # noqa: F401 (fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def bucket_origin(s3_originals, settings):  # noqa: F811
    """The moto server's origin, which the CSP lets the page POST to (and show images
    from, as production's `https:` does)."""
    origin = s3_originals.meta.endpoint_url
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {
            **directives,
            "connect-src": [*directives["connect-src"], origin],
            "img-src": [*directives["img-src"], origin],
        }
    }
    return origin


def watch(page: Page) -> tuple[list[str], list[str]]:
    posted, violations = [], []
    page.on("request", lambda r: posted.append(r.url) if r.method == "POST" else None)
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return posted, violations


def upload(page: Page, base: str, data: bytes) -> None:
    page.goto(f"{base}/photos/")
    page.set_input_files(
        "input[name=photo]", {"name": "IMG_9.jpg", "mimeType": "image/jpeg", "buffer": data}
    )
    page.get_by_label("Alt text").fill("Dunes")
    page.get_by_label("Caption").fill("Desert")
    page.get_by_role("button", name="Upload").click()


def test_the_file_goes_straight_to_the_bucket(page: Page, live_server, bucket_origin, s3_originals):  # noqa: F811
    user = UserFactory(username="dorothea")
    log_in(page, live_server.url, user.username)
    posted, violations = watch(page)
    upload(page, live_server.url, image_bytes("JPEG", size=(900, 600)))
    expect(page.get_by_role("link", name="Dunes")).to_be_visible(timeout=30_000)
    assert any(url.startswith(bucket_origin) for url in posted)
    assert not any(url.endswith("/photos/") and url.startswith(live_server.url) for url in posted)
    photo = Photo.objects.get()
    assert (photo.alt_text, photo.comment, photo.status) == ("Dunes", "Desert", "ready")
    assert not [key for key in keys(s3_originals) if "/incoming/" in key]
    assert violations == []


def test_unreachable_bucket_falls_back_to_the_normal_upload(page: Page, live_server, s3_originals):  # noqa: F811
    # The CSP does not list the bucket here, so the browser's POST to it is blocked.
    user = UserFactory(username="imogen")
    log_in(page, live_server.url, user.username)
    posted, _ = watch(page)
    upload(page, live_server.url, image_bytes("JPEG", size=(900, 600)))
    expect(page.get_by_text("Photo uploaded.")).to_be_visible(timeout=30_000)
    assert any(url == f"{live_server.url}/photos/" for url in posted)
    assert Photo.objects.get().alt_text == "Dunes"
    assert [key for key in keys(s3_originals) if "/incoming/" in key] == []
