"""Test support: a base for small local HTTP servers standing in for external APIs
(GitHub, X, Facebook). Subclasses answer `route()`; every request is recorded."""

from __future__ import annotations

import json
import ssl
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes = b""
    form: dict[str, str] = field(default_factory=dict)

    @property
    def json(self):
        return json.loads(self.body or b"null")

    @property
    def bearer(self) -> str | None:
        value = self.headers.get("Authorization") or self.headers.get("authorization") or ""
        return value.removeprefix("Bearer ") if value.startswith("Bearer ") else None


Reply = tuple[int, object, dict[str, str]]


class FakeHTTPServer:
    def __init__(
        self, *, address: str = "127.0.0.1", port: int = 0, tls: ssl.SSLContext | None = None
    ) -> None:
        self.requests: list[Recorded] = []
        self._server = ThreadingHTTPServer((address, port), self._handler())
        self._server.daemon_threads = True
        self.scheme = "http"
        if tls is not None:  # https, with the certificate the context holds
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
            self.scheme = "https"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{self.scheme}://{host}:{port}"

    def start(self):
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def route(self, request: Recorded) -> Reply:
        raise NotImplementedError

    def extra_headers(self) -> dict[str, str]:
        return {}

    def requests_to(self, method: str, path_suffix: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path.endswith(path_suffix)]

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def _serve(self) -> None:
                parsed = urlparse(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                form = {}
                if "application/x-www-form-urlencoded" in (self.headers.get("Content-Type") or ""):
                    form = {k: v[-1] for k, v in parse_qs(body.decode()).items()}
                query = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
                request = Recorded(self.command, parsed.path, query, dict(self.headers), body, form)
                fake.requests.append(request)
                status, payload, headers = fake.route(request)
                headers = {**fake.extra_headers(), **headers}
                if isinstance(payload, bytes):  # a page (HTML), sent as it is
                    data, content_type = payload, "text/html; charset=utf-8"
                else:
                    data, content_type = (
                        json.dumps(payload).encode(),
                        "application/json; charset=utf-8",
                    )
                self.send_response(status)
                self.send_header("Content-Type", headers.pop("Content-Type", content_type))
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(data)))
                elif not headers["Content-Length"]:  # "": none, the body ends at close
                    del headers["Content-Length"]
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_DELETE = _serve

        return Handler
