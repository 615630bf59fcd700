"""Guarded server-side fetch of a web page, for "import from URL".

Only http and https. The host name is resolved first and every address it resolves to must be
public: private, loopback, link-local, multicast, reserved, unspecified and other non-global
addresses (IPv4 and IPv6, IPv4-mapped included) are refused unless ``ALLOW_PRIVATE_URLS``. The
connection goes to the address that was checked (so a second DNS answer cannot swap in another
one), with the real host name in the ``Host`` header and in TLS SNI and certificate checks.
Redirects are followed by hand, at most five, each checked the same way. Every socket operation
has a timeout and the whole fetch a hard deadline (3 x the timeout): the deadline is checked
before every read and write on the socket and bounds each of them (name resolution, connect and
the TLS handshake included), so a server that drips one byte at a time is cut off at the
deadline, not reset by every byte. The body is read in chunks and refused past the size limit;
only HTML and plain text are accepted. The web's imports run as background jobs
(:mod:`factcheck.url_import`), capped per desk and per user by ``FETCH_MAX_CONCURRENT`` and
``FETCH_MAX_PER_USER`` (:mod:`factcheck.store.url_imports`); :func:`fetch_slot` caps fetches
within one process for other callers. Standard library only.
"""

from __future__ import annotations

import http.client
import ipaddress
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
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


class FetchBusy(FetchError):
    """Too many fetches are running (see :func:`fetch_slot`); try again in a moment."""


class _Overdue(Exception):
    """The whole fetch's deadline passed (raised inside socket operations)."""


class Deadline:
    """A point on the monotonic clock the whole fetch must end by, and the longest a single
    step (connect, one read or write) may wait: :meth:`left`."""

    def __init__(self, seconds: float, step: float) -> None:
        self.seconds = seconds
        self.step = step
        self.end = time.monotonic() + seconds

    def expired(self) -> bool:
        return time.monotonic() >= self.end - 0.01  # (a timeout set to the time left ends here)

    def left(self) -> float:
        """Seconds the next step may take: the step timeout, or less when the deadline is
        nearer; raises :class:`_Overdue` once the deadline has passed."""
        remaining = self.end - time.monotonic()
        if remaining <= 0:
            raise _Overdue
        return min(self.step, remaining)


class _Bounded:
    """Every receive and send of a socket bounded by the fetch's :class:`Deadline` (the
    timeout set before each call; CPython applies it to the whole call)."""

    deadline: Deadline | None = None

    def _bound(self) -> None:
        if self.deadline is not None:
            self.settimeout(self.deadline.left())  # type: ignore[attr-defined]

    def send(self, *args: Any) -> int:
        self._bound()
        return super().send(*args)  # type: ignore[misc]

    def sendall(self, *args: Any) -> None:
        self._bound()
        return super().sendall(*args)  # type: ignore[misc]


class _DeadlineSocket(_Bounded, socket.socket):
    """A bounded TCP socket."""

    def recv(self, *args: Any) -> bytes:
        self._bound()
        return super().recv(*args)

    def recv_into(self, *args: Any) -> int:
        self._bound()
        return super().recv_into(*args)


class _DeadlineSSLSocket(_Bounded, ssl.SSLSocket):
    """A bounded TLS socket (every read of the TLS layer goes through ``read``)."""

    def read(self, *args: Any) -> Any:
        self._bound()
        return super().read(*args)


@dataclass
class Page:
    """A fetched page: final URL, content type, charset (if declared) and body bytes; the
    HTTP status, reason and response headers (as sent, in order)."""

    url: str
    content_type: str
    charset: str | None
    body: bytes
    status: int = 200
    reason: str = "OK"
    headers: list[tuple[str, str]] = field(default_factory=list)


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


def _resolve_within(resolver: Resolver, host: str, port: int, deadline: Deadline | None) -> Any:
    """``resolver(host, port)``, waited for until the deadline at most (name resolution has no
    timeout of its own: it runs in a helper thread, which is left to finish on its own)."""
    if deadline is None:
        return resolver(host, port)
    answer: dict[str, Any] = {}

    def run() -> None:
        try:
            answer["addresses"] = resolver(host, port)
        except BaseException as exc:  # handed to the waiting thread
            answer["error"] = exc

    worker = threading.Thread(target=run, name="factcheck-resolve", daemon=True)
    worker.start()
    worker.join(max(deadline.end - time.monotonic(), 0))
    if worker.is_alive():
        raise _Overdue
    if "error" in answer:
        raise answer["error"]
    return answer["addresses"]


def _checked_target(
    url: str, allow_private: bool, resolver: Resolver, deadline: Deadline | None = None
) -> tuple[Any, str]:
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
    addresses = _resolve_within(resolver, parts.hostname, port, deadline)
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
    """A TCP connection to ``address`` (the checked IP, never a name), waiting ``timeout``
    seconds at most; a :class:`_DeadlineSocket`, so that the fetch's deadline can bound it."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = _DeadlineSocket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect((address, port))
    except BaseException:
        sock.close()
        raise
    return sock


def _connect(address: str, port: int, deadline: Deadline) -> socket.socket:
    sock = _open_socket(address, port, deadline.left())
    if isinstance(sock, _DeadlineSocket):
        sock.deadline = deadline
    sock.settimeout(deadline.left())
    return sock


class _Connection(http.client.HTTPConnection):
    """Plain HTTP to the checked address, every step bounded by the fetch's deadline."""

    def __init__(self, host: str, port: int, address: str, deadline: Deadline) -> None:
        super().__init__(host, port, timeout=deadline.step)
        self._address = address
        self._deadline = deadline

    def connect(self) -> None:
        self.sock = _connect(self._address, self.port, self._deadline)


class _SecureConnection(http.client.HTTPSConnection):
    """HTTPS to the checked address: the TLS layer still checks the host name (SNI too); the
    handshake gets the time left, and every later read and write is bounded as above."""

    def __init__(self, host: str, port: int, address: str, deadline: Deadline) -> None:
        context = ssl.create_default_context()
        context.sslsocket_class = _DeadlineSSLSocket
        super().__init__(host, port, timeout=deadline.step, context=context)
        self._address = address
        self._deadline = deadline

    def connect(self) -> None:
        raw = _connect(self._address, self.port, self._deadline)
        try:
            sock = self._context.wrap_socket(raw, server_hostname=self.host)
        except BaseException:
            raw.close()
            raise
        if isinstance(sock, _DeadlineSSLSocket):
            sock.deadline = self._deadline
        self.sock = sock


def _connection(parts: Any, address: str, deadline: Deadline) -> http.client.HTTPConnection:
    host = parts.hostname
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    if parts.scheme.lower() == "https":
        return _SecureConnection(host, port, address, deadline)
    return _Connection(host, port, address, deadline)


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
    types: tuple[str, ...] = HTML_TYPES + TEXT_TYPES,
    any_status: bool = False,
) -> Page:
    """Fetch an HTML or plain-text page under the guards above; raise :class:`FetchError`.

    ``timeout`` bounds each step; the whole fetch (every redirect, name resolution, connect,
    TLS, headers and body) ends within ``3 * timeout`` seconds however the server sends.
    ``types`` are the content types accepted; with ``any_status`` an answer other than 200
    (after the redirects) is returned (its body read under the same limits) instead of raised.
    """
    deadline = Deadline(timeout * 3, timeout)
    first_url = url
    try:
        return _fetch(url, deadline, allow_private, max_bytes, resolver, types, any_status)
    except _Overdue:
        pass
    except FetchError as exc:
        if not deadline.expired():
            raise
        if isinstance(exc.__cause__, TimeoutError | _Overdue):
            pass
        else:
            raise
    raise FetchError(
        f"Fetching {first_url} took longer than {deadline.seconds:g} seconds, the limit for a "
        f"whole page (3 x FETCH_TIMEOUT_SECONDS); it was stopped and nothing was imported. "
        "The server may be slow or overloaded: try again later or paste the text."
    )


def _fetch(
    url: str,
    deadline: Deadline,
    allow_private: bool,
    max_bytes: int,
    resolver: Resolver,
    types: tuple[str, ...] = HTML_TYPES + TEXT_TYPES,
    any_status: bool = False,
) -> Page:
    for _hop in range(MAX_REDIRECTS + 1):
        parts, address = _checked_target(url, allow_private, resolver, deadline)
        conn = _connection(parts, address, deadline)
        try:
            conn.request(
                "GET",
                _path(parts),
                headers={
                    "User-Agent": USER_AGENT,
                    "Accept": ",".join(types)
                    if types != HTML_TYPES + TEXT_TYPES
                    else "text/html,application/xhtml+xml,text/plain;q=0.8",
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
            if response.status != 200 and not any_status:
                raise FetchError(
                    f"The server answered {response.status} {response.reason} for {url}."
                )
            content_type, charset = _content_type(response.getheader("Content-Type"))
            if response.status == 200 and content_type not in types:
                raise FetchError(
                    f"{url} is {content_type or 'of unknown type'}, not an HTML page or text"
                    + (" or PDF." if "application/pdf" in types else ".")
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
                deadline.left()  # (raises once the deadline has passed)
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
            return Page(
                url=url,
                content_type=content_type,
                charset=charset,
                body=b"".join(chunks),
                status=response.status,
                reason=response.reason,
                headers=list(response.getheaders()),
            )
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


class _Slots:
    """Fetches running in this process: at most ``overall`` at once and ``per_user`` for one
    user; a fetch that finds no free slot is refused at once (it never waits for one)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.running = 0
        self.by_user: dict[Any, int] = {}

    @contextmanager
    def slot(self, user: Any, overall: int, per_user: int) -> Iterator[None]:
        with self._lock:
            if self.running >= overall:
                raise FetchBusy(
                    f"Too many imports from a web address are running ({self.running}; at most "
                    f"{overall} at once, setting FETCH_MAX_CONCURRENT). Try again in a moment."
                )
            if user is not None and self.by_user.get(user, 0) >= per_user:
                raise FetchBusy(
                    f"You already have {self.by_user[user]} import from a web address running "
                    f"(at most {per_user} per user, setting FETCH_MAX_PER_USER). Wait for it to "
                    "finish, then try again."
                )
            self.running += 1
            if user is not None:
                self.by_user[user] = self.by_user.get(user, 0) + 1
        try:
            yield
        finally:
            with self._lock:
                self.running -= 1
                if user is not None:
                    self.by_user[user] -= 1
                    if not self.by_user[user]:
                        del self.by_user[user]


SLOTS = _Slots()


def fetch_slot(config: dict[str, Any], user: Any = None) -> Any:
    """A context manager holding one of the process's fetch slots for ``user`` (None: not
    counted per user); raises :class:`FetchBusy` at once when none is free."""
    return SLOTS.slot(
        user,
        max(int(config.get("FETCH_MAX_CONCURRENT", 1)), 1),
        max(int(config.get("FETCH_MAX_PER_USER", 1)), 1),
    )


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
