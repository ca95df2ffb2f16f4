"""In the browser: a follow shows as an unread notification; a reply, a like and a
mention go through the buttons and forms; a mute empties the timeline."""

import pytest
from playwright.sync_api import Browser, Page, expect

from accounts.tests.factories import UserFactory
from social.tests.e2e.test_follow_flow import log_in
from social.tests.factories import PostFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_notify_reply_like_and_mute(page: Page, browser: Browser, live_server):
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    question = PostFactory(user=alice, content="Who bakes #bread?")
    base = live_server.url

    log_in(page, base, bob.username)
    page.goto(f"{base}/u/alice/")
    page.get_by_role("button", name="Follow").click()
    page.goto(f"{base}{question.get_absolute_url()}")
    page.get_by_test_id("like-button").first.click()
    expect(page.get_by_test_id("like-count").first).to_have_text("1 like")
    page.fill("textarea[name=content]", "I do, @alice!")
    page.get_by_role("button", name="Reply").click()
    expect(page.get_by_text("Your reply is live.")).to_be_visible()
    expect(page.get_by_test_id("descendants")).to_contain_text("I do, @alice!")
    page.get_by_role("link", name="#bread").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Posts tagged #bread")

    alice_page = browser.new_context().new_page()
    log_in(alice_page, base, alice.username)
    expect(alice_page.get_by_test_id("unread-count")).to_contain_text("3")  # follow, like, reply
    alice_page.get_by_test_id("notifications-link").click()
    expect(alice_page.get_by_test_id("notification")).to_have_count(3)
    alice_page.get_by_role("button", name="Mark all read").click()
    expect(alice_page.get_by_test_id("unread-count")).to_have_count(0)

    alice_page.goto(f"{base}/u/bob/")
    alice_page.get_by_role("button", name="Follow").click()
    alice_page.goto(f"{base}/social/")
    expect(alice_page.get_by_test_id("post").filter(has_text="I do")).to_have_count(1)
    alice_page.goto(f"{base}/u/bob/")
    alice_page.get_by_role("button", name="Mute").click()
    alice_page.goto(f"{base}/social/")
    expect(alice_page.get_by_test_id("post").filter(has_text="I do")).to_have_count(0)
    alice_page.context.close()
