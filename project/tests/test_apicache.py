"""The per-owner API cache: computed once, dropped per owner, never serving what a
write raced, switchable off; JSON bytes served as they are, other renderers re-render."""

import pytest

from project import apicache

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


class Computations:
    def __init__(self):
        self.calls = 0

    def __call__(self, value="data"):
        self.calls += 1
        return {"value": value, "call": self.calls}


def test_computes_once_per_owner_and_variant():
    compute = Computations()
    first = apicache.cached("scope", 1, "/a", compute)
    assert apicache.cached("scope", 1, "/a", compute) == first
    apicache.cached("scope", 1, "/b", compute)
    apicache.cached("scope", 2, "/a", compute)
    apicache.cached("other", 1, "/a", compute)
    assert compute.calls == 4


def test_invalidate_drops_only_the_named_owners():
    compute = Computations()
    for owner in (1, 2, 3):
        apicache.cached("scope", owner, "/a", compute)
    apicache.invalidate("scope", [1, 2])
    for owner in (1, 2, 3):
        apicache.cached("scope", owner, "/a", compute)
    assert compute.calls == 5


def test_a_write_during_computation_is_not_hidden():
    """The reader computed from the old state while a write committed: not kept."""

    def stale_read():
        apicache.invalidate("scope", [1])  # the write lands mid-computation
        return "old"

    assert apicache.cached("scope", 1, "/a", stale_read) == "old"
    assert apicache.cached("scope", 1, "/a", lambda: "new") == "new"


def test_errors_are_not_cached():
    def failing():
        raise ValueError("boom")

    with pytest.raises(ValueError):
        apicache.cached("scope", 1, "/a", failing)
    assert apicache.cached("scope", 1, "/a", lambda: "fine") == "fine"


def test_zero_seconds_turns_it_off(settings):
    settings.API_CACHE_SECONDS = 0
    compute = Computations()
    apicache.cached("scope", 1, "/a", compute)
    apicache.cached("scope", 1, "/a", compute)
    assert compute.calls == 2


def test_invalidate_on_commit_drops_again_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        apicache.invalidate_on_commit("scope", [1])
        apicache.cached("scope", 1, "/a", lambda: "read before commit")
    for callback in callbacks:
        callback()
    assert apicache.cached("scope", 1, "/a", lambda: "after") == "after"


def test_browsable_api_renders_the_cached_data(auth_api_client):
    json_body = auth_api_client.get("/api/v1/feed/").json()
    html = auth_api_client.get("/api/v1/feed/", HTTP_ACCEPT="text/html")
    assert html.status_code == 200
    assert html["Content-Type"].startswith("text/html")
    assert json_body == {"next": None, "prev": None, "results": []}
