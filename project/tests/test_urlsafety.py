import pytest
from django.template import Context, Template

from project.urlsafety import safe_http_url

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/acme/rockets/issues/1",
        "http://example.com",
        "HTTPS://X.COM/someone",
        "https://[::1]:8000/a?b=c#d",
    ],
)
def test_http_and_https_urls_pass(url):
    assert safe_http_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/x",
        "/relative/path",
        "https://",
        "https:///no-host",
        "http://[::1",
        "ftp://example.com/file",
        "https://example.com/\nSet-Cookie:x",
        "",
        None,
        42,
        ["https://example.com"],
        "https://example.com/" + "a" * 3000,
    ],
)
def test_everything_else_is_refused(url):
    assert safe_http_url(url) is None


def test_template_filter_renders_nothing_for_a_bad_url():
    template = Template(
        '{% load urlsafety %}<a href="{{ good|safe_url }}"></a><a href="{{ bad|safe_url }}"></a>'
    )
    html = template.render(Context({"good": "https://x.com/a", "bad": "javascript:alert(1)"}))
    assert html == '<a href="https://x.com/a"></a><a href=""></a>'


@pytest.mark.parametrize(
    "url",
    ["http://93.184.215.14/recipe", "https://[2606:4700::6810:85e5]/", "http://8.8.8.8:8080/"],
)
def test_public_addresses_pass_the_fetch_check(url):
    from project.urlsafety import check_public_url

    assert check_public_url(url)[0]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://[fe80::1]/",
        "http://172.16.0.1/",
        "http://224.0.0.1/",
        "javascript:x",
    ],
)
def test_non_public_addresses_fail_the_fetch_check(url, settings):
    from project.urlsafety import UnsafeURL, check_public_url

    settings.URL_FETCH_ALLOWED_HOSTS = ["127.0.0.1:81"]  # another port is not let through
    with pytest.raises(UnsafeURL):
        check_public_url(url)
