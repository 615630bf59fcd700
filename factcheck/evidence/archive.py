"""Fetch a cited source and keep it: the response as a WARC record, its extracted text and
what identifies it.

The fetch goes through :func:`factcheck.urlfetch.fetch` (http(s) only, public addresses only
unless ``ALLOW_PRIVATE_URLS``, every redirect checked, a per-step timeout and a hard deadline,
``ARCHIVE_MAX_BYTES``). The response is written as one gzip-compressed WARC ``response``
record with :mod:`warcio` (any WARC tool opens it); the text is extracted by trafilatura (HTML),
decoded (plain text) or read by pypdf (PDF, within :data:`PDF_LIMITS`). A capture carries the
SHA-256 of the body, the HTTP status, content type, final address and the fetch time.

A fetch that cannot succeed raises :class:`ArchiveFailure` with a reason for people and whether
trying again later may help (a timeout, a dropped connection, a 5xx or 429 answer).
"""

from __future__ import annotations

import datetime
import hashlib
import http.client
import io
import re
import time
from dataclasses import dataclass
from html import unescape
from typing import Any

from .. import urlfetch

PDF_TYPES = ("application/pdf",)
ARCHIVE_TYPES = urlfetch.HTML_TYPES + urlfetch.TEXT_TYPES + PDF_TYPES

#: How far a PDF is read: pages, characters of text, seconds of extraction, and the most any
#: one compressed stream may inflate to (a PDF bomb stops there).
PDF_LIMITS = {"pages": 300, "chars": 2_000_000, "seconds": 20.0, "stream_bytes": 20_000_000}
#: Extracted text kept at most (characters).
TEXT_LIMIT = 2_000_000


class ArchiveFailure(Exception):
    """The source could not be archived: ``reason`` for people; ``temporary`` when trying again
    later may help; ``status`` the HTTP status when the server answered."""

    def __init__(self, reason: str, temporary: bool = False, status: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.temporary = temporary
        self.status = status


@dataclass
class Capture:
    """One fetch of a source, ready to store."""

    requested_url: str
    final_url: str
    fetched_at: str
    status: int
    content_type: str
    sha256: str
    size: int
    title: str
    text: str
    warc: bytes

    @property
    def text_sha256(self) -> str:
        return text_digest(self.text)


def text_digest(text: str) -> str:
    """SHA-256 of a text after white space is made uniform (what "changed" compares)."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def fetch_page(url: str, config: dict[str, Any], resolver: Any = None) -> urlfetch.Page:
    """The source's answer, whatever its status (see :func:`factcheck.urlfetch.fetch`);
    raises :class:`ArchiveFailure`."""
    try:
        return urlfetch.fetch(
            url,
            allow_private=bool(config.get("ALLOW_PRIVATE_URLS")),
            timeout=float(config.get("FETCH_TIMEOUT_SECONDS", 10)),
            max_bytes=int(config.get("ARCHIVE_MAX_BYTES", 20_000_000)),
            resolver=resolver or urlfetch.resolve,
            types=ARCHIVE_TYPES,
            any_status=True,
        )
    except urlfetch.FetchError as exc:
        raise ArchiveFailure(_reason(str(exc)), temporary=_temporary(exc)) from exc


def _reason(message: str) -> str:
    # urlfetch speaks of imports; here nothing is imported.
    return message.replace("; it was stopped and nothing was imported", "; it was stopped").replace(
        " can be imported", " can be archived"
    )


def _temporary(exc: urlfetch.FetchError) -> bool:
    """Whether a failed fetch may succeed later: a timeout, a refused or dropped connection,
    a name that did not resolve; not a refused address, scheme, size or type."""
    cause = exc.__cause__
    if "took longer than" in str(exc):
        return True
    if "could not be resolved" in str(exc):
        return True
    return isinstance(cause, TimeoutError | ConnectionError | http.client.HTTPException)


def capture(url: str, config: dict[str, Any], resolver: Any = None) -> Capture:
    """Fetch ``url`` and make its WARC record and text; raises :class:`ArchiveFailure`."""
    fetched = now()
    page = fetch_page(url, config, resolver)
    if page.status != 200:
        temporary = page.status >= 500 or page.status in (408, 425, 429)
        raise ArchiveFailure(
            f"The server answered {page.status} {page.reason} for {page.url}.",
            temporary=temporary,
            status=page.status,
        )
    title, text = extract(page)
    return Capture(
        requested_url=url,
        final_url=page.url,
        fetched_at=fetched.isoformat(timespec="microseconds"),
        status=page.status,
        content_type=page.content_type,
        sha256=hashlib.sha256(page.body).hexdigest(),
        size=len(page.body),
        title=title,
        text=text[:TEXT_LIMIT],
        warc=warc_record(page, fetched),
    )


def extract(page: urlfetch.Page) -> tuple[str, str]:
    """``(title, text)`` of a fetched page: trafilatura's main text of HTML (the page's whole
    visible text when it finds none), plain text decoded, PDF text by :func:`pdf_text`."""
    if page.content_type in PDF_TYPES:
        return pdf_text(page.body)
    try:
        decoded = urlfetch.page_text(page)
    except urlfetch.FetchError as exc:
        raise ArchiveFailure(str(exc)) from exc
    if page.content_type in urlfetch.TEXT_TYPES:
        return "", decoded
    import trafilatura

    title = _title(decoded)
    try:
        # (the main text only: trafilatura's metadata pass would double the time a page)
        text = trafilatura.extract(
            decoded, include_comments=False, include_tables=True, with_metadata=False
        )
    except Exception:  # (trafilatura on a page it cannot parse)
        text = None
    return title, (text or "").strip() or _visible_text(decoded)


_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def _title(html: str) -> str:
    found = _TITLE.search(html[:200_000])
    return " ".join(unescape(found.group(1)).split())[:500] if found else ""


def _visible_text(html: str) -> str:
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except Exception:
        return ""
    for bad in tree.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    return "\n".join(line.strip() for line in tree.text_content().splitlines() if line.strip())


def _pdf_configuration(limit: int) -> dict[str, Any]:
    """pypdf's limits for one read: no stream inflates past ``limit`` bytes, no outside
    program (jbig2dec) runs on a fetched file."""
    return {
        "maximum_declared_stream_length": limit,
        "array_based_stream_maximum_output_length": limit,
        "jbig2_maximum_output_length": limit,
        "lzw_maximum_output_length": limit,
        "run_length_maximum_output_length": limit,
        "zlib_maximum_output_length": limit,
        "brotli_maximum_output_length": limit,
        "image_maximum_buffer_size": limit,
        "stream_decoding_work_maximum_length": 4 * limit,
        "jbig2dec_binary": None,
    }


def pdf_text(body: bytes, limits: dict[str, Any] | None = None) -> tuple[str, str]:
    """``(title, text)`` of a PDF, read by pypdf within ``limits`` (:data:`PDF_LIMITS`): at
    most so many pages, characters and seconds, no stream inflating past ``stream_bytes``
    (a PDF bomb is refused, not unpacked); raises :class:`ArchiveFailure`."""
    import pypdf

    limits = {**PDF_LIMITS, **(limits or {})}
    started = time.monotonic()
    try:
        with pypdf.apply_configuration(**_pdf_configuration(int(limits["stream_bytes"]))):
            return _read_pdf(pypdf, body, limits, started)
    except ArchiveFailure:
        raise
    except Exception as exc:  # pypdf's errors, a limit reached (a PDF bomb), a broken file
        raise ArchiveFailure(f"The PDF could not be read ({type(exc).__name__}: {exc}).") from exc


def _read_pdf(pypdf: Any, body: bytes, limits: dict[str, Any], started: float) -> tuple[str, str]:
    reader = pypdf.PdfReader(io.BytesIO(body), strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        raise ArchiveFailure("The PDF is encrypted; its text cannot be read.")
    try:
        title = str((reader.metadata or {}).get("/Title") or "")
    except Exception:
        title = ""
    parts: list[str] = []
    size = 0
    for number, page in enumerate(reader.pages):
        if number >= limits["pages"]:
            break
        if time.monotonic() - started > limits["seconds"]:
            raise ArchiveFailure(
                f"Reading the PDF's text took longer than {limits['seconds']:g} seconds; "
                "it was stopped."
            )
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size >= limits["chars"]:
            break
    return title.strip(), "\n\n".join(parts)[: int(limits["chars"])]


_DROPPED_HEADERS = {"transfer-encoding", "content-encoding", "content-length", "connection"}


def warc_record(page: urlfetch.Page, fetched: datetime.datetime) -> bytes:
    """The response as one gzip-compressed WARC ``response`` record (warcio). The body is kept
    as received (decoded from chunks: the headers say so), its length stated."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    headers = [(k, v) for k, v in page.headers if k.lower() not in _DROPPED_HEADERS]
    headers.append(("Content-Length", str(len(page.body))))
    http_headers = StatusAndHeaders(f"{page.status} {page.reason}", headers, protocol="HTTP/1.1")
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    record = writer.create_warc_record(
        page.url,
        "response",
        payload=io.BytesIO(page.body),
        http_headers=http_headers,
        warc_headers_dict={
            "WARC-Date": fetched.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        },
    )
    writer.write_record(record)
    return out.getvalue()


def read_warc(warc: bytes) -> tuple[dict[str, str], bytes]:
    """The first response record of a stored WARC: its WARC headers and HTTP payload."""
    from warcio.archiveiterator import ArchiveIterator

    for record in ArchiveIterator(io.BytesIO(warc)):
        if record.rec_type == "response":
            return dict(record.rec_headers.headers), record.content_stream().read()
    raise ValueError("no response record")
