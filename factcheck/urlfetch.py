"""Guarded server-side fetch of a web page, for "import from URL".

Only http and https. The host name is resolved first and every address it resolves to must be
public: private, loopback, link-local, multicast, reserved, unspecified and other non-global
addresses (IPv4 and IPv6, IPv4-mapped included) are refused unless ``ALLOW_PRIVATE_URLS``. The
connection goes to the address that was checked (so a second DNS answer cannot swap in another
one), with the real host name in the ``Host`` header and in TLS SNI and certificate checks.
Redirects are followed by hand, at most five, each checked the same way. Every socket operation
has a timeout and the whole fetch a deadline; the body is read in chunks and refused past the
size limit; only HTML and plain text are accepted. Standard library only.
"""

from __future__ import annotations

import http.client
import ipaddress
import re
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from . import ingest

MAX_REDIRECTS = 5
USER_AGENT = "factcheck (article import; +https://github.com/)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain",)
REDIRECTS = (301, 302, 303, 307, 308)

Resolver = Callable[[str, int], list[str]]


class FetchError(ValueError):
    """The page cannot be fetched; the message tells the user why."""


@dataclass
class Page:
    """A fetched page: final URL, content type, charset (if declared) and body bytes."""

    url: str
    content_type: str
    charset: str | None
    body: bytes


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (TCP)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"The host name {host!r} could not be resolved.") from exc
    return list(dict.fromkeys(info[4][0] for info in infos))


def address_problem(address: str) -> str | None:
    """Why an address may not be fetched from (None when it is a public address)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "an invalid address"
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None:
            ip = mapped
    for attribute, name in (
        ("is_loopback", "a loopback"),
        ("is_unspecified", "an unspecified"),
        ("is_link_local", "a link-local"),
        ("is_multicast", "a multicast"),
        ("is_private", "a private"),
        ("is_reserved", "a reserved"),
    ):
        if getattr(ip, attribute):
            return f"{name} address"
    if not ip.is_global:
        return "a non-public address"
    return None


def _checked_target(url: str, allow_private: bool, resolver: Resolver) -> tuple[Any, str]:
    """``(parts, address)``: the URL's parts and the checked address to connect to."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise FetchError(f"The address {url!r} is not a valid URL.") from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError("Only http:// and https:// addresses can be imported.")
    if not parts.hostname:
        raise FetchError(f"The address {url!r} has no host name.")
    if parts.username or parts.password:
        raise FetchError("Addresses with a user name or password are not fetched.")
    port = port or (443 if parts.scheme.lower() == "https" else 80)
    addresses = resolver(parts.hostname, port)
    if not addresses:
        raise FetchError(f"The host name {parts.hostname!r} could not be resolved.")
    if not allow_private:
        for address in addresses:
            problem = address_problem(address)
            if problem:
                raise FetchError(
                    f"{parts.hostname} resolves to {problem} ({address}); fetching from "
                    "internal networks is not allowed (setting ALLOW_PRIVATE_URLS)."
                )
    return parts, addresses[0]


def _open_socket(address: str, port: int, timeout: float) -> socket.socket:
    """A TCP connection to ``address`` (the checked IP, never a name)."""
    return socket.create_connection((address, port), timeout=timeout)


def _connection(parts: Any, address: str, timeout: float) -> http.client.HTTPConnection:
    host = parts.hostname
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    if parts.scheme.lower() == "https":
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
    # Connect to the checked address; the TLS layer still checks the host name (SNI too).
    conn._create_connection = lambda _addr, timeout=timeout, source=None: _open_socket(  # type: ignore[attr-defined]
        address, port, timeout
    )
    return conn


def _path(parts: Any) -> str:
    path = parts.path or "/"
    return path + ("?" + parts.query if parts.query else "")


def _content_type(header: str | None) -> tuple[str, str | None]:
    if not header:
        return "", None
    main, _, params = header.partition(";")
    match = re.search(r'charset\s*=\s*"?([\w.:-]+)', params, re.IGNORECASE)
    return main.strip().lower(), (match.group(1) if match else None)


def fetch(
    url: str,
    *,
    allow_private: bool = False,
    timeout: float = 10.0,
    max_bytes: int = 5_000_000,
    resolver: Resolver = resolve,
) -> Page:
    """Fetch an HTML or plain-text page under the guards above; raise :class:`FetchError`."""
    deadline = time.monotonic() + timeout * 3
    for _hop in range(MAX_REDIRECTS + 1):
        parts, address = _checked_target(url, allow_private, resolver)
        conn = _connection(parts, address, timeout)
        try:
            conn.request(
                "GET",
                _path(parts),
                headers={
                    "User-Agent": USER_AGENT,
                    "Accept": "text/html,application/xhtml+xml,text/plain;q=0.8",
                    "Accept-Encoding": "identity",
                },
            )
            response = conn.getresponse()
            if response.status in REDIRECTS:
                location = response.getheader("Location")
                if not location:
                    raise FetchError(f"{url} redirects without saying where to.")
                url = urljoin(url, location.strip())
                continue
            if response.status != 200:
                raise FetchError(
                    f"The server answered {response.status} {response.reason} for {url}."
                )
            content_type, charset = _content_type(response.getheader("Content-Type"))
            if content_type not in HTML_TYPES + TEXT_TYPES:
                raise FetchError(
                    f"{url} is {content_type or 'of unknown type'}, not an HTML page or text."
                )
            declared = response.getheader("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(
                    f"The page is {int(declared):,} bytes; the limit is {max_bytes:,} bytes "
                    "(setting FETCH_MAX_BYTES)."
                )
            chunks: list[bytes] = []
            size = 0
            while True:
                if time.monotonic() > deadline:
                    raise FetchError(
                        f"Fetching {url} took too long (setting FETCH_TIMEOUT_SECONDS)."
                    )
                chunk = response.read(65536)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(
                        f"The page is larger than the limit of {max_bytes:,} bytes "
                        "(setting FETCH_MAX_BYTES)."
                    )
                chunks.append(chunk)
            return Page(url=url, content_type=content_type, charset=charset, body=b"".join(chunks))
        except TimeoutError as exc:
            raise FetchError(
                f"{parts.hostname} did not answer in time (setting FETCH_TIMEOUT_SECONDS)."
            ) from exc
        except ssl.SSLError as exc:
            raise FetchError(f"The secure connection to {parts.hostname} failed: {exc}.") from exc
        except (OSError, http.client.HTTPException) as exc:
            raise FetchError(f"Could not fetch {url}: {exc}.") from exc
        finally:
            conn.close()
    raise FetchError(f"{url} redirects more than {MAX_REDIRECTS} times.")


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)


def page_text(page: Page) -> str:
    """The page decoded: declared charset, else ``<meta charset>``, else UTF-8/Windows-1252."""
    charset = page.charset
    if charset is None and page.content_type in HTML_TYPES:
        match = _META_CHARSET.search(page.body[:4096])
        if match:
            charset = match.group(1).decode("ascii")
    if charset:
        try:
            return page.body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        text, _encoding = ingest.decode_bytes(page.body)
    except ingest.IngestError as exc:
        raise FetchError(f"The page at {page.url} is not readable text: {exc}") from exc
    return text


def fetch_article(
    url: str,
    config: dict[str, Any],
    *,
    resolver: Resolver = resolve,
) -> ingest.Draft:
    """Fetch ``url`` and turn it into an article draft with its claims.

    Raises :class:`FetchError` or :class:`factcheck.ingest.IngestError` with a clear message.
    """
    page = fetch(
        url,
        allow_private=bool(config.get("ALLOW_PRIVATE_URLS")),
        timeout=float(config.get("FETCH_TIMEOUT_SECONDS", 10)),
        max_bytes=int(config.get("FETCH_MAX_BYTES", 5_000_000)),
        resolver=resolver,
    )
    text = page_text(page)
    max_bytes = int(config.get("MAX_ARTICLE_BYTES", 5_000_000))
    threshold = config.get("CHECKWORTHY_THRESHOLD")
    if page.content_type in TEXT_TYPES:
        return ingest.prepare_article(
            body=text,
            url=page.url,
            original_type="url",
            original_name=page.url,
            max_bytes=max_bytes,
            threshold=threshold,
        )
    try:
        body, found = ingest.html_to_text(text)
    except ingest.IngestError as exc:
        raise ingest.IngestError(
            f"No article was found at {page.url}: the page has no main text to extract."
        ) from exc
    found["url"] = page.url
    return ingest.prepare_article(
        body=body,
        original=text,
        original_type="html",
        original_name=page.url,
        max_bytes=max_bytes,
        threshold=threshold,
        **found,
    )
