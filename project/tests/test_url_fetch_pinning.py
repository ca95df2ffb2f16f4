"""fetch_public_url connects to the address it checked (no DNS-rebinding window), with
the URL's host in the Host header, in SNI and in the certificate check.

DNS is the outside service here: the `dns` fixture answers the test's names the way a
rebinding attacker's DNS server would (a first answer for the check, another one for
every later lookup); everything else resolves as usual. The servers are local."""

import datetime
import socket
import ssl

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from project.tests.fake_http import FakeHTTPServer
from project.urlsafety import FetchError, fetch_public_url

pytestmark = pytest.mark.integration


class Page(FakeHTTPServer):
    def __init__(self, body: bytes, **options) -> None:
        super().__init__(**options)
        self.body = body

    def route(self, request):
        return 200, self.body, {}


class FakeDNS:
    """name -> answers: the first for the first lookup, the last for every later one."""

    def __init__(self) -> None:
        self.answers: dict[str, list[str]] = {}
        self.lookups: list[str] = []

    def __setitem__(self, name: str, answers: list[str]) -> None:
        self.answers[name] = list(answers)


@pytest.fixture
def dns(monkeypatch) -> FakeDNS:
    real, fake = socket.getaddrinfo, FakeDNS()

    def getaddrinfo(host, port, *args, **kwargs):
        if host in fake.answers:
            fake.lookups.append(host)
            queue = fake.answers[host]
            host = queue.pop(0) if len(queue) > 1 else queue[0]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return fake


def fetch(url: str):
    return fetch_public_url(url, timeout=5, max_bytes=100_000)


def test_a_second_dns_answer_cannot_move_the_connection(dns, settings):
    checked = Page(b"<p>the page that was checked</p>").start()
    internal = Page(b"<p>an internal service</p>", address="127.0.0.2", port=checked.port)
    internal.start()
    try:
        dns["rebind.test"] = ["127.0.0.1", "127.0.0.2"]
        # The entry stands in for "public": what is checked is that the connection goes
        # to the address the check saw, however the name answers afterwards.
        settings.URL_FETCH_ALLOWED_HOSTS = [f"rebind.test:{checked.port}"]
        page = fetch(f"http://rebind.test:{checked.port}/recipe?x=1")
        assert page.content == b"<p>the page that was checked</p>"
        assert internal.requests == []
        (request,) = checked.requests
        assert request.headers["Host"] == f"rebind.test:{checked.port}"
        assert request.path == "/recipe" and request.query == {"x": "1"}
        assert dns.lookups == ["rebind.test"]  # resolved once, for the check
    finally:
        checked.stop()
        internal.stop()


def test_every_redirect_hop_is_pinned_to_its_own_check(dns, settings):
    first = Page(b"")
    second = Page(b"<p>after the redirect</p>", address="127.0.0.3")
    first.route = lambda request: (302, b"", {"Location": f"http://next.test:{second.port}/b"})
    for server in (first, second):
        server.start()
    try:
        dns["first.test"] = ["127.0.0.1"]
        dns["next.test"] = ["127.0.0.3", "127.0.0.1"]
        settings.URL_FETCH_ALLOWED_HOSTS = [
            f"first.test:{first.port}",
            f"next.test:{second.port}",
        ]
        page = fetch(f"http://first.test:{first.port}/a")
        assert page.content == b"<p>after the redirect</p>"
        assert page.url == f"http://next.test:{second.port}/b"
        assert second.requests[0].headers["Host"] == f"next.test:{second.port}"
    finally:
        first.stop()
        second.stop()


def _certificate_authority(tmp_path, name: str):
    """A CA (its PEM in tmp_path) and a server context whose certificate it signed for `name`."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca_file = tmp_path / "ca.pem"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_file, key_file = tmp_path / "server.pem", tmp_path / "server.key"
    cert_file.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return ca_file, context


@pytest.fixture
def https_site(tmp_path, dns, settings):
    """An https site whose certificate names recipes.test, signed by a CA the fetch trusts."""
    ca_file, context = _certificate_authority(tmp_path, "recipes.test")
    names: list[str | None] = []
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    site = Page(b"<p>over https</p>", tls=context).start()
    site.sni_names = names
    dns["recipes.test"] = ["127.0.0.1", "127.0.0.2"]
    dns["elsewhere.test"] = ["127.0.0.1"]
    settings.URL_FETCH_CA_BUNDLE = str(ca_file)
    settings.URL_FETCH_ALLOWED_HOSTS = [f"recipes.test:{site.port}", f"elsewhere.test:{site.port}"]
    yield site
    site.stop()


def test_https_to_the_pinned_address_sends_the_name_and_verifies_it(https_site):
    page = fetch(f"https://recipes.test:{https_site.port}/")
    assert page.content == b"<p>over https</p>"
    assert https_site.sni_names == ["recipes.test"]
    assert https_site.requests[0].headers["Host"] == f"recipes.test:{https_site.port}"


def test_https_refuses_a_certificate_for_another_name(https_site):
    with pytest.raises(FetchError, match="certificate"):
        fetch(f"https://elsewhere.test:{https_site.port}/")
    assert https_site.requests == []


def test_https_refuses_a_certificate_no_trusted_ca_signed(https_site, settings):
    settings.URL_FETCH_CA_BUNDLE = ""  # certifi's bundle only
    with pytest.raises(FetchError, match="certificate"):
        fetch(f"https://recipes.test:{https_site.port}/")
    assert https_site.requests == []
