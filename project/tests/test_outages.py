"""PostgreSQL or Redis unreachable: 503 + Retry-After, or the page without its cache.

The Redis tests stop the run's own redis-server (project/tests/harness.py) and start
it again on the same port; the PostgreSQL tests point this thread's connection at a
closed port. Both are restored whatever the test's outcome."""

import json
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection
from redis.exceptions import ConnectionError as RedisConnectionError
from rest_framework.test import APIClient

from accounts.services import api_token_create
from accounts.tests.factories import UserFactory
from photos.services import photo_upload
from photos.tests.images import image_bytes, upload
from project.cache import optional_read
from project.tests import harness as testservices
from project.views import handler500
from recipes.tests.factories import RecipeFactory
from snaps.tests.factories import SnapFactory
from social.models import Post
from social.tests.factories import FollowFactory, PostFactory

pytestmark = pytest.mark.integration

RETRY_AFTER = "30"


class HarnessRedis:
    def __init__(self) -> None:
        self.stopped = False

    def stop(self) -> None:
        testservices.stop_harness_redis()
        self.stopped = True

    def start(self) -> None:
        testservices.start_harness_redis()
        self.stopped = False


@pytest.fixture
def harness_redis():
    if not testservices.harness_redis_running():
        pytest.skip("needs the Redis this test run started (REDIS_URL was given)")
    control = HarnessRedis()
    try:
        yield control
    finally:
        if control.stopped:
            control.start()  # shared by the whole run: always back, answering PING


@contextmanager
def database_unreachable():
    """This thread's connection (the test client's too) aimed at a port nothing serves."""
    saved = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = str(testservices.free_port())
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["PORT"] = saved


def assert_api_503(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == RETRY_AFTER
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {
        "detail": "Service temporarily unavailable, try again later."
    }


def assert_page_503(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == RETRY_AFTER
    assert "Back in a moment" in response.content.decode()


@pytest.fixture
def token_client(db):
    user = UserFactory()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user, name='test').key}")
    return client, user


@pytest.mark.django_db
class TestRedisDown:
    def test_pages_reading_only_from_the_cache_render_without_it(
        self, client, settings, token_client, harness_redis
    ):
        settings.SOCIAL_FEED_STRATEGY = "cache"
        api, user = token_client
        snap = SnapFactory(name="outage-proof")
        RecipeFactory(title="Soup without Redis")
        author = UserFactory()
        FollowFactory(follower=user, followed=author)
        post = PostFactory(user=author)
        photo = photo_upload(user=user, file=upload(image_bytes()))
        assert client.get(snap.get_absolute_url()).status_code == 200  # now in the page cache

        harness_redis.stop()
        assert optional_read(lambda: cache.get("any"), "down") == "down"  # really down

        # Anonymous page cache, highlighting cache, recipe list: rendered afresh.
        response = client.get(snap.get_absolute_url())
        assert response.status_code == 200 and "outage-proof" in response.content.decode()
        assert "Soup without Redis" in client.get("/recipes/").content.decode()
        client.force_login(user)
        assert client.get(snap.get_absolute_url()).status_code == 200
        # Token cache, throttles, the feed's author timelines, the per-user API caches.
        feed = api.get("/api/v1/feed/")
        assert feed.status_code == 200
        assert [item["id"] for item in feed.json()["results"]] == [post.pk]
        photos = api.get("/api/v1/photos/")
        assert [item["id"] for item in photos.json()["results"]] == [photo.pk]

        harness_redis.start()
        assert api.get("/api/v1/feed/").json()["results"][0]["id"] == post.pk
        assert client.get(snap.get_absolute_url()).status_code == 200

    def test_writes_needing_the_cache_answer_503_and_change_nothing(
        self, client, token_client, harness_redis
    ):
        api, user = token_client
        client.force_login(user)
        harness_redis.stop()

        # A post must drop cached feeds before it commits: without Redis it cannot.
        assert_api_503(api.post("/api/v1/posts/", {"content": "lost?"}))
        assert_page_503(client.post("/social/posts/new/", {"content": "lost?"}))
        # Limits guarding credentials and sign-ups do not fail open.
        assert_api_503(APIClient().post("/api/v1/auth/token/", {"username": "x", "password": "y"}))
        assert not Post.objects.exists()

        harness_redis.start()
        assert api.post("/api/v1/posts/", {"content": "back"}).status_code == 201
        assert client.post("/social/posts/new/", {"content": "again"}).status_code == 302
        assert Post.objects.count() == 2

    def test_health_check_names_the_cache(self, client, harness_redis):
        harness_redis.stop()
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json() == {"database": "ok", "cache": "error: ConnectionError"}


@pytest.mark.django_db(transaction=True)
class TestDatabaseDown:
    def test_api_answers_503_json_then_recovers(self, api_client):
        SnapFactory()
        with database_unreachable():
            assert_api_503(api_client.get("/api/v1/snaps/"))
        assert api_client.get("/api/v1/snaps/").status_code == 200

    def test_web_answers_the_503_page_then_recovers(self, client):
        with database_unreachable():
            assert_page_503(client.get("/"))
            assert_page_503(client.get("/social/people/"))
        assert client.get("/").status_code == 200

    def test_signed_in_visitor_gets_the_503_page(self, client):
        client.force_login(UserFactory())
        with database_unreachable():
            assert_page_503(client.get("/recipes/"))


@pytest.mark.unit
@pytest.mark.parametrize(
    "error", [OperationalError("server closed the connection"), RedisConnectionError("refused")]
)
def test_an_outage_raised_outside_a_view_still_answers_503(rf, error):
    # Django calls handler500 while handling the exception, e.g. one raised by a middleware.
    try:
        raise error
    except type(error):
        page = handler500(rf.get("/recipes/"))
        api = handler500(rf.get("/api/v1/feed/"))
    assert_page_503(page)
    assert_api_503(api)


@pytest.mark.unit
def test_any_other_server_error_is_still_a_500(rf):
    try:
        raise RuntimeError("bug")
    except RuntimeError:
        assert handler500(rf.get("/api/v1/feed/")).status_code == 500
