import pytest
from playwright.sync_api import Page, expect

from accounts.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_import_from_a_url_scale_it_and_make_a_shopping_list(page: Page, live_server, recipe_site):
    """The import's SSRF guard refuses loopback; the setting lets this one server through."""
    cook = UserFactory(username="cook")
    page.goto(f"{live_server.url}/accounts/login/?next=/recipes/")
    page.fill("input[name=login]", cook.username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.locator("main form button[type=submit]").last.click()

    page.get_by_role("link", name="Import").click()
    page.fill("input[name=url]", f"{recipe_site.url}/wordpress_wprm/")
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fluffy Buttermilk Pancakes")
    ingredients = page.get_by_test_id("ingredients")
    expect(ingredients).to_contain_text("2 cup buttermilk")

    page.fill("input[name=servings]", "8")
    page.select_option("select[name=units]", "metric")
    page.get_by_role("button", name="Scale").click()
    expect(page.get_by_text("for 8")).to_be_visible()
    expect(ingredients).to_contain_text("946 ml buttermilk")  # 4 cups
    expect(ingredients).to_contain_text("4 large eggs")

    page.fill("#shop-servings", "8")
    page.get_by_role("button", name="Add to shopping list").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fluffy Buttermilk Pancakes")
    items = page.get_by_test_id("shopping-item")
    expect(items.filter(has_text="buttermilk")).to_contain_text("4 cup buttermilk")
    # Readable, not white on white: the row's text has the page's text colour.
    row_color, page_color = items.first.evaluate(
        "e => [getComputedStyle(e).color, getComputedStyle(document.body).color]"
    )
    assert row_color == page_color
    items.filter(has_text="buttermilk").click()
    expect(items.filter(has_text="buttermilk")).to_have_attribute("aria-pressed", "true")

    page.set_viewport_size({"width": 390, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
