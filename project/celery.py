"""The Celery application: configured from Django settings (CELERY_*), tasks autodiscovered."""

import os

from celery import Celery
from django.db import InterfaceError, OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

# Database errors a task retries with backoff: a lost connection, a failover, SQLite's
# "database is locked" under concurrent writers.
TRANSIENT_DB_ERRORS = (OperationalError, InterfaceError)

app = Celery("project")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="project.ping", ignore_result=False)
def ping() -> str:
    """Round-trip check for a worker: `celery -A project call project.ping`."""
    return "pong"
