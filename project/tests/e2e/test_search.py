"""The navigation's search field: search everything, then follow a group's "more" link."""

import pytest
from playwright.sync_api import Page, expect

from snaps.tests.factories import SnapFactory
from social.tests.factories import PostFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_search_from_the_navigation_and_see_more(page: Page, live_server, settings):
    settings.SEARCH_GROUP_SIZE = 2
    SnapFactory(name="quicksort", content="def quicksort(items): ...")
    for n in range(3):
        SnapFactory(name=f"sorting-{n}", content="uses quicksort inside")
    PostFactory(content="Quicksort is quick")
    SnapFactory(name="hidden-quicksort", content="quicksort", private=True)

    page.goto(f"{live_server.url}/")
    page.get_by_role("search", name="Site").get_by_role("searchbox").fill("quicksort")
    page.get_by_role("search", name="Site").get_by_role("button", name="Search").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    snaps = page.get_by_test_id("search-group-snaps")
    expect(snaps.get_by_test_id("hit")).to_have_count(2)
    expect(snaps.get_by_test_id("hit").first).to_contain_text("quicksort.py")  # best first
    expect(page.get_by_test_id("search-group-posts")).to_contain_text("Quicksort is quick")
    expect(page.get_by_text("hidden-quicksort")).to_have_count(0)

    snaps.get_by_role("link", name="More snaps").click()
    expect(page).to_have_url(f"{live_server.url}/snaps/?q=quicksort")
    expect(page.get_by_role("searchbox", name="Search snaps")).to_have_value("quicksort")
    expect(page.locator(".snap-card")).to_have_count(4)
