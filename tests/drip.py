"""A local server that drips its answer one byte at a time (tests and bench/fetch_deadline.py).

Threaded, on 127.0.0.1 only, bounded: each connection drips for ``lifetime`` seconds at most,
then closes; :meth:`DripServer.close` stops it. ``where`` says what is dripped: ``"headers"``
(the status line and headers, byte by byte), ``"body"`` (the headers at once, then the body) or
``"silent"`` (accepts and sends nothing, e.g. to a TLS client waiting for the handshake).
"""

from __future__ import annotations

import socket
import threading
import time


class DripServer:
    def __init__(self, where: str = "body", interval: float = 2.0, lifetime: float = 60.0):
        self.where = where
        self.interval = interval
        self.lifetime = lifetime
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/slow-page"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"
        body = b"<html><body><p>" + b"x" * 99_984
        ends = time.monotonic() + self.lifetime
        try:
            conn.settimeout(1)
            try:
                conn.recv(65536)  # the request
            except TimeoutError:
                pass
            if self.where == "body":
                conn.sendall(head)
            dripped = head if self.where == "headers" else body
            for i in range(len(dripped)):
                if self._stop.is_set() or time.monotonic() > ends:
                    break
                if self.where != "silent":
                    conn.sendall(dripped[i : i + 1])
                self._stop.wait(self.interval)
        except OSError:
            pass  # the client gave up
        finally:
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self.listener.close()
        self._thread.join(2)

    def __enter__(self) -> DripServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
