"""A local web server of cited sources for the evidence tests: pages, redirects, PDFs and
failures (as the import-from-URL tests serve theirs)."""

from __future__ import annotations

import functools
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.conftest import NEWS_PAGE

REPORT = """<!doctype html><html><head><meta charset="utf-8"><title>Annual transport report</title>
</head><body><article><h1>Annual transport report</h1>
<p>Ferry passenger numbers rose by 12 per cent in 2024, the authority’s report says, the
largest rise since 2015. Fuel costs went up by a quarter.</p>
<p>The report counts 2.1 million euros of losses on the harbour line — more than forecast.</p>
<script>alert("never run")</script>
</article></body></html>"""

LATIN1 = (
    "<html><head><title>Caf\xe9 prices</title></head><body><article><p>The caf\xe9 on the pier "
    "raised its prices by 10 per cent, the owner Ren\xe9e M\xfcller said on Tuesday; coffee "
    "now costs 3.20 euros.</p></article></body></html>"
).encode("cp1252")


def make_pdf(text: str, filler: bytes = b"") -> bytes:
    """A one-page PDF showing ``text`` (Helvetica), its content stream Flate-compressed;
    ``filler`` (e.g. megabytes of spaces) is compressed into the same stream: a PDF bomb."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET\n".encode("latin-1") + filler
    stream = zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Title (Fare table 2025) >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


@functools.cache
def pdf_bomb() -> bytes:
    """A small PDF whose content stream inflates to 25 MB (past the archive's 20 MB limit)."""
    return make_pdf("Boom", filler=b" " * 25_000_000)


class Handler(BaseHTTPRequestHandler):
    calls: dict[str, int] = {}
    variant = "first"
    protocol_version = "HTTP/1.0"

    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_GET(self) -> None:  # noqa: N802
        path = self.path.split("?", 1)[0]
        Handler.calls[path] = Handler.calls.get(path, 0) + 1
        port = self.server.server_address[1]
        if path == "/article":
            self._send(200, NEWS_PAGE.encode(), "text/html; charset=utf-8")
        elif path == "/report":
            self._send(200, REPORT.encode(), "text/html; charset=utf-8")
        elif path.startswith("/page/"):
            body = REPORT.replace("12 per cent", f"{len(path)} per cent ({path})")
            self._send(200, body.encode(), "text/html; charset=utf-8")
        elif path == "/text":
            self._send(200, b"Plain text source: 40 trams run every hour.", "text/plain")
        elif path == "/tricky":  # markup in a text source: shown as text, never as markup
            body = (
                b'The <b onclick="alert(1)">mayor</b> said <script>alert(1)</script> the budget'
                b" rose by 5 per cent."
            )
            self._send(200, body, "text/plain; charset=utf-8")
        elif path == "/redirect":
            self._send(302, b"", "text/html", Location="/report")
        elif path == "/to-private":
            self._send(302, b"", "text/html", Location=f"http://127.0.0.1:{port}/report")
        elif path == "/pdf":
            self._send(
                200, make_pdf("Single tickets cost 4.30 euros from 1 March."), "application/pdf"
            )
        elif path == "/pdf-bomb":
            self._send(200, pdf_bomb(), "application/pdf")
        elif path == "/latin1":
            self._send(200, LATIN1, "text/html")  # no charset anywhere
        elif path == "/huge":  # a 50 MB page, declared
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(50 * 1024 * 1024))
            self.end_headers()
            try:
                for _ in range(100):
                    self.wfile.write(b"x" * 65536)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif path == "/endless":  # a page that never ends: a byte now and then, for ever
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                self.wfile.write(b"<html><body><p>")
                for _ in range(400):
                    self.wfile.write(b"a")
                    self.wfile.flush()
                    time.sleep(0.02)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif path == "/slow":
            time.sleep(1.5)
            self._send(200, REPORT.encode(), "text/html; charset=utf-8")
        elif path == "/flaky":  # 500 the first time, then the page
            if Handler.calls[path] == 1:
                self._send(500, b"oops", "text/plain")
            else:
                self._send(200, REPORT.encode(), "text/html; charset=utf-8")
        elif path == "/broken":
            self._send(503, b"down", "text/plain")
        elif path == "/changing":
            body = REPORT.replace("12 per cent", f"12 per cent ({Handler.variant})")
            self._send(200, body.encode(), "text/html; charset=utf-8")
        elif path == "/image":
            self._send(200, b"\x89PNG....", "image/png")
        elif path == "/gone":
            self._send(410, b"gone", "text/plain")
        else:
            self._send(404, b"not here", "text/plain")


@contextmanager
def serving() -> Iterator[str]:
    pdf_bomb()  # (made before the server answers: compressing it takes a moment)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


LOOPBACK_OK = {
    "ALLOW_PRIVATE_URLS": True,
    "FETCH_TIMEOUT_SECONDS": 2,
    "ARCHIVE_MAX_BYTES": 2_000_000,
}
