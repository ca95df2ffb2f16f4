"""The one check for URLs that come from outside (GitHub, X, Facebook, allauth profiles).

Such a URL is stored and rendered only when it is an absolute http(s) URL with a host:
`javascript:`, `data:`, `vbscript:`, scheme-relative `//host` and anything unparsable
become None, so a link on a public page can never run code. Also a template filter:
`{% load urlsafety %}<a href="{{ issue.html_url|safe_url }}">` renders "" for a bad URL.

`fetch_public_url` is the one way to fetch a URL a user typed (recipe import): every hop,
redirects included, must resolve only to public addresses (no loopback, private,
link-local, multicast or reserved ones), and the whole fetch is bounded in time and size.
`URL_FETCH_ALLOWED_HOSTS` ("host:port" entries) lets named non-public servers through,
for tests and intranets.
"""

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
from django import template
from django.conf import settings

ALLOWED_SCHEMES = frozenset({"http", "https"})
# Browsers drop these anywhere in a URL ("java\tscript:" is "javascript:"); refuse them.
_CONTROL_CHARS = frozenset(chr(code) for code in range(0x21)) | {"\x7f"}

register = template.Library()


def safe_http_url(value: object) -> str | None:
    """`value` when it is an absolute http(s) URL with a host, else None."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or len(url) > 2048 or any(char in _CONTROL_CHARS for char in url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return None
    if parts.scheme.lower() not in ALLOWED_SCHEMES or not host:
        return None
    return url


@register.filter(name="safe_url")
def safe_url(value: object) -> str:
    """Template filter: the URL when safe_http_url accepts it, else ""."""
    return safe_http_url(value) or ""


class UnsafeURL(ValueError):
    """The URL is not an http(s) URL, or it leads to a non-public address."""


class FetchError(Exception):
    """The fetch failed (timeout, too large, an error status, too many redirects)."""


@dataclass(frozen=True)
class FetchedPage:
    url: str  # after redirects
    content: bytes
    content_type: str
    encoding: str | None

    @property
    def text(self) -> str:
        return self.content.decode(self.encoding or "utf-8", errors="replace")


def _allowed(host: str, port: int) -> bool:
    return f"{host}:{port}".lower() in {
        entry.lower() for entry in getattr(settings, "URL_FETCH_ALLOWED_HOSTS", ())
    }


def check_public_url(url: str) -> tuple[str, int]:
    """(host, port) when `url` is an http(s) URL whose host resolves only to public
    addresses (or is allowed by URL_FETCH_ALLOWED_HOSTS); else UnsafeURL."""
    if safe_http_url(url) is None:
        raise UnsafeURL("Give an http:// or https:// address.")
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError:
        raise UnsafeURL("That address has a bad port.") from None
    if parts.username or parts.password:
        raise UnsafeURL("Addresses with a user name or password are not fetched.")
    if _allowed(host, port):
        return host, port
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise UnsafeURL(f"The host {host} could not be found.") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        if not address.is_global or address.is_multicast:
            raise UnsafeURL(f"{host} is not a public address; it is not fetched.")
    return host, port


def fetch_public_url(
    url: str,
    *,
    timeout: float,
    max_bytes: int,
    max_redirects: int = 5,
    accept: str = "text/html,application/xhtml+xml,application/ld+json;q=0.9,*/*;q=0.5",
) -> FetchedPage:
    """GET `url`, following at most `max_redirects` redirects, each hop checked by
    check_public_url; the whole fetch ends after `timeout` seconds and `max_bytes`.
    Raises UnsafeURL or FetchError."""
    deadline = time.monotonic() + timeout
    headers = {"Accept": accept, "User-Agent": "Blueprints/1.0 (+recipe import)"}
    with requests.Session() as session:
        session.trust_env = False  # no proxy from the environment: we checked the host
        for _ in range(max_redirects + 1):
            check_public_url(url)
            left = deadline - time.monotonic()
            if left <= 0:
                raise FetchError("The site did not answer in time.")
            try:
                response = session.get(
                    url, headers=headers, stream=True, allow_redirects=False, timeout=left
                )
            except requests.Timeout:
                raise FetchError("The site did not answer in time.") from None
            except requests.RequestException as error:
                raise FetchError(
                    f"The site could not be reached ({type(error).__name__})."
                ) from None
            with response:
                if response.is_redirect and response.headers.get("Location"):
                    url = urljoin(url, response.headers["Location"])
                    continue
                if response.status_code >= 400:
                    raise FetchError(f"The site answered {response.status_code}.")
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise FetchError(f"The page is larger than {max_bytes} bytes.")
                chunks, size = [], 0
                try:
                    for chunk in response.iter_content(chunk_size=16384):
                        size += len(chunk)
                        if size > max_bytes:
                            raise FetchError(f"The page is larger than {max_bytes} bytes.")
                        if time.monotonic() > deadline:
                            raise FetchError("The site did not answer in time.")
                        chunks.append(chunk)
                except requests.RequestException:
                    raise FetchError("The site stopped answering.") from None
                return FetchedPage(
                    url=url,
                    content=b"".join(chunks),
                    content_type=response.headers.get("Content-Type", ""),
                    encoding=response.encoding,
                )
    raise FetchError(f"More than {max_redirects} redirects.")
