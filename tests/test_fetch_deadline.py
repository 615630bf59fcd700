"""A slow page never holds a thread: the whole fetch has a hard deadline however the server
drips, and only a few fetches run at once (per process and per user)."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from factcheck import urlfetch
from tests.drip import DripServer

TIMEOUT = 0.5  # each step; the whole fetch gets 1.5 s


@pytest.mark.parametrize("where", ["headers", "body"])
def test_a_dripping_server_is_cut_off_at_the_deadline(where: str) -> None:
    # One byte every 0.2 s: every read returns before the 0.5 s step timeout, so only the
    # deadline over the whole transfer can stop it.
    with DripServer(where, interval=0.2, lifetime=10) as server:
        started = time.monotonic()
        with pytest.raises(urlfetch.FetchError, match=r"took longer than 1\.5 seconds") as caught:
            urlfetch.fetch(server.url, allow_private=True, timeout=TIMEOUT)
        elapsed = time.monotonic() - started
    assert 1.4 < elapsed < 1.5 + 1
    assert "3 x FETCH_TIMEOUT_SECONDS" in str(caught.value)
    assert "nothing was imported" in str(caught.value)


def test_fetch_article_is_cut_off_too() -> None:
    config = {"ALLOW_PRIVATE_URLS": True, "FETCH_TIMEOUT_SECONDS": TIMEOUT}
    with DripServer("body", interval=0.2, lifetime=10) as server:
        started = time.monotonic()
        with pytest.raises(urlfetch.FetchError, match="took longer than"):
            urlfetch.fetch_article(server.url, config)
    assert time.monotonic() - started < 1.5 + 1


def test_a_silent_tls_server_is_cut_off() -> None:
    # The TLS handshake waits for a server that never answers: bounded by the step timeout.
    with DripServer("silent", interval=0.2, lifetime=10) as server:
        started = time.monotonic()
        with pytest.raises(urlfetch.FetchError):
            urlfetch.fetch(f"https://127.0.0.1:{server.port}/", allow_private=True, timeout=0.3)
    assert time.monotonic() - started < 0.9 + 1


def test_slow_name_resolution_is_cut_off() -> None:
    def slow_resolver(host: str, port: int) -> list[str]:
        time.sleep(3)
        return ["127.0.0.1"]

    started = time.monotonic()
    with pytest.raises(urlfetch.FetchError, match="took longer than 0.6 seconds"):
        urlfetch.fetch("http://slow.example/", timeout=0.2, resolver=slow_resolver)
    assert time.monotonic() - started < 0.6 + 1


def test_deadline_left_is_bounded_by_the_step_and_the_end() -> None:
    deadline = urlfetch.Deadline(0.3, 1.0)
    assert 0.2 < deadline.left() <= 0.3
    assert urlfetch.Deadline(10, 1.0).left() == 1.0
    time.sleep(0.31)
    assert deadline.expired()
    with pytest.raises(urlfetch._Overdue):
        deadline.left()


# The cap on fetches running at once --------------------------------------------------------------


def test_slots_overall_and_per_user() -> None:
    config = {"FETCH_MAX_CONCURRENT": 2, "FETCH_MAX_PER_USER": 1}
    with urlfetch.fetch_slot(config, "alice"):
        with pytest.raises(urlfetch.FetchBusy, match="at most 1 per user, setting FETCH_MAX_PER"):
            with urlfetch.fetch_slot(config, "alice"):
                pass
        with urlfetch.fetch_slot(config, "bob"):
            with pytest.raises(urlfetch.FetchBusy, match="Too many imports .* Try again"):
                with urlfetch.fetch_slot(config, "carol"):
                    pass
    with urlfetch.fetch_slot(config, "alice"):  # freed again
        pass
    assert urlfetch.SLOTS.running == 0 and urlfetch.SLOTS.by_user == {}


def test_a_slot_is_freed_when_the_fetch_fails() -> None:
    config = {"FETCH_MAX_CONCURRENT": 1}
    with pytest.raises(urlfetch.FetchError):
        with urlfetch.fetch_slot(config, 1):
            urlfetch.fetch("ftp://x.example/")
    assert urlfetch.SLOTS.running == 0


def test_web_import_is_refused_while_another_runs(app: Any, login: Any) -> None:
    app.config.update(ALLOW_PRIVATE_URLS=True, FETCH_TIMEOUT_SECONDS=TIMEOUT)
    alice, bob = login("alice"), login("bob")
    with DripServer("body", interval=0.2, lifetime=10) as server:
        first: dict[str, Any] = {}

        def run() -> None:
            first["response"] = alice.post("/articles/import-url", data={"page_url": server.url})

        thread = threading.Thread(target=run)
        thread.start()
        time.sleep(0.3)
        started = time.monotonic()
        busy = bob.post("/articles/import-url", data={"page_url": server.url})
        assert time.monotonic() - started < 0.5  # refused at once, not queued
        thread.join(5)
    assert busy.status_code == 429 and busy.headers["Retry-After"] == "2"
    html = busy.get_data(as_text=True)
    assert "Too many imports from a web address are running" in html
    assert f'value="{server.url}"' in html  # the address is kept
    cut = first["response"]
    assert cut.status_code == 400 and "took longer than 1.5 seconds" in cut.get_data(as_text=True)
    assert urlfetch.SLOTS.running == 0
