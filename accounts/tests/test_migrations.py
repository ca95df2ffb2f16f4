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


def test_legacy_drf_tokens_become_hashed_tokens_that_still_work():
    legacy_key = "a" * 40
    migrate([("accounts", "0006_api_token")])
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamptz,"
            " user_id bigint NOT NULL)"
        )
    try:
        from accounts.tests.factories import UserFactory

        user = UserFactory()
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO authtoken_token VALUES (%s, now(), %s)", [legacy_key, user.pk]
            )
        migrate(latest())
        from rest_framework.test import APIClient

        from accounts.models import hash_token_key

        token = user.api_tokens.get()
        assert token.key_hash == hash_token_key(legacy_key) and token.prefix == "aaaaaaaa"
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {legacy_key}")
        assert client.get("/api/v1/users/me/").json()["username"] == user.username
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM authtoken_token")
            assert cursor.fetchone()[0] == 0  # no plain keys left
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS authtoken_token")
        migrate(latest())
