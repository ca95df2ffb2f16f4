"""The one check for URLs that come from outside (GitHub, X, Facebook, allauth profiles).

Such a URL is stored and rendered only when it is an absolute http(s) URL with a host:
`javascript:`, `data:`, `vbscript:`, scheme-relative `//host` and anything unparsable
become None, so a link on a public page can never run code. Also a template filter:
`{% load urlsafety %}<a href="{{ issue.html_url|safe_url }}">` renders "" for a bad URL.

`fetch_public_url` is the one way to fetch a URL a user typed (recipe import): every hop,
redirects included, must resolve only to public addresses (no loopback, private,
link-local, multicast or reserved ones), and the whole fetch is bounded in time and size.
`URL_FETCH_ALLOWED_HOSTS` ("host:port" entries) lets named non-public servers through,
for tests and intranets. The connection goes to the address that was checked, with the
URL's host in the Host header, in SNI and in the certificate check, so a second DNS
answer cannot point it elsewhere (DNS rebinding).
"""

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import certifi
import urllib3
from django import template
from django.conf import settings
from requests.exceptions import RequestException
from requests.models import PreparedRequest
from requests.sessions import REDIRECT_STATI
from requests.utils import get_encoding_from_headers

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


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _checked_addresses(url: str) -> tuple[str, int, list[str]]:
    """(host, port, the addresses it resolved to) when `url` passes check_public_url."""
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
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise UnsafeURL(f"The host {host} could not be found.") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not _allowed(host, port) and not all(_is_public(address) for address in addresses):
        raise UnsafeURL(f"{host} is not a public address; it is not fetched.")
    return host, port, addresses


def check_public_url(url: str) -> tuple[str, int]:
    """(host, port) when `url` is an http(s) URL whose host resolves only to public
    addresses (or is allowed by URL_FETCH_ALLOWED_HOSTS); else UnsafeURL."""
    host, port, _ = _checked_addresses(url)
    return host, port


def _pool(scheme: str, host: str, port: int, address: str) -> urllib3.HTTPConnectionPool:
    """A connection to `address`, the one that was checked (a second DNS answer could
    name a private one: DNS rebinding). For https the certificate is verified for `host`,
    which is also the name sent in SNI."""
    if scheme == "https":
        return urllib3.HTTPSConnectionPool(
            address,
            port,
            maxsize=1,
            server_hostname=host,
            assert_hostname=host,
            cert_reqs="CERT_REQUIRED",
            ca_certs=settings.URL_FETCH_CA_BUNDLE or certifi.where(),
        )
    return urllib3.HTTPConnectionPool(address, port, maxsize=1)


def _get(url: str, headers: dict[str, str], deadline: float) -> urllib3.BaseHTTPResponse:
    """GET one hop (no redirects followed), from an address its check resolved to."""
    prepared = PreparedRequest()
    try:
        prepared.prepare_url(url, None)  # IDNA host, percent-encoded path, as requests sends
    except RequestException:
        raise UnsafeURL("That is not a valid address.") from None
    parts = urlsplit(prepared.url)
    host, port, addresses = _checked_addresses(prepared.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {**headers, "Host": parts.netloc}
    for address in addresses:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        pool = _pool(parts.scheme.lower(), host, port, address)
        try:
            return pool.urlopen(
                "GET",
                target,
                headers=headers,
                redirect=False,
                retries=False,
                preload_content=False,
                assert_same_host=False,
                timeout=urllib3.Timeout(connect=left, read=left),
                release_conn=False,
            )
        except urllib3.exceptions.NewConnectionError:
            pool.close()
            continue  # refused or unreachable: the next address the check allowed
        except urllib3.exceptions.TimeoutError:
            pool.close()
            break
        except urllib3.exceptions.SSLError:
            pool.close()
            raise FetchError("The site's certificate could not be verified.") from None
        except urllib3.exceptions.HTTPError as error:
            pool.close()
            raise FetchError(f"The site could not be reached ({type(error).__name__}).") from None
    if time.monotonic() >= deadline:
        raise FetchError("The site did not answer in time.")
    raise FetchError("The site could not be reached (NewConnectionError).")


def fetch_public_url(
    url: str,
    *,
    timeout: float,
    max_bytes: int,
    max_redirects: int = 5,
    accept: str = "text/html,application/xhtml+xml,application/ld+json;q=0.9,*/*;q=0.5",
) -> FetchedPage:
    """GET `url`, following at most `max_redirects` redirects, each hop checked by
    check_public_url and fetched from the very address that was checked; the whole fetch
    ends after `timeout` seconds and `max_bytes`. Raises UnsafeURL or FetchError."""
    deadline = time.monotonic() + timeout
    headers = {
        "Accept": accept,
        "Accept-Encoding": "gzip, deflate",
        "User-Agent": "Blueprints/1.0 (+recipe import)",
    }
    for _ in range(max_redirects + 1):
        response = _get(url, headers, deadline)
        try:
            location = response.headers.get("Location")
            if response.status in REDIRECT_STATI and location:
                url = urljoin(url, location)
                continue
            if response.status >= 400:
                raise FetchError(f"The site answered {response.status}.")
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(f"The page is larger than {max_bytes} bytes.")
            chunks, size = [], 0
            try:
                for chunk in response.stream(16384):
                    size += len(chunk)
                    if size > max_bytes:
                        raise FetchError(f"The page is larger than {max_bytes} bytes.")
                    if time.monotonic() > deadline:
                        raise FetchError("The site did not answer in time.")
                    chunks.append(chunk)
            except urllib3.exceptions.HTTPError:
                raise FetchError("The site stopped answering.") from None
            return FetchedPage(
                url=url,
                content=b"".join(chunks),
                content_type=response.headers.get("Content-Type", ""),
                encoding=get_encoding_from_headers(response.headers),
            )
        finally:
            response.close()  # and its connection: nothing is kept for another hop
    raise FetchError(f"More than {max_redirects} redirects.")
