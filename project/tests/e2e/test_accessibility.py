"""Every page of the URL map passes axe-core (no critical or serious violation), fits a
390 px phone without sideways scrolling, and the dark theme is dark and legible.

axe-core is vendored for the tests only (vendor/axe.min.js, from the npm registry) and
evaluated through DevTools, which the page's Content-Security-Policy does not govern."""

from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext

from accounts.tests.factories import TEST_PASSWORD, UserFactory
from hublot.models import Issue, Repository
from photos.albums import album_add_photo, album_create
from photos.services import photo_upload
from photos.tests.images import camera_exif, image_bytes, upload
from recipes.tests.factories import RecipeFactory
from snaps.services import snap_update
from snaps.tests.factories import SnapFactory
from social import services as social_services
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
    FollowFactory(follower=friend, followed=user)
    snap = SnapFactory(user=user, content="print('hello')  # " + LONG_WORD)
    snap_update(  # a second file: every page shows both
        snap=snap,
        by=user,
        files=[
            {"name": "hello.py", "content": "print('hello, again')  # " + LONG_WORD},
            {"name": "second.js", "content": "console.log('two files')  // " + LONG_WORD},
        ],
        tags=["Greeting", "Tú " + "x" * 40],
    )
    post = PostFactory(user=friend, content="A long word: " + LONG_WORD)
    reply = social_services.post_create(
        user=user, content="@bob #bread https://example.com/" + LONG_WORD, in_reply_to_id=post.pk
    )
    social_services.post_update(post=reply, by=user, content=reply.content + " (edited)")
    recipe = RecipeFactory(user=user, instructions="Stir " + LONG_WORD)
    photo = photo_upload(  # processed at once: eager Celery, committed at once
        user=friend,
        file=upload(image_bytes("JPEG", size=(1600, 1200), exif=camera_exif()), "p.jpg"),
        comment="A long word: " + LONG_WORD,
        alt_text="A plain coloured square",
    )
    album = album_create(user=friend, title="Holidays " + "x" * 90)
    album_add_photo(album=album, photo=photo, by=friend)
    social_services.post_photos_set(post=post, by=friend, photo_ids=[photo.pk])  # on the post
    own_album = album_create(user=user, title="Mine")
    album_add_photo(
        album=own_album,
        photo=photo_upload(user=user, file=upload(image_bytes("PNG", size=(800, 600)))),
        by=user,
    )
    from recipes.services import shopping_list_create, tags_for_names

    recipe.tags.set(tags_for_names(["Weeknight"]))
    shopping_list = shopping_list_create(user=user, recipes=[(recipe, 6)])
    repository = Repository.objects.create(owner="octo-organisation", name="a-long-repository-name")
    issue = Issue.objects.create(
        repository=repository,
        body="Steps:\n\n```\n" + LONG_WORD + "\n```\n",
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
        snap.get_history_url(),
        f"/snaps/{snap.hash_key}/embed/",
        f"{snap.get_history_url()}1/",
        "/snaps/tags/greeting/",
        "/social/people/",
        f"/u/{friend.username}/",
        post.get_absolute_url(),
        "/social/tags/bread/",
        "/social/public/",
        "/photos/",
        "/photos/everyone/",
        photo.get_absolute_url(),
        album.get_absolute_url(),
        "/hublot/",
        f"/hublot/{repository.pk}/",
        f"/hublot/{repository.pk}/issues/{issue.number}/",
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
        "/search/?q=hello+OR+word+OR+stir",
        "/search/?q=word&kind=posts",
        "/search/?q=" + "x" * 300,  # the error state
        "/snaps/?q=hello",
        "/recipes/?q=stir",
    ]
    social_services.notification_create(recipient=user, actor=friend, kind="follow")
    from mastodon_api.services import OOB, app_register

    oauth_app, _ = app_register(name="Tusky", redirect_uris=[OOB], scopes="read write")
    consent = f"/oauth/authorize?response_type=code&client_id={oauth_app.client_id}"
    private = [
        "/",
        "/social/notifications/",
        "/social/public/",
        "/social/blocked-and-muted/",
        reply.get_absolute_url(),
        f"/social/posts/{reply.pk}/edit/",
        f"/u/{friend.username}/",
        "/snaps/new/",
        snap.get_absolute_url(),
        f"/snaps/{snap.hash_key}/edit/",
        f"/snaps/{snap.hash_key}/reply/",
        "/social/",
        "/photos/",
        "/photos/following/",
        f"/photos/users/{friend.username}/",
        photo.get_absolute_url(),
        "/photos/albums/",
        own_album.get_absolute_url(),
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
        "/accounts/profile/",
        "/accounts/email/",
        "/accounts/2fa/",
        "/accounts/2fa/totp/activate/",
        "/accounts/2fa/webauthn/",
        "/accounts/2fa/webauthn/add/",
        "/accounts/tokens/",
        "/accounts/apps/",
        f"{consent}&redirect_uri={OOB}&scope=read+write",
        "/accounts/data/",
        "/accounts/delete/",
        "/api/v1/",
        "/api/v1/snaps/",
        f"/api/v1/snaps/{snap.hash_key}/",  # the owner's detail page, with its PUT form
        "/search/?q=hello+OR+word+OR+stir",
    ]
    return {
        "base": live_server.url,
        "user": user,
        "public": public,
        "private": private,
        "code_pages": [snap.get_absolute_url(), f"/hublot/{repository.pk}/issues/{issue.number}/"],
    }


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


def test_code_blocks_scroll_by_keyboard_without_javascript(browser: Browser, site):
    """Wide code must be reachable by keyboard with scripts off: the focusable scroller
    comes from the server, not from site.js."""
    ctx = context(browser, site, signed_in=False, java_script_enabled=False)
    try:
        page = ctx.new_page()
        for path in site["code_pages"]:
            page.goto(f"{site['base']}{path}")
            scrollers = page.evaluate(SCROLLERS)
            assert scrollers, path  # the long line does scroll somewhere
            assert all(focusable for _, focusable in scrollers), (path, scrollers)
    finally:
        ctx.close()


# Elements in main that scroll sideways, and whether each can take keyboard focus.
SCROLLERS = """() => [...document.querySelectorAll("main *")]
  .filter((el) => el.scrollWidth > el.clientWidth
    && ["auto", "scroll"].includes(getComputedStyle(el).overflowX))
  .map((el) => [el.tagName + "." + el.className, el.tabIndex >= 0])"""
