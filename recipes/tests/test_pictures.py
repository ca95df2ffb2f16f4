import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from photos.tests.images import exif_with_gps_and_orientation, image_bytes, png_claiming_size
from recipes.tests.factories import RecipeFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def jpeg_with_gps() -> bytes:
    return image_bytes("JPEG", size=(1200, 800), exif=exif_with_gps_and_orientation(6))


def upload(data: bytes, name="cover.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


@pytest.fixture
def recipe(user):
    return RecipeFactory(user=user, instructions="Mix.\n\nBake 20 minutes.")


class TestApi:
    def test_cover_is_cleaned_thumbnailed_and_exported(self, auth_api_client, recipe, client):
        url = f"/api/v1/recipes/{recipe.pk}/image/"
        response = auth_api_client.post(url, {"image": upload(jpeg_with_gps())}, format="multipart")
        assert response.status_code == 200, response.json()
        recipe.refresh_from_db()
        with Image.open(recipe.image) as stored:
            assert stored.size == (800, 1200)  # EXIF orientation applied
            assert not stored.getexif()  # GPS and the rest stripped
        with Image.open(recipe.image_thumbnail) as thumb:
            assert max(thumb.size) == 640
        assert response.json()["image"].endswith(recipe.image.url)
        html = client.get(recipe.get_absolute_url()).content.decode()
        (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert json.loads(block)["image"] == f"http://testserver{recipe.image.url}"
        deleted = auth_api_client.delete(url)
        assert deleted.status_code == 200 and deleted.json()["image"] is None

    def test_step_picture(self, auth_api_client, recipe):
        url = f"/api/v1/recipes/{recipe.pk}/steps/2/image/"
        response = auth_api_client.post(
            url, {"image": upload(image_bytes("PNG"), "s.png")}, format="multipart"
        )
        assert response.status_code == 200, response.json()
        assert response.json()["number"] == 2 and response.json()["image"]
        assert (
            auth_api_client.post(
                f"/api/v1/recipes/{recipe.pk}/steps/9/image/",
                {"image": upload(image_bytes())},
                format="multipart",
            ).status_code
            == 404
        )

    @pytest.mark.parametrize(
        "data", [b"not an image", png_claiming_size(50_000, 50_000), image_bytes("BMP"), b""]
    )
    def test_bad_files_are_400(self, auth_api_client, recipe, data):
        response = auth_api_client.post(
            f"/api/v1/recipes/{recipe.pk}/image/", {"image": upload(data)}, format="multipart"
        )
        assert response.status_code == 400
        recipe.refresh_from_db()
        assert not recipe.image

    def test_only_the_owner_uploads(self, api_client, other_user, recipe):
        api_client.force_authenticate(other_user)
        response = api_client.post(
            f"/api/v1/recipes/{recipe.pk}/image/",
            {"image": upload(image_bytes())},
            format="multipart",
        )
        assert response.status_code == 403

    def test_step_picture_survives_a_rebuild_with_the_same_text(
        self, auth_api_client, recipe, user
    ):
        from recipes import services

        step = recipe.steps.get(position=1)
        services.step_image_set(step=step, by=user, file=upload(image_bytes("PNG"), "s.png"))
        services.recipe_update(recipe=recipe, by=user, instructions="Mix well.\n\nBake 20 minutes.")
        assert recipe.steps.get(position=1).image
        assert not recipe.steps.get(position=0).image


class TestWeb:
    def test_pictures_page_uploads_cover_and_step(self, client, user, recipe):
        client.force_login(user)
        url = reverse("recipes:pictures", args=[recipe.pk])
        assert client.get(url).status_code == 200
        step = recipe.steps.first()
        response = client.post(
            url,
            {
                "cover": upload(jpeg_with_gps()),
                f"step-{step.pk}": upload(image_bytes("PNG"), "a.png"),
            },
        )
        assert response.status_code == 302
        page = client.get(recipe.get_absolute_url()).content.decode()
        assert 'class="cover"' in page and 'class="step-image"' in page

    def test_bad_upload_shows_the_reason(self, client, user, recipe):
        client.force_login(user)
        response = client.post(
            reverse("recipes:pictures", args=[recipe.pk]), {"cover": upload(b"nope")}
        )
        assert response.status_code == 400
        assert b"errorlist" in response.content

    def test_others_get_404(self, client, other_user, recipe):
        client.force_login(other_user)
        assert client.get(reverse("recipes:pictures", args=[recipe.pk])).status_code == 404
