"""The real Mastodon.py client (PyPI), unchanged, against a live server: the consent
page is driven in a real browser, everything else goes through the client."""

import io
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from mastodon import Mastodon, MastodonAPIError, MastodonUnauthorizedError
from oauth2_provider.models import AccessToken, Application
from playwright.sync_api import Page, expect

from accounts.tests.factories import TEST_PASSWORD, UserFactory
from photos.tests.images import image_bytes
from social.models import Post

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OOB = "urn:ietf:wg:oauth:2.0:oob"
SCOPES = ["read", "write", "follow", "push"]


def _wait_for(check, *, seconds: float = 10.0):
    deadline = time.monotonic() + seconds
    while True:
        if result := check():
            return result
        if time.monotonic() > deadline:
            raise AssertionError("not reached in time")
        time.sleep(0.1)


def _authorise(page: Page, base: str, url: str, username: str) -> str:
    """Log in through the site's page, approve on the consent page, copy the code."""
    page.goto(url)
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Authorise Mastodon.py e2e?")
    expect(page.get_by_test_id("oauth-scopes")).to_contain_text("Read all your data")
    page.get_by_role("button", name="Authorise").click()
    return page.get_by_test_id("oauth-code").input_value()


def _token_client(base: str, user, scopes: str) -> Mastodon:
    """A second user's client with a token made directly (their flow is tested above)."""
    application = Application.objects.get(name="Mastodon.py e2e")
    token = AccessToken.objects.create(
        user=user,
        application=application,
        token=f"e2e-{user.pk}-{scopes.replace(' ', '-')}",
        scope=scopes,
        expires=timezone.now() + timedelta(days=1),
    )
    return Mastodon(access_token=token.token, api_base_url=base)


def test_mastodon_py_flows(page: Page, live_server):
    base = live_server.url
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")

    client_id, client_secret = Mastodon.create_app(
        "Mastodon.py e2e", api_base_url=base, redirect_uris=OOB, scopes=SCOPES
    )
    mastodon = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base)
    url = mastodon.auth_request_url(redirect_uris=OOB, scopes=SCOPES)
    code = _authorise(page, base, url, alice.username)
    mastodon.log_in(code=code, redirect_uri=OOB, scopes=SCOPES)
    assert mastodon.account_verify_credentials().username == "alice"
    assert mastodon.retrieve_mastodon_version() >= "4.0.0"

    # post, reply, context, favourite, edit with history, delete
    first = mastodon.status_post("Hello from Mastodon.py #e2e")
    media = mastodon.media_post(
        io.BytesIO(image_bytes("PNG", size=(64, 48))),
        mime_type="image/png",
        description="A plain square",
        synchronous=True,
    )
    pictured = mastodon.status_post("With a picture", media_ids=[media])
    attachment = mastodon.status(pictured.id).media_attachments[0]
    assert (attachment.description, attachment.type) == ("A plain square", "image")
    assert attachment.url.startswith(base) and attachment.blurhash
    reply = mastodon.status_post("A reply", in_reply_to_id=first.id)
    context = mastodon.status_context(reply.id)
    assert [status.id for status in context.ancestors] == [first.id]
    assert mastodon.status_favourite(first.id).favourited is True
    mastodon.status_update(first.id, "Hello, edited")
    history = mastodon.status_history(first.id)
    assert [version.content for version in history] == [
        '<p>Hello from Mastodon.py <a href="/social/tags/e2e/" class="hashtag">#e2e</a></p>',
        "<p>Hello, edited</p>",
    ]
    mastodon.status_delete(reply.id)
    with pytest.raises(MastodonAPIError):
        mastodon.status(reply.id)

    # follow, then the home timeline paged with fetch_next over 45 statuses
    bob_account = mastodon.account_lookup("bob")
    assert mastodon.account_follow(bob_account.id).following is True
    bob_client = _token_client(base, bob, "read write")
    posted = [bob_client.status_post(f"bob says {n}").id for n in range(45)]
    page_ = mastodon.timeline_home(limit=20)
    seen = []
    while page_:
        seen += [status.id for status in page_]
        page_ = mastodon.fetch_next(page_)
    assert seen == [*reversed(posted), pictured.id, first.id]

    # notifications: bob favourites and replies
    bob_client.status_favourite(first.id)
    bob_client.status_post("@alice hi", in_reply_to_id=first.id)
    kinds = _wait_for(
        lambda: {n.type for n in mastodon.notifications()} >= {"favourite", "mention"}
    )
    assert kinds
    assert mastodon.notifications(types=["favourite"])[0].account.username == "bob"

    # reblog: bob boosts alice's post; alice boosts one of bob's, then undoes it
    wrapper = bob_client.status_reblog(first.id)
    assert (wrapper.reblog.id, wrapper.reblogged) == (first.id, True)
    assert [account.username for account in mastodon.status_reblogged_by(first.id)] == ["bob"]
    assert _wait_for(lambda: "reblog" in {n.type for n in mastodon.notifications()})
    boosted = mastodon.status_reblog(posted[0])
    assert (boosted.reblog.id, boosted.reblog.reblogs_count) == (posted[0], 1)
    assert mastodon.status_unreblog(posted[0]).reblogged is False

    # search
    results = mastodon.search_v2("bob", result_type="accounts")
    assert [account.username for account in results.accounts] == ["bob"]
    assert mastodon.search_v2("says", result_type="statuses").statuses

    # block
    assert mastodon.account_block(bob_account.id).blocking is True
    assert all(status.account.username != "bob" for status in mastodon.timeline_home())

    # a read-only token is refused a post
    reader = _token_client(base, alice, "read")
    with pytest.raises(MastodonAPIError) as refused:
        reader.status_post("not allowed")
    assert "outside the authorized scopes" in str(refused.value)
    assert not Post.objects.filter(content="not allowed").exists()

    # a revoked token is refused
    mastodon.revoke_access_token()
    with pytest.raises(MastodonUnauthorizedError):
        Mastodon(
            access_token=code and mastodon.access_token, api_base_url=base
        ).account_verify_credentials()
