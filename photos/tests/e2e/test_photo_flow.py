"""In Chromium: upload a JPEG and a HEIC photo, see them on their pages, put them in an
album and reorder it. Celery runs inline here, so a photo is processed at its commit."""

import io

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from accounts.tests.factories import TEST_PASSWORD, UserFactory
from photos.tests.images import camera_exif, image_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def heic_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 1600), (30, 140, 90)).save(out, format="HEIF")  # pillow-heif
    return out.getvalue()


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(f"{base}/")


def upload(page: Page, *, name: str, mime: str, data: bytes, alt: str, caption: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Photos").click()
    page.set_input_files("input[name=photo]", {"name": name, "mimeType": mime, "buffer": data})
    page.get_by_label("Alt text").fill(alt)
    page.get_by_label("Caption").fill(caption)
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("Photo uploaded.")).to_be_visible()


def test_upload_photos_and_an_album_and_see_them(page: Page, live_server):
    user = UserFactory(username="ansel")
    log_in(page, live_server.url, user.username)

    jpeg = image_bytes("JPEG", size=(2400, 1600), exif=camera_exif())
    upload(page, name="IMG_1.jpg", mime="image/jpeg", data=jpeg, alt="Boats", caption="Harbour")
    page.get_by_role("link", name="Boats").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbour")
    expect(page.get_by_test_id("alt-text")).to_have_text("Boats")
    expect(page.get_by_test_id("exif")).to_contain_text("Canon EOS R6")
    display = page.get_by_test_id("display")
    expect(display).to_have_attribute("alt", "Boats")
    expect(display).to_have_attribute("width", "1620")
    expect(page.locator("picture source[type='image/webp']")).to_have_count(1)

    upload(
        page, name="IMG_2.HEIC", mime="image/heic", data=heic_bytes(), alt="Forest", caption="Pines"
    )
    page.get_by_role("link", name="Forest").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pines")
    expect(page.get_by_test_id("display")).to_have_attribute("height", "1350")
    expect(page.get_by_role("link", name="Download original")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Photos").click()
    page.get_by_role("link", name="My albums").click()
    page.get_by_label("Title").fill("Coast trip")
    page.get_by_role("button", name="Create album").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Coast trip")
    for caption in ("Harbour", "Pines"):
        option = page.locator("select[name=photo] option", has_text=caption)
        page.get_by_role("combobox", name="Add a photo").select_option(
            option.get_attribute("value")
        )
        page.get_by_role("button", name="Add to album").click()
        expect(page.get_by_text("Photo added.")).to_be_visible()
    photos = page.get_by_test_id("album-photo")
    expect(photos).to_have_count(2)
    expect(photos.nth(0)).to_contain_text("Harbour")
    photos.nth(1).get_by_role("button", name="Move earlier").click()
    expect(page.get_by_test_id("album-photo").nth(0)).to_contain_text("Pines")
    page.get_by_test_id("album-photo").nth(1).get_by_role("button", name="Remove").click()
    expect(page.get_by_test_id("album-photo")).to_have_count(1)

    page.get_by_role("link", name="Forest").click()
    expect(page.get_by_test_id("album-link")).to_have_text("Coast trip")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Photos").click()
    page.get_by_role("link", name="Everyone's photos").click()
    expect(page.get_by_test_id("photo")).to_have_count(2)
