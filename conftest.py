"""Project-wide fixtures. The PostgreSQL/Redis harness lives in project/tests/harness.py."""

import os
import shutil

import pytest
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory

CHROMIUM = os.environ.get("CHROMIUM_PATH", shutil.which("chromium") or "/usr/bin/chromium")
LAYER_MARKERS = {"unit", "integration", "e2e"}


def pytest_collection_modifyitems(config, items):
    unmarked = [
        item.nodeid for item in items if not LAYER_MARKERS & {m.name for m in item.iter_markers()}
    ]
    if unmarked:
        raise pytest.UsageError(
            "Every test needs one of the markers unit/integration/e2e; missing on:\n  "
            + "\n  ".join(unmarked)
        )
    if any(item.get_closest_marker("e2e") for item in items):
        # Playwright's sync API keeps an event loop in the test thread for the whole
        # session; the ORM calls made around it (fixtures, flushes) are still synchronous.
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Uploaded files go to a per-test directory; a fast hasher keeps factories quick.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PHOTOS_ORIGINALS_ROOT = tmp_path / "originals"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_cache(request):
    # Redis and the workers' token memory outlive a test; throttles, rate limits,
    # cached feeds and remembered tokens must not leak into the next one.
    if request.node.get_closest_marker("unit"):
        yield
        return
    from django.core.cache import cache

    from accounts import authentication

    cache.clear()
    authentication.forget_all_locally()
    yield


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def auth_api_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's chromium; Playwright cannot download its own browser here.
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }
