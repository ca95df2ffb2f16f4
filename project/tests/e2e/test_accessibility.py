"""Every page of the URL map passes axe-core (no critical or serious violation), fits a
390 px phone without sideways scrolling, and the dark theme is dark and legible.

axe-core is vendored for the tests only (vendor/axe.min.js, from the npm registry) and
evaluated through DevTools, which the page's Content-Security-Policy does not govern."""

from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext

from accounts.tests.factories import TEST_PASSWORD, UserFactory
from hublot.models import Issue, Repository
from recipes.tests.factories import RecipeFactory
from snaps.tests.factories import SnapFactory
from social.tests.factories import FollowFactory, PostFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => v.impact === "critical" || v.impact === "serious")
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}"""
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"
LONG_WORD = "x" * 300
BODY_RGB = "getComputedStyle(document.body).backgroundColor.match(/\\d+/g).slice(0, 3).map(Number)"


@pytest.fixture
def site(live_server):
    """Demo-like data and the pages to visit, anonymous and signed in."""
    user = UserFactory(username="alice")
    friend = UserFactory(username="bob")
    FollowFactory(follower=user, followed=friend)
    snap = SnapFactory(user=user, content="print('hello')  # " + LONG_WORD)
    post = PostFactory(user=friend, content="A long word: " + LONG_WORD)
    recipe = RecipeFactory(user=user, instructions="Stir " + LONG_WORD)
    from recipes.services import shopping_list_create, tags_for_names

    recipe.tags.set(tags_for_names(["Weeknight"]))
    shopping_list = shopping_list_create(user=user, recipes=[(recipe, 6)])
    repository = Repository.objects.create(owner="octo-organisation", name="a-long-repository-name")
    Issue.objects.create(
        repository=repository,
        number=1234,
        title="A long issue title " + LONG_WORD,
        state="open",
        author="someone-with-a-long-name",
        html_url="https://github.com/octo-organisation/a-long-repository-name/issues/1234",
    )
    public = [
        "/",
        "/snaps/",
        snap.get_absolute_url(),
        f"/snaps/u/{user.username}/",
        "/social/people/",
        f"/social/u/{friend.username}/",
        post.get_absolute_url(),
        "/photos/",
        "/hublot/",
        f"/hublot/{repository.pk}/",
        "/recipes/",
        recipe.get_absolute_url(),
        f"{recipe.get_absolute_url()}?servings=8&units=us",
        "/recipes/tags/",
        "/recipes/tags/weeknight/",
        "/accounts/login/",
        "/accounts/signup/",
        f"/u/{user.username}/",
        "/no-such-page/",
        "/api/v1/",
        "/api/v1/snaps/",
    ]
    private = [
        "/",
        "/snaps/new/",
        snap.get_absolute_url(),
        "/social/",
        "/photos/",
        "/recipes/new/",
        "/recipes/friends/",
        recipe.get_absolute_url(),
        f"/recipes/{recipe.pk}/edit/",
        f"/recipes/{recipe.pk}/ingredients/",
        f"/recipes/{recipe.pk}/steps/",
        f"/recipes/{recipe.pk}/pictures/",
        "/recipes/import/",
        "/recipes/favourites/",
        "/recipes/shopping/",
        shopping_list.get_absolute_url(),
        "/accounts/3rdparty/",
        "/accounts/preferences/",
        "/accounts/password/change/",
        "/api/v1/",
        "/api/v1/snaps/",
    ]
    return {"base": live_server.url, "user": user, "public": public, "private": private}


def context(browser: Browser, site, *, signed_in: bool, **options) -> BrowserContext:
    ctx = browser.new_context(**options)
    if signed_in:
        page = ctx.new_page()
        page.goto(f"{site['base']}/accounts/login/")
        page.fill("input[name=login]", site["user"].username)
        page.fill("input[name=password]", TEST_PASSWORD)
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_url(f"{site['base']}/")
        page.close()
    return ctx


def walk(ctx: BrowserContext, site, paths: list[str]) -> dict[str, list[str]]:
    """Visit each page once in one tab; return the problems found per page."""
    page = ctx.new_page()
    problems: dict[str, list[str]] = {}
    for path in paths:
        page.goto(f"{site['base']}{path}")
        page.wait_for_load_state("load")
        found = []
        page.evaluate(AXE)
        found += page.evaluate(RUN_AXE)
        overflow = page.evaluate(OVERFLOW)
        if overflow > 0:
            found.append(f"scrolls sideways by {overflow}px")
        if not path.startswith("/api/") and page.locator("h1").count() != 1:
            found.append("not exactly one h1")
        if found:
            problems[path] = found
    page.close()
    return problems


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
@pytest.mark.parametrize("width", [1280, 390])
def test_pages_pass_axe_and_fit_the_screen(browser: Browser, site, signed_in, width):
    ctx = context(browser, site, signed_in=signed_in, viewport={"width": width, "height": 900})
    try:
        problems = walk(ctx, site, site["private" if signed_in else "public"])
    finally:
        ctx.close()
    assert problems == {}


def test_dark_theme_is_dark_and_legible(browser: Browser, site):
    ctx = context(browser, site, signed_in=True, color_scheme="dark")
    try:
        page = ctx.new_page()
        for path in ("/", site["public"][2], "/social/", "/recipes/"):
            page.goto(f"{site['base']}{path}")
            rgb = page.evaluate(BODY_RGB)
            assert sum(rgb) / 3 < 60, (path, rgb)
            page.evaluate(AXE)
            assert page.evaluate(RUN_AXE) == [], path
    finally:
        ctx.close()


def test_phone_menu_opens_and_closes(browser: Browser, site):
    ctx = context(browser, site, signed_in=False, viewport={"width": 390, "height": 800})
    try:
        page = ctx.new_page()
        page.goto(f"{site['base']}/")
        snaps_link = page.get_by_role("link", name="Snaps", exact=True).first
        assert not snaps_link.is_visible()
        page.get_by_text("Menu").click()
        assert snaps_link.is_visible()
        header = page.locator("header.topbar").bounding_box()
        assert header is not None and header["height"] < 70  # one row, not three
    finally:
        ctx.close()
