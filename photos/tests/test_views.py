import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from accounts.tests.factories import UserFactory
from photos.models import Photo
from photos.services import photo_process, photo_upload
from photos.tests.images import image_bytes, upload

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

GRID = reverse("photos:grid")


def test_anonymous_is_sent_to_login(client):
    assertRedirects(client.get(GRID), f"{reverse('account_login')}?next={GRID}")


def test_empty_state(client, user):
    client.force_login(user)
    assertContains(client.get(GRID), "No photos yet")


def test_upload_through_the_page_shows_it_processing(client, user):
    client.force_login(user)
    response = client.post(
        GRID,
        {"photo": upload(image_bytes()), "comment": "sunset", "alt_text": "A red square"},
        follow=True,
    )
    assertContains(response, "it is being processed")
    assertContains(response, "sunset")
    assertContains(response, 'data-status="processing"')
    photo = Photo.objects.get()
    assert (photo.user, photo.alt_text, photo.status) == (user, "A red square", "processing")


def test_upload_processed_at_once_says_so(client, user, django_capture_on_commit_callbacks):
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(GRID, {"photo": upload(image_bytes())})
    assert response.status_code == 302
    assertContains(client.get(GRID), 'data-status="ready"')


def test_bad_file_is_a_form_error(client, user):
    client.force_login(user)
    response = client.post(GRID, {"photo": upload(b"<?php system($_GET['c']); ?>", "shell.php")})
    assert response.status_code == 400
    assertContains(response, "not a JPEG, PNG, GIF, WebP, AVIF or HEIC", status_code=400)
    assert not Photo.objects.exists()


def test_shows_only_own_photos(client, user):
    mine = photo_upload(user=user, file=upload(image_bytes()), comment="mine")
    photo_upload(user=UserFactory(), file=upload(image_bytes()), comment="not mine")
    client.force_login(user)
    response = client.get(GRID)
    assert list(response.context["photos"]) == [mine]


@pytest.mark.parametrize("count", [1, 10])
def test_grid_query_count_is_fixed(client, user, django_assert_num_queries, count):
    for _ in range(count):
        photo_upload(user=user, file=upload(image_bytes()))
    client.force_login(user)
    with django_assert_num_queries(4):  # session, user, storage used, page (nothing counted)
        client.get(GRID)


def test_delete_own_and_not_others(client, user, other_user):
    mine = photo_upload(user=user, file=upload(image_bytes()))
    theirs = photo_upload(user=other_user, file=upload(image_bytes()))
    client.force_login(user)
    assert client.post(reverse("photos:delete", args=[theirs.pk])).status_code == 404
    assertRedirects(client.post(reverse("photos:delete", args=[mine.pk])), GRID)
    assert list(Photo.objects.all()) == [theirs]


def test_processing_task_is_idempotent(user):
    photo = photo_upload(user=user, file=upload(image_bytes(size=(700, 700))))
    assert photo_process(photo_id=photo.pk) is True
    first = Photo.objects.get().thumbnail.name
    assert photo_process(photo_id=photo.pk) is False
    assert Photo.objects.get().thumbnail.name == first
    assert photo_process(photo_id=999_999) is False
