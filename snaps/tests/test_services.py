import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.services import api_token_create
from snaps import services
from snaps.models import Snap
from snaps.tasks import snap_purge_expired_task
from snaps.tests.factories import SnapFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


class TestSnapCreate:
    def test_hash_keys_are_40_hex_chars_and_unique_even_for_identical_content(self, user):
        snaps = [
            services.snap_create(user=user, name="same", extension="py", content="print(1)")
            for _ in range(50)
        ]
        keys = {snap.hash_key for snap in snaps}
        assert len(keys) == 50
        assert all(re.fullmatch(r"[0-9a-f]{40}", key) for key in keys)

    def test_retries_with_a_new_key_on_collision(self, user, monkeypatch):
        taken = SnapFactory().hash_key
        keys = iter([taken, "b" * 40])
        monkeypatch.setattr(services, "new_hash_key", lambda: next(keys))
        snap = services.snap_create(user=user, name="n", extension="py", content="x")
        assert snap.hash_key == "b" * 40

    def test_expires_in_sets_the_expiry(self, user):
        snap = services.snap_create(
            user=user, name="n", extension="py", content="x", expires_in=timedelta(hours=1)
        )
        assert timedelta(minutes=59) < snap.expires_at - timezone.now() <= timedelta(hours=1)

    def test_rejects_an_expiry_in_the_past(self, user):
        with pytest.raises(ValidationError):
            services.snap_create(
                user=user, name="n", extension="py", content="x",
                expires_at=timezone.now() - timedelta(seconds=1),
            )  # fmt: skip
        assert not Snap.objects.exists()

    def test_rejects_unknown_visibility(self, user):
        with pytest.raises(ValidationError) as info:
            services.snap_create(
                user=user, name="n", extension="py", content="x", visibility="secret"
            )
        assert "visibility" in info.value.message_dict
        assert not Snap.objects.exists()


@pytest.mark.django_db(transaction=True)  # autocommit, as in a request
class TestSnapCreateCost:
    def test_is_two_inserts_in_one_transaction(self, user, django_assert_num_queries):
        with django_assert_num_queries(4) as captured:
            services.snap_create(
                user=user,
                files=[{"name": "a.py", "content": "x"}, {"name": "b.js", "content": "y"}],
                visibility="unlisted",  # a public snap also announces itself after commit
            )
        sql = [query["sql"] for query in captured.captured_queries]
        assert sql[0] == "BEGIN" and sql[3] == "COMMIT"
        assert sql[1].startswith('INSERT INTO "snaps_snap"')
        assert sql[2].startswith('INSERT INTO "snaps_snapfile"')  # all files in one

    def test_a_public_snap_is_one_insert_then_its_announcement(
        self, user, django_assert_max_num_queries
    ):
        """The followers' timeline entry (social's activity stream) is written once the
        snap is committed; the snap itself is still its two INSERTs in one transaction."""
        with django_assert_max_num_queries(12) as captured:
            services.snap_create(user=user, name="n", extension="py", content="x")
        sql = [query["sql"] for query in captured.captured_queries]
        commit = sql.index("COMMIT")
        assert sql[0] == "BEGIN"
        assert [s.split(" (")[0] for s in sql[1:commit]] == [
            'INSERT INTO "snaps_snap"',
            'INSERT INTO "snaps_snapfile"',
        ]
        announcement = sql[commit + 1 :]
        assert not any('"snaps_snap' in statement for statement in announcement)
        assert any(statement.startswith('INSERT INTO "social_post"') for statement in announcement)

    def test_a_clash_is_retried_outside_a_transaction_too(self, user, monkeypatch):
        taken = SnapFactory().hash_key
        keys = iter([taken, "c" * 40])
        monkeypatch.setattr(services, "new_hash_key", lambda: next(keys))
        snap = services.snap_create(user=user, name="n", extension="py", content="x")
        assert snap.hash_key == "c" * 40
        assert Snap.objects.count() == 2

    def test_api_create_is_the_token_lookup_and_the_insert(self, user, django_assert_num_queries):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user, name='t').key}")
        body = {"name": "a", "extension": "py", "content": "x", "visibility": "unlisted"}
        # The first use looks the token up and stamps its last_used_at; then its user is
        # cached, and a create is the two INSERTs (the snap and its files) in a transaction.
        client.get("/api/v1/users/me/")
        with django_assert_num_queries(4):
            response = client.post("/api/v1/snaps/", body, format="json")
        assert response.status_code == 201
        assert Snap.objects.get().hash_key == response.json()["hash_key"]


class TestSnapDelete:
    def test_owner_deletes(self):
        snap = SnapFactory()
        services.snap_delete(snap=snap, by=snap.user)
        assert not Snap.objects.filter(pk=snap.pk).exists()

    def test_someone_else_cannot(self, other_user):
        snap = SnapFactory()
        with pytest.raises(PermissionDenied):
            services.snap_delete(snap=snap, by=other_user)
        assert Snap.objects.filter(pk=snap.pk).exists()


class TestPurgeExpired:
    def test_purges_only_expired_snaps(self):
        expired = SnapFactory(expired=True)
        future = SnapFactory(expires_at=timezone.now() + timedelta(days=1))
        forever = SnapFactory()
        assert services.snap_purge_expired() == 1
        remaining = set(Snap.objects.values_list("pk", flat=True))
        assert remaining == {future.pk, forever.pk}
        assert expired.pk not in remaining

    def test_management_command_reports_the_count(self, capsys):
        SnapFactory.create_batch(2, expired=True)
        call_command("purge_expired_snaps")
        assert "Purged 2 expired snap(s)." in capsys.readouterr().out
        assert not Snap.objects.exists()

    def test_periodic_task_purges(self, settings):
        SnapFactory(expired=True)
        assert snap_purge_expired_task.delay().get() == 1
        assert "snaps-purge-expired" in settings.CELERY_BEAT_SCHEDULE
