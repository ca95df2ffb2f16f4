import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_snaps_migrations_are_reversible():
    call_command("migrate", "snaps", "zero", verbosity=0)
    assert "snaps_snap" not in connection.introspection.table_names()
    call_command("migrate", "snaps", verbosity=0)
    assert "snaps_snap" in connection.introspection.table_names()
