"""Embedding: an iframe-friendly page (this one alone may be framed) and oEmbed."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from snaps.tests.factories import SnapFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def embed_url(snap) -> str:
    return reverse("snaps:embed", args=[snap.hash_key])


class TestEmbedPage:
    def test_may_be_framed_by_anyone_unlike_the_snap_page(self, client):
        snap = SnapFactory(language="text", content="print(1)\n")
        response = client.get(embed_url(snap))
        assert response.status_code == 200
        assertContains(response, "print(1)")
        assert "frame-ancestors *" in response["Content-Security-Policy"]
        assert "X-Frame-Options" not in response
        page = client.get(snap.get_absolute_url())
        assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
        assert page["X-Frame-Options"] == "DENY"

    def test_a_cached_copy_keeps_the_framing_headers(self, client):
        snap = SnapFactory()
        client.get(embed_url(snap))
        again = client.get(embed_url(snap))
        assert "frame-ancestors *" in again["Content-Security-Policy"]
        assert "X-Frame-Options" not in again

    @pytest.mark.parametrize(
        "traits", [{"unlisted": True}, {"private": True}, {"burn_after_reading": True}]
    )
    def test_only_listed_snaps_are_embedded(self, client, traits):
        snap = SnapFactory(**traits)
        client.force_login(snap.user)  # not even for their author: the audience is elsewhere
        assert client.get(embed_url(snap)).status_code == 404
        url = "http://testserver" + snap.get_absolute_url()
        assert client.get("/oembed/", {"url": url}).status_code == 404


class TestOEmbed:
    def test_rich_json_with_an_iframe_of_the_embed_page(self, client):
        snap = SnapFactory(name="hello", extension="py", content="a\nb\nc\n")
        response = client.get(
            "/oembed/",
            {
                "url": f"http://testserver{snap.get_absolute_url()}",
                "format": "json",
                "maxwidth": "500",
            },
        )
        assert response.status_code == 200
        body = response.json()
        assert body["version"] == "1.0" and body["type"] == "rich"
        assert body["title"] == "hello.py" and body["author_name"] == snap.user.username
        assert body["width"] == 500 and 0 < body["height"] <= 600
        assert f'src="http://testserver{embed_url(snap)}"' in body["html"]

    @pytest.mark.parametrize(
        "url",
        ["", "not a url", "http://evil.example/snaps/" + "a" * 40 + "/",
         "http://testserver/snaps/" + "a" * 40 + "/", "javascript:alert(1)"],
    )  # fmt: skip
    def test_other_urls_are_404(self, client, url):
        assert client.get("/oembed/", {"url": url}).status_code == 404

    def test_xml_is_not_implemented(self, client):
        snap = SnapFactory()
        url = f"http://testserver{snap.get_absolute_url()}"
        assert client.get("/oembed/", {"url": url, "format": "xml"}).status_code == 501

    def test_snap_page_advertises_its_oembed(self, client):
        snap = SnapFactory()
        assertContains(client.get(snap.get_absolute_url()), 'type="application/json+oembed"')
        unlisted = SnapFactory(unlisted=True)
        assertNotContains(client.get(unlisted.get_absolute_url()), "json+oembed")
