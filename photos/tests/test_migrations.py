"""The (user, sha256) unique constraint (photos 0002) on a database that already holds
the same upload twice: the data step before it resolves the duplicates, losing nothing."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accounts.tests.factories import UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

BEFORE = [("photos", "0001_initial")]
AFTER = [("photos", "0002_processing_in_worker")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    return [node for node in executor.loader.graph.leaf_nodes() if node[0] != "__first__"]


def test_constraint_migration_keeps_every_copy_and_the_first_keeps_the_hash():
    old = migrate(BEFORE)
    OldPhoto = old.get_model("photos", "Photo")
    # Accounts stay migrated (only photos and what depends on it went back): real users.
    alice, bob = UserFactory(), UserFactory()
    start = timezone.now()

    def photo(user, sha256: str, minutes: int):
        return OldPhoto.objects.create(
            user_id=user.pk, image=f"photos/{user.pk}-{minutes}.jpg", width=1, height=1, size=1,
            sha256=sha256, created_on=start + timezone.timedelta(minutes=minutes),
        ).pk  # fmt: skip

    digest, other = "a" * 64, "b" * 64
    first = photo(alice, digest, 1)
    later = [photo(alice, digest, 5), photo(alice, digest, 3)]  # created out of id order
    earliest_blank, blank = photo(alice, "", 2), photo(alice, "", 4)  # unhashed legacy rows
    bobs = photo(bob, digest, 9)  # another user's copy is no duplicate
    single = photo(alice, other, 6)
    try:
        new = migrate(AFTER)
        hashes = dict(new.get_model("photos", "Photo").objects.values_list("pk", "sha256"))
        assert len(hashes) == 7  # no row lost
        assert (hashes[first], hashes[bobs], hashes[single]) == (digest, digest, other)
        assert hashes[earliest_blank] == ""
        for pk in [*later, blank]:
            assert hashes[pk] == f"duplicate:{pk}"
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, "photos_photo")
        assert constraints["photos_unique_per_user"]["unique"]
    finally:
        migrate(latest())  # the flush after the test needs the current schema
