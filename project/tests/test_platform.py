import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from project.celery import app as celery_app
from project.celery import ping

BASE_DIR = Path(django_settings.BASE_DIR)


@pytest.mark.integration
@pytest.mark.django_db
class TestHealthz:
    def test_reports_ok_after_touching_database_and_cache(self, client):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"database": "ok", "cache": "ok"}

    def test_503_names_the_cache_when_it_is_unreachable(self, client, settings):
        settings.CACHES = {
            "default": {
                "BACKEND": "project.cache.RedisCache",
                "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            }
        }
        response = client.get("/healthz")
        assert response.status_code == 503
        body = response.json()
        assert body["database"] == "ok"
        assert body["cache"].startswith("error")


@pytest.mark.unit
def test_argon2_is_the_first_password_hasher():
    from project import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@pytest.mark.integration
def test_check_deploy_is_clean_under_production_env(tmp_path):
    # Drop the test-only async escape hatch: it is (rightly) a deploy error.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-value-1234567890",
        "ALLOWED_HOSTS": "blueprints.example.com",
        "SITE_URL": "https://blueprints.example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.integration
def test_settings_refuse_to_start_without_secret_when_debug_is_off():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["DEBUG"] = "0"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.fixture
def celery_worker_process():
    """A real `celery worker` subprocess on the test Redis."""
    env = {**os.environ, "CELERY_TASK_ALWAYS_EAGER": "0"}
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "project", "worker", "--pool", "solo",
         "--loglevel", "WARNING", "--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.mark.integration
def test_task_runs_on_a_real_worker_through_redis(celery_worker_process):
    assert django_settings.CELERY_BROKER_URL.startswith("redis://")
    celery_app.conf.task_always_eager = False
    try:
        result = ping.delay()
        assert result.get(timeout=60) == "pong"
    finally:
        celery_app.conf.task_always_eager = True
    assert celery_worker_process.poll() is None, "the worker died"


@pytest.mark.integration
def test_openapi_schema_is_valid_and_warning_free(tmp_path):
    from django.core.management import call_command

    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = out.read_text()
    for path in ("/api/v1/snaps/", "/api/v1/feed/", "/api/v1/photos/", "/api/v1/users/{id}/"):
        assert f"{path}:" in schema
