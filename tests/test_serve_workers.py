"""Serving under load: ``serve --workers``, the write lock between processes, the page cache."""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from factcheck import store
from factcheck.db import WriteLock, connect

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork (Unix)")

RATINGS = ["true", "false"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if stat[1] == str(pid) and stat[0] != "Z":
                found.add(int(entry))
    return found


def _get(port: int, path: str) -> tuple[int, str]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return response.status, response.read().decode()


def _wait_for(predicate: Any, seconds: float = 15) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.parametrize("server_name", ["granian", "waitress"])
def test_serve_with_two_workers(tmp_path: Path, server_name: str) -> None:
    port = _free_port()
    env = dict(os.environ, FACTCHECK_INSTANCE_PATH=str(tmp_path / "instance"))
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from factcheck.cli import cli; cli(prog_name='factcheck')",
            "--db",
            str(tmp_path / "w.db"),
            "serve",
            "--port",
            str(port),
            "--workers",
            "2",
            "--threads",
            "2",
            "--server",
            server_name,
        ],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:

        def answers() -> bool:
            try:
                return _get(port, "/login")[0] == 200
            except OSError:
                return False

        _wait_for(answers)
        workers = _wait_for(lambda: len(_children(server.pid)) == 2 and _children(server.pid))
        for _ in range(20):  # (the demo article was loaded once, by the parent)
            status, page = _get(port, "/login")
            assert status == 200 and 'name="csrf_token"' in page
        # A worker that dies is replaced, and the port keeps answering.
        os.kill(min(workers), signal.SIGKILL)
        replaced = _wait_for(
            lambda: (found := _children(server.pid)) - workers and len(found) == 2 and found
        )
        assert min(workers) not in replaced
        assert _wait_for(answers)
        server.send_signal(signal.SIGTERM)
        assert server.wait(15) == 0
        output = server.stdout.read()
        assert "with 2 worker processes" in output and "factcheck stopped" in output
        assert f"({server_name}" in output
        assert output.count("Loaded the demo article") == 1
        for pid in replaced:  # every worker is gone (not a zombie: the parent waited)
            assert not Path(f"/proc/{pid}").exists()
        with pytest.raises(OSError):
            _get(port, "/login")
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def test_serve_picks_granian_else_waitress(monkeypatch: Any) -> None:
    import builtins

    from factcheck import cli_serve

    assert cli_serve._server_name("auto") == "granian"  # (a dependency: installed with factcheck)
    assert cli_serve._server_name("waitress") == "waitress"
    real_import = builtins.__import__

    def no_granian(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "granian":
            raise ImportError("no granian here")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_granian)
    assert cli_serve._server_name("auto") == "waitress"


def test_serving_app_tunes_garbage_collection(tmp_path: Path, monkeypatch: Any) -> None:
    import gc

    from factcheck import cli_serve

    monkeypatch.setenv("FACTCHECK_DATABASE", str(tmp_path / "g.db"))
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path / "instance"))
    before = gc.get_threshold()
    try:
        app = cli_serve.serving_app()
        assert app.config["DATABASE"] == str(tmp_path / "g.db")
        assert gc.get_threshold() == (cli_serve.GC_GEN0_THRESHOLD, *before[1:])
        assert gc.get_freeze_count() > 1000  # (the app and its libraries)
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


# The write lock between processes ----------------------------------------------------------


def _save_same_version(
    path: str, claim_id: int, user_id: int, rating: str, start: Any, results: Any
) -> None:
    db = connect(path)
    start.wait(10)
    try:
        store.record_verdict(db, claim_id, user_id, rating, rating, [], 1, RATINGS)
        results.put("saved")
    except store.Conflict as exc:
        results.put(f"conflict {exc.current['version']}")
    finally:
        db.close()


def test_two_processes_save_the_same_version(app: Any, db: Any, article_id: int) -> None:
    path = app.config["DATABASE"]
    claim = store.list_claims(db, article_id)[0]
    alice = store.user_by_name(db, "alice")["id"]
    store.record_verdict(db, claim["id"], alice, "true", "first", [], None, RATINGS)
    context = multiprocessing.get_context("fork")
    start, queue = context.Barrier(2), context.Queue()
    writers = [
        context.Process(
            target=_save_same_version, args=(path, claim["id"], alice, rating, start, queue)
        )
        for rating in ("false", "true")
    ]
    for writer in writers:
        writer.start()
    results = [queue.get(timeout=20) for _ in writers]
    for writer in writers:
        writer.join(10)
        assert writer.exitcode == 0
    assert sorted(results) == ["conflict 2", "saved"]
    verdict = store.get_verdict(db, claim["id"], alice)
    assert verdict["version"] == 2
    # no lost update: the stored verdict is the one accepted, and audited once
    assert verdict["rating"] == verdict["rationale"] in {"true", "false"}
    audited = db.execute(
        "SELECT count(*) FROM audit_log WHERE table_name = 'verdicts' AND row_id = ?",
        (verdict["id"],),
    ).fetchone()[0]
    assert audited == 2
    assert Path(path + ".writelock").exists()


def _hold_lock(path: str, held: Any, release: Any) -> None:
    lock = WriteLock(os.path.realpath(path))
    assert lock.acquire(5)
    held.set()
    release.wait(10)
    time.sleep(0.05)
    lock.release()


def test_writers_queue_across_processes(app: Any, db: Any, article_id: int) -> None:
    """Another process holds the lock: a writer waits, then gets Busy after the busy timeout;
    once the lock is released the next writer starts at once (no sleeping busy handler)."""
    path = app.config["DATABASE"]
    claim = store.list_claims(db, article_id)[0]
    alice = store.user_by_name(db, "alice")["id"]
    context = multiprocessing.get_context("fork")
    held, release = context.Event(), context.Event()
    holder = context.Process(target=_hold_lock, args=(path, held, release))
    holder.start()
    try:
        assert held.wait(10)
        short = connect(path, busy_timeout_ms=100)
        began = time.monotonic()
        with pytest.raises(store.Busy):
            store.record_verdict(short, claim["id"], alice, "true", "", [], None, RATINGS)
        assert 0.09 <= time.monotonic() - began < 2
        short.close()
        release.set()
        began = time.monotonic()
        store.record_verdict(db, claim["id"], alice, "true", "", [], None, RATINGS)
        assert time.monotonic() - began < 2
    finally:
        release.set()
        holder.join(10)
    assert holder.exitcode == 0
    assert store.get_verdict(db, claim["id"], alice)["version"] == 1


def test_write_lock_is_reentrant_and_released(tmp_path: Path) -> None:
    lock = WriteLock(str(tmp_path / "x.db"))
    assert lock.acquire(1) and lock.acquire(1)
    lock.release()
    lock.release()
    other = WriteLock(str(tmp_path / "x.db"))  # (another open file: like another process)
    assert other.acquire(0.05)
    assert not lock.acquire(0.05)
    other.release()
    assert lock.acquire(0.05)
    lock.release()


# The review page's cache of the body and claim lists -------------------------------------


def _claim_texts(html: str) -> list[str]:
    return re.findall(r'<span class="claim-text">([^<]*)</span>', html)


def _without_tokens(html: str) -> str:
    """The page without its CSRF tokens (signed with the second they were made in)."""
    return re.sub(r'(name="csrf[-_]token"[^>]*(?:content|value)=")[^"]*', r"\1", html)


def test_page_cache_shows_changes_made_elsewhere(
    login: Any, app: Any, db: Any, article_id: int
) -> None:
    alice = login("alice")
    claims = store.list_claims(db, article_id)
    first, second = claims[0], claims[1]
    url = f"/articles/{article_id}?claim={first['id']}"
    html = alice.get(url).get_data(as_text=True)
    assert first["text"] in _claim_texts(html)
    again = alice.get(url).get_data(as_text=True)
    assert _without_tokens(again) == _without_tokens(html)  # (served from the cache)
    # Another connection (as another worker process would) changes the wording...
    store.edit_claim_text(db, first["id"], "Reworded <b>claim</b> & more", 1, None)
    html = alice.get(url).get_data(as_text=True)
    assert "Reworded &lt;b&gt;claim&lt;/b&gt; &amp; more" in _claim_texts(html)
    assert first["text"] not in _claim_texts(html)
    # ...dismisses a claim...
    store.set_claim_dismissed(db, second["id"], True, 1, None)
    html = alice.get(url).get_data(as_text=True)
    marks = re.findall(r'<a class="mark[^"]*"[^>]*data-claim="(\d+)"', html)
    assert str(second["id"]) not in marks and "1 dismissed" in html
    assert second["text"] not in _claim_texts(html)
    # ...and adds one: each shows on the next view.
    added = store.add_claim(db, article_id, 0, 8, None, "A new claim")
    html = alice.get(url).get_data(as_text=True)
    assert "A new claim" in _claim_texts(html)
    assert str(added["id"]) in re.findall(r'<a class="mark[^"]*"[^>]*data-claim="(\d+)"', html)
    # The selected claim is marked in the body and the list, whichever it is.
    html = alice.get(f"/articles/{article_id}?claim={added['id']}").get_data(as_text=True)
    selected = re.findall(r'class="[^"]*selected[^"]*"[^>]*data-claim="(\d+)"', html)
    selected += re.findall(r'data-claim="(\d+)" class="selected', html)
    assert set(selected) == {str(added["id"])}
    # JSON gives the same claims.
    data = alice.get(url, headers={"Accept": "application/json"}).get_json()
    assert [c["text"] for c in data["claims"]] == [
        c["text"] for c in store.list_claims(db, article_id)
    ]


def test_page_cache_after_edit_through_the_page(login: Any, db: Any, article_id: int) -> None:
    store.update_settings(db, {"reviewers_shape_claims": True}, None)  # (direct edits)
    alice = login("alice")
    claim = store.list_claims(db, article_id)[0]
    url = f"/articles/{article_id}?claim={claim['id']}"
    assert claim["text"] in alice.get(url).get_data(as_text=True)
    response = alice.post(f"/claims/{claim['id']}/edit", data={"text": "New words", "version": "1"})
    assert response.status_code == 302
    html = alice.get(url).get_data(as_text=True)
    assert "New words" in _claim_texts(html)
    response = alice.post(f"/claims/{claim['id']}/dismiss", data={"version": "2"})
    html = alice.get(f"/articles/{article_id}").get_data(as_text=True)
    assert "New words" not in _claim_texts(html) and "1 dismissed" in html
