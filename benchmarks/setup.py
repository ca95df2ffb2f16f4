"""Django on throwaway services for a benchmark run: real PostgreSQL and Redis, a fresh database."""

import os
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def django_with_services() -> Iterator[None]:
    from project.tests.harness import ensure_services, stop_services

    ensure_services()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
    import django

    django.setup()
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        stop_services()
