import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

FULL_WIDTH_DEMO = "\uff44\uff45\uff4d\uff4f"
MODIFIER_DEMO = "\u1d48emo"
FULL_WIDTH_FULL = "\uff46\uff55\uff4c\uff4c"
BEFORE = [("accounts", "0001_initial")]
AFTER = [("accounts", "0003_username_ci_unique")]


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes("accounts")


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_unique_usernames_migration_renames_collisions_and_keeps_the_oldest():
    old_apps = migrate(BEFORE)
    OldUser = old_apps.get_model("accounts", "User")
    names = ["Demo", "demo", FULL_WIDTH_DEMO, MODIFIER_DEMO, "demo-2", "other", FULL_WIDTH_FULL]
    ids = [
        OldUser.objects.create(username=name, email=f"{i}@example.com").pk
        for i, name in enumerate(names)
    ]
    try:
        new_apps = migrate(AFTER)
        User = new_apps.get_model("accounts", "User")
        got = dict(User.objects.values_list("pk", "username"))
        assert got[ids[0]] == "Demo"  # the oldest keeps its name
        assert got[ids[5]] == "other"
        assert got[ids[6]] == "full"  # normalised, no collision
        renamed = [got[pk] for pk in ids[1:4]]
        assert all(name.startswith("demo-") for name in renamed)
        assert got[ids[4]] == "demo-2"  # a real name is never taken by a suffix
        lowered = [name.lower() for name in got.values()]
        assert len(set(lowered)) == len(lowered)
    finally:
        migrate(latest())  # the flush after the test needs the current schema
