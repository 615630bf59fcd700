"""A slow page never holds a thread: the whole fetch has a hard deadline however the server
drips, and only a few fetches run at once (per process and per user)."""

from __future__ import annotations

import re
import threading
import time
from typing import Any

import pytest

from factcheck import jobs, urlfetch
from tests.drip import DripServer
from tests.test_urlfetch import server  # noqa: F401 (a fixture: a local news site)

TIMEOUT = 0.5  # each step; the whole fetch gets 1.5 s


@pytest.mark.parametrize("where", ["headers", "body"])
def test_a_dripping_server_is_cut_off_at_the_deadline(where: str) -> None:
    # One byte every 0.2 s: every read returns before the 0.5 s step timeout, so only the
    # deadline over the whole transfer can stop it.
    with DripServer(where, interval=0.2, lifetime=10) as drip:
        started = time.monotonic()
        with pytest.raises(urlfetch.FetchError, match=r"took longer than 1\.5 seconds") as caught:
            urlfetch.fetch(drip.url, allow_private=True, timeout=TIMEOUT)
        elapsed = time.monotonic() - started
    assert 1.4 < elapsed < 1.5 + 1
    assert "3 x FETCH_TIMEOUT_SECONDS" in str(caught.value)
    assert "nothing was imported" in str(caught.value)


def test_fetch_article_is_cut_off_too() -> None:
    config = {"ALLOW_PRIVATE_URLS": True, "FETCH_TIMEOUT_SECONDS": TIMEOUT}
    with DripServer("body", interval=0.2, lifetime=10) as drip:
        started = time.monotonic()
        with pytest.raises(urlfetch.FetchError, match="took longer than"):
            urlfetch.fetch_article(drip.url, config)
    assert time.monotonic() - started < 1.5 + 1


def test_a_silent_tls_server_is_cut_off() -> None:
    # The TLS handshake waits for a server that never answers: bounded by the step timeout.
    with DripServer("silent", interval=0.2, lifetime=10) as drip:
        started = time.monotonic()
        with pytest.raises(urlfetch.FetchError):
            urlfetch.fetch(f"https://127.0.0.1:{drip.port}/", allow_private=True, timeout=0.3)
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


@pytest.fixture
def worker(app: Any) -> Any:
    """Jobs go to a real queue file and two threads of this process work it off (as a job
    worker's processes would): a request only records and queues the import."""
    app.config.update(JOBS_IMMEDIATE=False, ALLOW_PRIVATE_URLS=True, FETCH_TIMEOUT_SECONDS=TIMEOUT)
    jobs.configure(app.config)
    stop = threading.Event()

    def work() -> None:
        while not stop.is_set():
            task = jobs.queue.dequeue()
            if task is None:
                stop.wait(0.02)
            else:
                jobs.queue.execute(task)

    threads = [threading.Thread(target=work, daemon=True) for _ in range(2)]
    for thread in threads:
        thread.start()
    yield
    stop.set()
    for thread in threads:
        thread.join(5)
    jobs.configure({"JOBS_IMMEDIATE": True})


def _state(session: Any, location: str) -> dict[str, Any]:
    return session.get(location, headers={"Accept": "application/json"}).get_json()


def test_web_import_answers_at_once_and_shows_progress(app: Any, login: Any, worker: Any) -> None:
    alice, bob = login("alice"), login("bob")
    with DripServer("body", interval=0.2, lifetime=10) as drip:
        started = time.monotonic()
        first = alice.post("/articles/import-url", data={"page_url": drip.url})
        assert time.monotonic() - started < 0.5  # acknowledged, not fetched in the request
        assert first.status_code == 303
        location = first.headers["Location"]
        assert re.search(r"/imports/url/\d+$", location)
        deadline = time.monotonic() + 1
        while _state(alice, location)["state"] == "queued" and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _state(alice, location)["state"] == "fetching"
        page = alice.get(location).get_data(as_text=True)
        assert "Fetching the page…" in page and 'role="status"' in page and "jobs.js" in page
        # The desk's cap (FETCH_MAX_CONCURRENT=1): another import is refused at once.
        started = time.monotonic()
        busy = bob.post("/articles/import-url", data={"page_url": drip.url})
        assert time.monotonic() - started < 0.5
        assert busy.status_code == 429 and busy.headers["Retry-After"] == "2"
        html = busy.get_data(as_text=True)
        assert "Too many imports from a web address are running" in html
        assert f'value="{drip.url}"' in html  # the address is kept
        assert bob.get(location).status_code == 404  # not his import
        # Cut off at the deadline, in the worker: the error, and the address to try again.
        while _state(alice, location)["state"] == "fetching" and time.monotonic() < started + 5:
            time.sleep(0.05)
        took = time.monotonic() - started
    state = _state(alice, location)
    assert state["state"] == "failed" and "took longer than 1.5 seconds" in state["error"]
    assert took < 1.5 + 1
    page = alice.get(location).get_data(as_text=True)
    assert "took longer than 1.5 seconds" in page and f'value="{drip.url}"' in page
    assert login("edna").get(location).status_code == 200  # editors see every import


def test_the_per_user_cap(app: Any, login: Any, worker: Any) -> None:
    app.config.update(FETCH_MAX_CONCURRENT=2, FETCH_MAX_PER_USER=1)
    alice = login("alice")
    with DripServer("body", interval=0.2, lifetime=10) as drip:
        assert alice.post("/articles/import-url", data={"page_url": drip.url}).status_code == 303
        second = alice.post("/articles/import-url", data={"page_url": drip.url + "?2"})
        assert second.status_code == 429
        assert "at most 1 per user, setting FETCH_MAX_PER_USER" in second.get_data(as_text=True)
        other = login("bob").post("/articles/import-url", data={"page_url": drip.url})
        assert other.status_code == 303


def test_an_import_that_succeeds_opens_the_article(
    app: Any,
    login: Any,
    worker: Any,
    server: str,  # noqa: F811 (the fixture)
) -> None:
    alice = login("alice")
    started = alice.post("/articles/import-url", data={"page_url": f"{server}/article"})
    location = started.headers["Location"]
    deadline = time.monotonic() + 10
    while _state(alice, location)["state"] != "done" and time.monotonic() < deadline:
        time.sleep(0.05)
    state = _state(alice, location)
    assert state["claims"] > 0 and state["article_url"].endswith(f"/articles/{state['article_id']}")
    opened = alice.get(location)
    assert opened.status_code == 302 and opened.headers["Location"] == state["article_url"]
    assert "Imported from" in alice.get(state["article_url"]).get_data(as_text=True)
