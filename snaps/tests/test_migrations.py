import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accounts.tests.factories import UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SINGLE_FILE = [("snaps", "0007_merge_0002_search_index_0006_snap_anonymous")]
SEVERAL_FILES = [("snaps", "0010_remove_single_file_fields")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes("snaps")


def test_snaps_migrations_are_reversible():
    call_command("migrate", "snaps", "zero", verbosity=0)
    assert "snaps_snap" not in connection.introspection.table_names()
    call_command("migrate", "snaps", verbosity=0)
    assert "snaps_snap" in connection.introspection.table_names()


def test_single_file_snaps_become_one_file_each_and_back():
    user = UserFactory()
    old_apps = migrate(SINGLE_FILE)
    OldSnap = old_apps.get_model("snaps", "Snap")
    OldRevision = old_apps.get_model("snaps", "SnapRevision")
    first = OldSnap.objects.create(
        user_id=user.pk, name="hello", extension="py", language="python",
        content="print(1)\n", hash_key="a" * 40, revision=2,
    )  # fmt: skip
    second = OldSnap.objects.create(
        user_id=None, name="notes.md", extension="md", language="", content="# hi\n",
        hash_key="b" * 40,
    )  # fmt: skip
    OldRevision.objects.create(
        snap=first, number=1, name="hello", extension="py", language="python",
        content="print(0)\n", created_on=timezone.now(),
    )  # fmt: skip
    try:
        new_apps = migrate(SEVERAL_FILES)
        SnapFile = new_apps.get_model("snaps", "SnapFile")
        files = {
            f.snap_id: (f.position, f.name, f.extension, f.language, f.content)
            for f in SnapFile.objects.all()
        }
        assert files == {
            first.pk: (0, "hello", "py", "python", "print(1)\n"),
            second.pk: (0, "notes.md", "md", "", "# hi\n"),
        }
        Revision = new_apps.get_model("snaps", "SnapRevision")
        assert Revision.objects.get().files == [
            {"name": "hello", "extension": "py", "language": "python", "content": "print(0)\n"}
        ]
        # A second file (only possible now) does not survive going back; the first does.
        SnapFile.objects.create(snap_id=first.pk, position=1, name="b.js", extension="js",
                                content="x")  # fmt: skip
        SnapFile.objects.filter(snap_id=second.pk).update(content="# edited\n")

        back_apps = migrate(SINGLE_FILE)
        BackSnap = back_apps.get_model("snaps", "Snap")
        rows = {s.pk: (s.name, s.extension, s.language, s.content) for s in BackSnap.objects.all()}
        assert rows == {
            first.pk: ("hello", "py", "python", "print(1)\n"),
            second.pk: ("notes.md", "md", "", "# edited\n"),
        }
        BackRevision = back_apps.get_model("snaps", "SnapRevision")
        revision = BackRevision.objects.get()
        assert (revision.name, revision.content) == ("hello", "print(0)\n")
        assert "snaps_snapfile" not in connection.introspection.table_names()
    finally:
        migrate(latest())  # the flush after the test needs the current schema
