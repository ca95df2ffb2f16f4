"""In the browser: an open timeline says "1 new post" when a followee posts, through
Server-Sent Events from the test Redis, and the badge counts a new notification."""

import pytest
from playwright.sync_api import Page, expect

from accounts.tests.factories import UserFactory
from social import services
from social.tests.e2e.test_follow_flow import log_in
from social.tests.factories import FollowFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_open_timeline_shows_new_posts_without_a_reload(page: Page, live_server, settings):
    settings.SOCIAL_STREAM_MAX_SECONDS = 5  # a short connection: EventSource reconnects
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    FollowFactory(follower=alice, followed=bob)
    log_in(page, live_server.url, alice.username)
    page.goto(f"{live_server.url}/social/")
    live = page.get_by_test_id("live-new")
    expect(live).to_be_hidden()
    page.wait_for_function("document.querySelector('[data-live-timeline]') !== null")
    # Committed at once (transaction=True) and fanned out by eager Celery.
    services.post_create(user=bob, content="fresh from the oven")
    expect(live).to_be_visible(timeout=15_000)
    expect(live).to_contain_text("1 new post")
    services.follow_create(follower=bob, followed=alice)
    expect(page.get_by_test_id("unread-count")).to_contain_text("1", timeout=15_000)
    live.get_by_role("link", name="show").click()
    expect(page.get_by_test_id("post").first).to_contain_text("fresh from the oven")
