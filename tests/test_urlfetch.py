"""Guarded URL fetch: saved pages served by a local http.server (loopback allowed per test)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from factcheck import ingest, urlfetch
from tests.conftest import NEWS_PAGE

NO_ARTICLE = "<!doctype html><html><head><title>Menu</title></head><body><nav></nav></body></html>"
PLAIN = "Dock workers strike\n\nAbout 1,200 dock workers walked out on Friday, the union said."


class Handler(BaseHTTPRequestHandler):
    hosts: list[str] = []

    def log_message(self, *args: Any) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout test)

    def do_GET(self) -> None:  # noqa: N802
        Handler.hosts.append(self.headers.get("Host", ""))
        port = self.server.server_address[1]
        path = self.path
        if path == "/article":
            self._send(200, NEWS_PAGE.encode(), "text/html; charset=utf-8")
        elif path == "/latin1":
            page = NEWS_PAGE.replace("Harbour ferry", "Café ferry")
            self._send(200, page.encode("cp1252"), "text/html; charset=windows-1252")
        elif path == "/text":
            self._send(200, PLAIN.encode(), "text/plain")
        elif path == "/empty":
            self._send(200, NO_ARTICLE.encode(), "text/html")
        elif path == "/pdf":
            self._send(200, b"%PDF-1.4 ...", "application/pdf")
        elif path == "/big":
            self._send(200, b"<p>" + b"x" * 50_000 + b"</p>", "text/html")
        elif path == "/big-undeclared":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<p>" + b"y" * 50_000 + b"</p>")
            self.close_connection = True
        elif path == "/slow":
            time.sleep(1.5)
            self._send(200, NEWS_PAGE.encode(), "text/html")
        elif path == "/redirect":
            self._send(302, b"", "text/html", Location="/article")
        elif path.startswith("/hop/"):
            n = int(path.rsplit("/", 1)[1])
            self._send(302, b"", "text/html", Location=f"/hop/{n + 1}" if n < 10 else "/article")
        elif path == "/to-loopback":
            self._send(302, b"", "text/html", Location=f"http://127.0.0.1:{port}/article")
        elif path == "/to-ftp":
            self._send(302, b"", "text/html", Location="ftp://files.example/article")
        else:
            self._send(404, b"not here", "text/plain")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


LOOPBACK_OK = {"ALLOW_PRIVATE_URLS": True, "FETCH_TIMEOUT_SECONDS": 5, "FETCH_MAX_BYTES": 200_000}


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", ""),  # reserved (Python calls it private too): refused either way
        ("100.64.0.1", ""),  # shared address space (carrier NAT)
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("ff02::1", "multicast"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("2002:7f00:1::", "loopback"),  # 6to4 wrapping 127.0.0.1
        ("not-an-ip", "invalid"),
        ("93.184.216.34", None),
        ("2606:4700:4700::1111", None),
    ],
)
def test_address_problem(address: str, problem: str | None) -> None:
    found = urlfetch.address_problem(address)
    assert (found is None) if problem is None else (problem in found)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://files.example/a.html",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "gopher://old.example/",
        "data:text/html,<p>hi</p>",
        "//no-scheme.example/",
    ],
)
def test_only_http_and_https(url: str) -> None:
    with pytest.raises(urlfetch.FetchError, match="Only http:// and https://"):
        urlfetch.fetch(url, allow_private=True)


@pytest.mark.parametrize(
    "url", ["http://user:pw@news.example/", "http:///nohost", "http://[::1/", "http://a:99999/"]
)
def test_malformed_addresses(url: str) -> None:
    with pytest.raises(urlfetch.FetchError):
        urlfetch.fetch(url, allow_private=True)


def test_loopback_is_refused_unless_allowed(server: str) -> None:
    with pytest.raises(urlfetch.FetchError, match="loopback address .*ALLOW_PRIVATE_URLS"):
        urlfetch.fetch(f"{server}/article")
    page = urlfetch.fetch(f"{server}/article", allow_private=True)
    assert page.content_type == "text/html" and b"ferry" in page.body


def test_localhost_name_is_checked_after_resolution(server: str) -> None:
    port = server.rsplit(":", 1)[1]
    with pytest.raises(urlfetch.FetchError, match="localhost resolves to a loopback"):
        urlfetch.fetch(f"http://localhost:{port}/article")


@pytest.fixture
def public_name(server: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """news.example "resolves" to a public address; connections to it reach the test server."""
    port = int(server.rsplit(":", 1)[1])
    seen: dict[str, Any] = {"connects": [], "resolved": []}
    real_open = urlfetch._open_socket

    def resolver(host: str, _port: int) -> list[str]:
        seen["resolved"].append(host)
        if host == "news.example":
            return ["93.184.216.34"]
        return urlfetch.resolve(host, _port)

    def open_socket(address: str, _port: int, timeout: float) -> socket.socket:
        seen["connects"].append(address)
        if address == "93.184.216.34":
            return real_open("127.0.0.1", port, timeout)
        return real_open(address, _port, timeout)

    monkeypatch.setattr(urlfetch, "_open_socket", open_socket)
    seen["resolver"] = resolver
    seen["base"] = f"http://news.example:{port}"
    return seen


def test_connects_to_the_checked_address_with_the_real_host(public_name: dict[str, Any]) -> None:
    Handler.hosts.clear()
    page = urlfetch.fetch(f"{public_name['base']}/article", resolver=public_name["resolver"])
    assert b"ferry" in page.body
    assert public_name["connects"] == ["93.184.216.34"]  # the address that was checked
    assert Handler.hosts[-1].startswith("news.example:")  # Host header keeps the name


def test_redirect_to_loopback_is_refused(public_name: dict[str, Any]) -> None:
    with pytest.raises(urlfetch.FetchError, match="127.0.0.1 resolves to a loopback"):
        urlfetch.fetch(f"{public_name['base']}/to-loopback", resolver=public_name["resolver"])
    assert public_name["connects"] == ["93.184.216.34"]  # never connected to loopback


def test_redirect_to_another_scheme_is_refused(public_name: dict[str, Any]) -> None:
    with pytest.raises(urlfetch.FetchError, match="Only http"):
        urlfetch.fetch(f"{public_name['base']}/to-ftp", resolver=public_name["resolver"])


def test_redirects_are_followed_up_to_five(server: str) -> None:
    page = urlfetch.fetch(f"{server}/redirect", allow_private=True)
    assert page.url.endswith("/article")
    assert urlfetch.fetch(f"{server}/hop/6", allow_private=True).url.endswith("/article")
    with pytest.raises(urlfetch.FetchError, match="redirects more than 5 times"):
        urlfetch.fetch(f"{server}/hop/1", allow_private=True)


@pytest.mark.parametrize("path", ["/big", "/big-undeclared"])
def test_size_limit(server: str, path: str) -> None:
    with pytest.raises(urlfetch.FetchError, match="limit of|the limit is"):
        urlfetch.fetch(f"{server}{path}", allow_private=True, max_bytes=10_000)


def test_timeout(server: str) -> None:
    started = time.monotonic()
    with pytest.raises(urlfetch.FetchError, match="did not answer in time"):
        urlfetch.fetch(f"{server}/slow", allow_private=True, timeout=0.3)
    assert time.monotonic() - started < 1.4


@pytest.mark.parametrize(
    ("path", "message"),
    [("/pdf", "application/pdf, not an HTML page"), ("/missing", "answered 404")],
)
def test_refused_answers(server: str, path: str, message: str) -> None:
    with pytest.raises(urlfetch.FetchError, match=message):
        urlfetch.fetch(f"{server}{path}", allow_private=True)


def test_unresolvable_host() -> None:
    with pytest.raises(urlfetch.FetchError, match="could not be resolved"):
        urlfetch.fetch("http://no-such-host.invalid/", allow_private=True)


def test_fetch_article(server: str) -> None:
    draft = urlfetch.fetch_article(f"{server}/redirect", LOOPBACK_OK)
    assert draft.article["title"] == "Harbour ferry fares to rise 8% in March"
    assert draft.article["url"] == f"{server}/article"
    assert "4.30 euros" in draft.article["body"] and "alert" not in draft.article["body"]
    assert draft.article["original_type"] == "html" and draft.claims


def test_fetch_article_declared_charset(server: str) -> None:
    draft = urlfetch.fetch_article(f"{server}/latin1", LOOPBACK_OK)
    assert "Café ferry" in draft.article["title"]


def test_fetch_plain_text(server: str) -> None:
    draft = urlfetch.fetch_article(f"{server}/text", LOOPBACK_OK)
    assert draft.article["title"] == "Dock workers strike"
    assert draft.article["body"] == PLAIN


def test_no_article_found(server: str) -> None:
    with pytest.raises(ingest.IngestError, match="No article was found at"):
        urlfetch.fetch_article(f"{server}/empty", LOOPBACK_OK)


def test_fetch_article_honours_the_setting(server: str) -> None:
    with pytest.raises(urlfetch.FetchError, match="ALLOW_PRIVATE_URLS"):
        urlfetch.fetch_article(f"{server}/article", {**LOOPBACK_OK, "ALLOW_PRIVATE_URLS": False})
