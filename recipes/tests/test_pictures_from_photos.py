"""A recipe's cover or step picture taken from one of the author's photos (issue 19)."""

import pytest
from django.urls import reverse

from photos.models import Photo
from photos.services import photo_process, photo_upload
from photos.tests.images import image_bytes, upload
from recipes.tests.factories import RecipeFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def ready_photo(user, **fields) -> Photo:
    photo = photo_upload(user=user, file=upload(image_bytes("JPEG", size=(900, 600))), **fields)
    photo_process(photo_id=photo.pk)
    photo.refresh_from_db()
    assert photo.is_ready
    return photo


def stored_bytes(field) -> bytes:
    with field.storage.open(field.name, "rb") as stored:
        return stored.read()


@pytest.fixture
def recipe(user):
    return RecipeFactory(user=user, instructions="Mix.\n\nBake 20 minutes.")


@pytest.fixture
def photo(user):
    return ready_photo(user, alt_text="A golden crust")


class TestApi:
    def test_cover_copies_the_photos_processed_sizes(self, auth_api_client, recipe, photo):
        response = auth_api_client.post(
            f"/api/v1/recipes/{recipe.pk}/image/", {"photo": photo.pk}, format="multipart"
        )
        assert response.status_code == 200, response.json()
        recipe.refresh_from_db()
        photo.refresh_from_db()
        # The display size and the square thumbnail as the photos app made them.
        assert stored_bytes(recipe.image) == stored_bytes(photo.image)
        assert stored_bytes(recipe.image_thumbnail) == stored_bytes(photo.thumbnail)
        # Copies: the recipe's files are its own, and the photo keeps its files.
        assert recipe.image.name != photo.image.name
        assert photo.image.storage.exists(photo.image.name)
        assert response.json()["image"].endswith(recipe.image.url)

    def test_step_picture_from_a_photo(self, auth_api_client, recipe, photo):
        response = auth_api_client.post(
            f"/api/v1/recipes/{recipe.pk}/steps/2/image/", {"photo": photo.pk}, format="multipart"
        )
        assert response.status_code == 200, response.json()
        step = recipe.steps.get(position=1)
        assert stored_bytes(step.image) == stored_bytes(photo.image)

    def test_query_count_is_fixed(self, auth_api_client, recipe, photo, django_assert_num_queries):
        url = f"/api/v1/recipes/{recipe.pk}/image/"
        # The recipe and its five prefetches, the photo (one query), the update in a
        # savepoint: nothing per photo or per size.
        with django_assert_num_queries(10):
            response = auth_api_client.post(url, {"photo": photo.pk}, format="multipart")
        assert response.status_code == 200

    def test_someone_elses_photo_is_refused(self, auth_api_client, recipe, other_user):
        theirs = ready_photo(other_user)
        response = auth_api_client.post(
            f"/api/v1/recipes/{recipe.pk}/image/", {"photo": theirs.pk}, format="multipart"
        )
        assert response.status_code == 400
        assert "photo" in response.json()
        recipe.refresh_from_db()
        assert not recipe.image

    def test_a_photo_still_processing_is_refused(self, auth_api_client, recipe, user):
        pending = photo_upload(user=user, file=upload(image_bytes("PNG")))
        assert not pending.is_ready
        response = auth_api_client.post(
            f"/api/v1/recipes/{recipe.pk}/image/", {"photo": pending.pk}, format="multipart"
        )
        assert response.status_code == 400 and "photo" in response.json()

    @pytest.mark.parametrize("data", [{}, {"photo": "abc"}, {"photo": 0}])
    def test_bad_choices_are_400(self, auth_api_client, recipe, data):
        response = auth_api_client.post(
            f"/api/v1/recipes/{recipe.pk}/image/", data, format="multipart"
        )
        assert response.status_code == 400
        recipe.refresh_from_db()
        assert not recipe.image

    def test_a_file_and_a_photo_at_once_is_400(self, auth_api_client, recipe, photo):
        response = auth_api_client.post(
            f"/api/v1/recipes/{recipe.pk}/image/",
            {"photo": photo.pk, "image": upload(image_bytes("PNG"), "p.png")},
            format="multipart",
        )
        assert response.status_code == 400
        assert response.json() == {"non_field_errors": ["Send either an image file or a photo id."]}


class TestWeb:
    def test_pictures_page_offers_your_ready_photos_only(self, client, user, other_user, recipe):
        mine = ready_photo(user, alt_text="My loaf")
        ready_photo(other_user, alt_text="Their loaf")
        client.force_login(user)
        page = client.get(reverse("recipes:pictures", args=[recipe.pk])).content.decode()
        assert f'<option value="{mine.pk}">My loaf' in page
        assert "Their loaf" not in page
        assert 'name="cover_photo"' in page and 'name="step-photo-' in page

    def test_pictures_page_queries_do_not_grow_with_photos(
        self, client, user, recipe, django_assert_max_num_queries
    ):
        client.force_login(user)
        url = reverse("recipes:pictures", args=[recipe.pk])
        ready_photo(user)
        client.get(url)  # warm the session and caches
        with django_assert_max_num_queries(8) as few:
            client.get(url)
        for _ in range(3):
            ready_photo(user)
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get(url).content.decode().count('<option value="') == 3 * (4 + 1)

    def test_cover_and_step_picked_from_photos(self, client, user, recipe, photo):
        client.force_login(user)
        step = recipe.steps.first()
        response = client.post(
            reverse("recipes:pictures", args=[recipe.pk]),
            {"cover_photo": str(photo.pk), f"step-photo-{step.pk}": str(photo.pk)},
        )
        assert response.status_code == 302
        recipe.refresh_from_db()
        step.refresh_from_db()
        assert stored_bytes(recipe.image_thumbnail) == stored_bytes(photo.thumbnail)
        assert stored_bytes(step.image) == stored_bytes(photo.image)
        page = client.get(recipe.get_absolute_url()).content.decode()
        assert 'class="cover"' in page and 'class="step-image"' in page

    @pytest.mark.parametrize("choice", ["abc", "999999"])
    def test_a_bad_choice_shows_the_reason(self, client, user, recipe, choice):
        client.force_login(user)
        response = client.post(
            reverse("recipes:pictures", args=[recipe.pk]), {"cover_photo": choice}
        )
        assert response.status_code == 400
        assert b"errorlist" in response.content
        recipe.refresh_from_db()
        assert not recipe.image
