"""Two concurrent deletes of one row: one 204, one 404 (project.deletion.delete_or_404)."""

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from photos.models import Photo
from photos.services import photo_upload
from photos.tests.images import image_bytes, upload
from project.tests.concurrency import in_threads, wait_for_lock_waiters
from recipes.models import Recipe
from recipes.tests.factories import RecipeFactory
from snaps.models import Snap
from snaps.tests.factories import SnapFactory
from social.models import Post
from social.tests.factories import PostFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def make_photo(user) -> tuple[Photo, str]:
    photo = photo_upload(user=user, file=upload(image_bytes()))
    return photo, f"/api/v1/photos/{photo.pk}/"


def make_snap(user) -> tuple[Snap, str]:
    snap = SnapFactory(user=user)
    return snap, f"/api/v1/snaps/{snap.hash_key}/"


def make_post(user) -> tuple[Post, str]:
    post = PostFactory(user=user)
    return post, f"/api/v1/posts/{post.pk}/"


def make_recipe(user) -> tuple[Recipe, str]:
    recipe = RecipeFactory(user=user)
    return recipe, f"/api/v1/recipes/{recipe.pk}/"


@pytest.mark.parametrize(
    "make", [make_photo, make_snap, make_post, make_recipe], ids=lambda f: f.__name__[5:]
)
def test_second_of_two_concurrent_deletes_is_a_404(make):
    owner = UserFactory()
    instance, url = make(owner)
    model = type(instance)

    def delete():
        client = APIClient()
        client.force_authenticate(user=owner)
        return client.delete(url).status_code

    # Hold the row locked while both requests start: each loads the row (plain reads
    # are not blocked) and then queues on the lock, so both have seen it before
    # either deletes it -- the interleaving in which both used to answer 204.
    with transaction.atomic():
        model.objects.select_for_update().get(pk=instance.pk)
        futures = in_threads(delete, delete)
        wait_for_lock_waiters(2)
    statuses = sorted(future.result(timeout=30) for future in futures)

    assert statuses == [204, 404]
    assert not model.objects.filter(pk=instance.pk).exists()
