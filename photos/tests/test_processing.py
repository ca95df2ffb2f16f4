"""The upload request only checks headers; the worker decodes, rotates, strips and makes
the served sizes. Formats in, formats out, EXIF allow-list, blurhash, hostile images."""

import io
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from PIL import Image

from photos.models import Photo
from photos.services import photo_process, photo_upload
from photos.tests.images import (
    GPS_IFD,
    camera_exif,
    image_bytes,
    many_frame_gif,
    mpo_bytes,
    png_claiming_size,
    upload,
)
from project.blurhash import blurhash_encode
from project.imaging import display_size, exif_allow_list, inspect_photo, process_photo

PHOTOS = "/api/v1/photos/"


def heic_bytes(size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 200)).save(out, format="HEIF")  # pillow-heif's writer
    return out.getvalue()


def served(field) -> Image.Image:
    with default_storage.open(field.name) as stored:
        image = Image.open(io.BytesIO(stored.read()))
    return image


@pytest.mark.unit
class TestSizes:
    @pytest.mark.parametrize(
        ("original", "display"),
        [
            ((4000, 4000), (1080, 1080)),  # square
            ((4000, 3000), (1440, 1080)),  # landscape: within 1920x1080
            ((10000, 1000), (1920, 192)),  # panorama: the width bounds it
            ((3000, 4000), (1013, 1350)),  # portrait: within 1080x1350
            ((500, 300), (500, 300)),  # never upscaled
            ((1, 1), (1, 1)),
        ],
    )
    def test_display_size_fits_the_box_for_the_shape(self, original, display):
        assert display_size(*original) == display

    def test_thumbnail_is_square_and_never_upscaled(self):
        small = process_photo(io.BytesIO(image_bytes("PNG", size=(300, 200))))
        assert (small.thumbnail.width, small.thumbnail.height) == (200, 200)
        big = process_photo(io.BytesIO(image_bytes("JPEG", size=(3000, 2000))))
        assert (big.thumbnail.width, big.thumbnail.height) == (640, 640)
        assert (big.display.width, big.display.height) == (1620, 1080)


@pytest.mark.unit
class TestFormats:
    @pytest.mark.parametrize(
        ("data", "fmt"),
        [
            (image_bytes("JPEG", size=(80, 60)), "JPEG"),
            (mpo_bytes((80, 60)), "MPO"),
            (image_bytes("PNG", size=(80, 60)), "PNG"),
            (image_bytes("GIF", size=(80, 60)), "GIF"),
            (image_bytes("WEBP", size=(80, 60)), "WEBP"),
            (image_bytes("AVIF", size=(80, 60)), "AVIF"),
            (heic_bytes((80, 60)), "HEIF"),
        ],
        ids=["jpeg", "mpo", "png", "gif", "webp", "avif", "heic"],
    )
    def test_every_format_in_gives_webp_and_jpeg_out(self, data, fmt):
        assert inspect_photo(io.BytesIO(data), len(data)).format == fmt
        processed = process_photo(io.BytesIO(data))
        for derivative in (processed.display, processed.thumbnail):
            assert Image.open(io.BytesIO(derivative.webp)).format == "WEBP"
            assert Image.open(io.BytesIO(derivative.fallback)).format == "JPEG"
        assert (processed.display.width, processed.display.height) == (80, 60)

    def test_transparency_falls_back_to_png(self):
        data = image_bytes("PNG", size=(40, 40), color=(0, 0, 0, 0), mode="RGBA")
        processed = process_photo(io.BytesIO(data))
        assert processed.display.fallback_extension == "png"
        assert Image.open(io.BytesIO(processed.display.webp)).mode == "RGBA"

    def test_animation_stays_animated_in_webp(self):
        data = many_frame_gif(frames=12, size=(40, 40))
        processed = process_photo(io.BytesIO(data))
        assert Image.open(io.BytesIO(processed.display.webp)).n_frames == 12
        assert Image.open(io.BytesIO(processed.thumbnail.webp)).n_frames == 1

    def test_mpo_keeps_only_its_first_frame(self):
        processed = process_photo(io.BytesIO(mpo_bytes()))
        assert Image.open(io.BytesIO(processed.display.webp)).n_frames == 1


@pytest.mark.unit
class TestExif:
    def test_allow_list_keeps_camera_facts_only(self):
        processed = process_photo(io.BytesIO(image_bytes("JPEG", exif=camera_exif())))
        assert processed.exif == {
            "make": "Canon", "model": "EOS R6", "lens": "RF50mm F1.8 STM",
            "exposure_time": 0.004, "f_number": 2.8, "iso": 400.0, "focal_length": 50.0,
            "date_taken": "2024:05:01 12:30:00",
        }  # fmt: skip

    def test_served_files_carry_no_metadata(self):
        processed = process_photo(io.BytesIO(image_bytes("JPEG", exif=camera_exif(6))))
        for data in (processed.display.webp, processed.display.fallback):
            image = Image.open(io.BytesIO(data))
            assert not image.getexif() and not image.getexif().get_ifd(GPS_IFD)
            assert "exif" not in image.info and "xmp" not in image.info

    def test_hostile_values_are_cleaned(self):
        exif = Image.Exif()
        exif[0x010F] = "Ca\x00non" + "x" * 5000
        exif[0x0110] = "\x00\x01"
        exif.get_ifd(0x8769)[0x829D] = float("nan")
        kept = exif_allow_list(exif)
        assert kept == {"make": "Canon" + "x" * 95}


@pytest.mark.unit
class TestHostileImages:
    def test_many_frames_refused_from_the_headers_quickly(self):
        data = many_frame_gif(frames=1000, size=(500, 500))
        assert len(data) < 1_000_000
        started = time.monotonic()
        with pytest.raises(ValidationError) as refused:
            inspect_photo(io.BytesIO(data), len(data))
        assert time.monotonic() - started < 5  # generous; the bound is the frames read
        assert refused.value.code == "too_many_frames"
        assert "at most 25,000,000 pixels in all frames" in refused.value.messages[0]

    def test_frame_limit_is_a_setting(self, settings):
        data = many_frame_gif(frames=20, size=(50, 50))
        assert inspect_photo(io.BytesIO(data), len(data)).frames == 20
        settings.PHOTOS_MAX_ANIMATION_PIXELS = 10 * 50 * 50
        with pytest.raises(ValidationError, match="animation is too large"):
            inspect_photo(io.BytesIO(data), len(data))
        with pytest.raises(ValidationError, match="animation is too large"):
            process_photo(io.BytesIO(data))  # the worker checks again

    def test_decompression_bomb_refused_before_decoding(self):
        data = png_claiming_size(100_000, 100_000)
        with pytest.raises(ValidationError, match="too large"):
            inspect_photo(io.BytesIO(data), len(data))

    def test_truncated_image_passes_the_headers_and_fails_in_the_worker(self):
        data = image_bytes("JPEG", size=(400, 300))
        data = data[: len(data) // 2]
        assert inspect_photo(io.BytesIO(data), len(data)).format == "JPEG"
        with pytest.raises(ValidationError, match="truncated or corrupt"):
            process_photo(io.BytesIO(data))


@pytest.mark.integration
@pytest.mark.django_db
class TestInTheService:
    def test_truncated_upload_is_marked_failed_with_its_reason(self, user, client):
        data = image_bytes("PNG", size=(400, 300))
        photo = photo_upload(user=user, file=upload(data[: len(data) - 40]), alt_text="cut")
        assert photo_process(photo_id=photo.pk) is True
        photo.refresh_from_db()
        assert photo.status == Photo.Status.FAILED
        assert "truncated or corrupt" in photo.error
        assert not (photo.image or photo.thumbnail)
        client.force_login(user)
        response = client.get(photo.get_absolute_url())
        assert "could not be processed: The image is truncated or corrupt." in response.text
        assert photo_process(photo_id=photo.pk) is False  # idempotent

    def test_unprocessed_photo_is_shown_only_to_its_owner(self, user, other_user, client):
        data = image_bytes("JPEG", exif=camera_exif())
        photo = photo_upload(user=user, file=upload(data, "gps.jpg"))
        client.force_login(other_user)
        assert client.get(photo.get_absolute_url()).status_code == 404
        assert client.get(f"/photos/{photo.pk}/original/").status_code == 404
        assert photo not in client.get("/photos/everyone/").context["photos"]
        client.force_login(user)
        page = client.get(photo.get_absolute_url())
        assert "being processed" in page.text
        photo_process(photo_id=photo.pk)
        client.force_login(other_user)
        page = client.get(photo.get_absolute_url())
        assert page.status_code == 200
        assert "EOS R6" in page.text and "RF50mm F1.8 STM" in page.text
        assert "Download original" not in page.text
        assert client.get(f"/photos/{photo.pk}/original/").status_code == 404

    def test_heic_upload_through_the_api(self, user, django_capture_on_commit_callbacks):
        from rest_framework.test import APIClient

        client = APIClient()
        client.force_authenticate(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                PHOTOS,
                {"photo": upload(heic_bytes((1200, 1600)), "IMG_0001.HEIC", "image/heic")},
                format="multipart",
            )
        assert response.status_code == 201
        photo = Photo.objects.get()
        assert photo.original.name.endswith(".heic")
        assert photo.status == "ready"
        assert served(photo.image_webp).size == (1013, 1350)
        assert served(photo.image).format == "JPEG"


@pytest.mark.unit
@pytest.mark.parametrize(
    ("image", "expected"),
    [
        (lambda: Image.radial_gradient("L").convert("RGB").resize((32, 32)),
         "LVHC1Rt7~qxut7fQofj[~qofofof"),
        (lambda: Image.linear_gradient("L").convert("RGB").resize((32, 24)).rotate(30),
         "LUFr;X9FD%t700WB-;WBIU-;IUof"),
    ],
    ids=["radial", "rotated-linear"],
)  # fmt: skip
def test_blurhash_matches_the_reference_encoder(image, expected):
    # Values computed with blurhash-python 1.2.2 (the reference C encoder) on these images.
    assert blurhash_encode(image(), 4, 3) == expected
