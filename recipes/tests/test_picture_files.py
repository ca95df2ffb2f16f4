"""No orphaned picture files: what a recipe stops using leaves the storage (issue 22)."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.services import user_delete_request
from accounts.services.deletion import user_delete
from accounts.tests.factories import TEST_PASSWORD
from photos.tests.images import image_bytes
from recipes import services
from recipes.models import Recipe
from recipes.tests.factories import RecipeFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def picture(name="p.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("PNG", size=(40, 30)), content_type="image/png")


def with_pictures(recipe: Recipe, capture) -> list[str]:
    """Give the recipe a cover and a picture on each step; their stored names."""
    with capture(execute=True):
        services.recipe_image_set(recipe=recipe, by=recipe.user, file=picture())
        for step in recipe.steps.all():
            services.step_image_set(step=step, by=recipe.user, file=picture())
    recipe.refresh_from_db()
    names = [recipe.image.name, recipe.image_thumbnail.name]
    names += [step.image.name for step in recipe.steps.all()]
    assert all(names) and all(default_storage.exists(name) for name in names)
    return names


@pytest.fixture
def recipe(user):
    return RecipeFactory(user=user, instructions="Mix.\n\nBake 20 minutes.")


class TestAccountDeletion:
    def test_removes_every_recipe_picture_file_of_the_person_only(
        self, user, other_user, recipe, django_capture_on_commit_callbacks
    ):
        mine = with_pictures(recipe, django_capture_on_commit_callbacks)
        theirs = with_pictures(
            RecipeFactory(user=other_user, instructions="Stir."), django_capture_on_commit_callbacks
        )
        with django_capture_on_commit_callbacks(execute=True):
            user_delete_request(user=user, password=TEST_PASSWORD)
        with django_capture_on_commit_callbacks(execute=True):
            user_delete(user_id=user.pk)  # what the task runs; idempotent
        assert not Recipe.objects.filter(user_id=user.pk).exists()
        assert [name for name in mine if default_storage.exists(name)] == []
        assert all(default_storage.exists(name) for name in theirs)

    def test_files_stay_when_the_deletion_rolls_back(
        self, user, recipe, django_capture_on_commit_callbacks
    ):
        names = with_pictures(recipe, django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.delete_user_content(user_id=user.pk)
        assert callbacks  # deleting waits for the commit...
        assert all(default_storage.exists(name) for name in names)  # ...not done before


class TestNoOrphans:
    def test_deleting_a_recipe_removes_its_pictures(
        self, user, recipe, django_capture_on_commit_callbacks
    ):
        names = with_pictures(recipe, django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            services.recipe_delete(recipe=recipe, by=user)
        assert [name for name in names if default_storage.exists(name)] == []

    def test_a_replaced_cover_leaves_no_file(
        self, user, recipe, django_capture_on_commit_callbacks
    ):
        old_image, old_thumbnail, *_ = with_pictures(recipe, django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            services.recipe_image_set(recipe=recipe, by=user, file=picture("new.png"))
        assert not default_storage.exists(old_image)
        assert not default_storage.exists(old_thumbnail)
        assert default_storage.exists(recipe.image.name)

    def test_a_removed_step_picture_leaves_no_file(
        self, user, recipe, django_capture_on_commit_callbacks
    ):
        *_, first, second = with_pictures(recipe, django_capture_on_commit_callbacks)
        step = recipe.steps.get(position=0)
        with django_capture_on_commit_callbacks(execute=True):
            services.step_image_set(step=step, by=user, file=None)
        assert not default_storage.exists(first)
        assert default_storage.exists(second)

    def test_a_step_rewritten_or_dropped_leaves_no_file(
        self, user, recipe, django_capture_on_commit_callbacks
    ):
        *_, first, second = with_pictures(recipe, django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            services.steps_set(recipe=recipe, by=user, steps=[{"text": "Bake 20 minutes."}])
        assert not default_storage.exists(first)  # "Mix." went with its picture
        assert default_storage.exists(second)  # the step kept keeps its picture
        assert recipe.steps.get().image.name == second
        with django_capture_on_commit_callbacks(execute=True):
            services.recipe_update(recipe=recipe, by=user, instructions="Bake 25 minutes.")
        assert not default_storage.exists(second)
