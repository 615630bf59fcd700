"""Backups: ``factcheck backup`` / ``restore``, a backup taken while saves stream in, the
serving lock that makes restore refuse, scheduled backups with retention."""

from __future__ import annotations

import datetime
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from factcheck import backup, ingest, store
from factcheck.cli import cli
from factcheck.config import DEFAULT_RATING_SCALE
from factcheck.db import connect, migrate
from tests.conftest import SAMPLE_ARTICLE

RATINGS = [entry["key"] for entry in DEFAULT_RATING_SCALE]


def tables_of(path: str | Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every ordinary table, sorted (what "every table equal" compares)."""
    conn = sqlite3.connect(path)
    try:
        names = backup._tables(conn)
        return {
            name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
            for name in names
        }
    finally:
        conn.close()


def make_database(path: Path, articles: int = 3) -> list[int]:
    """A database with users, articles and claims; returns the claim ids."""
    db = connect(str(path))
    migrate(db)
    store.create_user(db, "admin", "correct horse battery", role="admin")
    user = store.create_user(db, "alice", "correct horse battery", role="reviewer")
    claim_ids = []
    for n in range(articles):
        draft = ingest.prepare_article(
            body=SAMPLE_ARTICLE.replace("31 to 12", f"31 to {12 + n}"),
            original_type="paste",
            title=f"Article {n}",
        )
        article_id = store.create_article(db, draft.article, draft.claims, user["id"])
        claim_ids += [claim["id"] for claim in store.list_claims(db, article_id)]
    db.close()
    return claim_ids


@pytest.fixture
def run(tmp_path: Path, monkeypatch: Any) -> Any:
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.delenv("FACTCHECK_DATABASE", raising=False)
    monkeypatch.delenv("FACTCHECK_BACKUP_DIR", raising=False)
    monkeypatch.chdir(tmp_path)

    def invoke(*args: str, db: str = "claims.db", input: str | None = None) -> Any:
        return CliRunner().invoke(cli, ["--db", db, *args], input=input, catch_exceptions=False)

    return invoke


def test_backup_and_restore_into_a_fresh_instance(run: Any, tmp_path: Path) -> None:
    claims = make_database(tmp_path / "claims.db")
    db = connect(str(tmp_path / "claims.db"))
    alice = store.authenticate(db, "alice", "correct horse battery")
    store.record_verdict(db, claims[0], alice["id"], "true", "Right.", [], None, RATINGS)
    db.close()

    result = run("backup")
    assert result.exit_code == 0, result.output
    made = list((tmp_path / "backups").glob("claims-*.db"))
    assert len(made) == 1
    assert f"Backup written to {made[0]}" in result.output
    assert "integrity_check ok" in result.output and "1 verdicts" in result.output
    manifest = json.loads(Path(str(made[0]) + ".json").read_text())
    assert manifest["integrity"] == "ok" and manifest["tables"]["verdicts"] == 1
    assert tables_of(made[0]) == tables_of(tmp_path / "claims.db")

    listed = run("backup", "--list")
    assert made[0].name in listed.output and "manual" in listed.output

    # A fresh instance elsewhere gets it back, every table equal.
    assert run("init", "--no-demo", db="fresh.db").exit_code == 0
    restored = run("restore", "--yes", str(made[0]), db="fresh.db")
    assert restored.exit_code == 0, restored.output
    assert "Restored fresh.db" in restored.output and "kept in" in restored.output
    assert tables_of(tmp_path / "fresh.db") == tables_of(tmp_path / "claims.db")
    # The fresh instance's own database was kept as a backup before it was replaced.
    kept = list((tmp_path / "backups").glob("fresh-*-before-restore.db"))
    assert len(kept) == 1 and tables_of(kept[0])["claims"] == []
    # The restored database is a working one (WAL again, the store reads and writes it).
    db = connect(str(tmp_path / "fresh.db"))
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.authenticate(db, "alice", "correct horse battery") is not None
    store.record_verdict(db, claims[1], alice["id"], "false", "No.", [], None, RATINGS)
    db.close()


def test_backup_to_a_named_file_or_folder(run: Any, tmp_path: Path) -> None:
    make_database(tmp_path / "claims.db", articles=1)
    assert run("backup", str(tmp_path / "copy.db")).exit_code == 0
    assert tables_of(tmp_path / "copy.db") == tables_of(tmp_path / "claims.db")
    again = run("backup", str(tmp_path / "copy.db"))  # never overwrites a file
    assert again.exit_code == 1 and "exists already" in again.output
    (tmp_path / "offsite").mkdir()
    quiet = run("backup", "-q", str(tmp_path / "offsite"))
    assert quiet.exit_code == 0 and quiet.output.startswith(str(tmp_path / "offsite" / "claims-"))
    assert run("backup", db="missing.db").exit_code == 1


def test_a_backup_during_a_stream_of_saves_restores_every_table(run: Any, tmp_path: Path) -> None:
    """Writers keep saving while the copy is made in small steps; the copy is one consistent
    moment of the stream (a prefix of the acknowledged saves, each whole) and restores into a
    fresh instance with every table equal to it."""
    claims = make_database(tmp_path / "claims.db", articles=4)
    path = str(tmp_path / "claims.db")
    stop = threading.Event()
    acknowledged: list[int] = []

    def saver() -> None:
        db = connect(path)
        alice = store.authenticate(db, "alice", "correct horse battery")
        n = 0
        versions: dict[int, int] = {}
        while not stop.is_set():
            claim_id = claims[n % len(claims)]
            saved = store.record_verdict(
                db, claim_id, alice["id"], RATINGS[n % 5], f"save {n}", [],
                versions.get(claim_id), RATINGS,
            )  # fmt: skip
            versions[claim_id] = saved["version"]
            acknowledged.append(n)
            n += 1
        db.close()

    thread = threading.Thread(target=saver)
    thread.start()
    saves_while_copying = []

    def progress(done: int, total: int) -> None:
        saves_while_copying.append(len(acknowledged))
        time.sleep(0.002)

    try:
        while len(acknowledged) < 20:
            time.sleep(0.01)
        before = len(acknowledged)
        manifest = backup.take_backup(
            path, tmp_path / "mid.db", pages_per_step=1, progress=progress
        )
        after = len(acknowledged)
    finally:
        stop.set()
        thread.join()
    assert saves_while_copying[-1] > saves_while_copying[0], "no save went in during the copy"
    copy = tables_of(manifest["path"])
    # One moment of the stream: saves 0..k-1, each with its audit row, k between the saves
    # acknowledged before the copy began and those acknowledged when it ended.
    db = sqlite3.connect(manifest["path"])
    rationales = {row[0] for row in db.execute("SELECT rationale FROM verdicts")}
    verdict_audits = db.execute(
        "SELECT count(*) FROM audit_log WHERE table_name = 'verdicts'"
    ).fetchone()[0]
    db.close()
    last = max(int(text.split()[1]) for text in rationales)
    assert before <= last + 1 <= after
    assert verdict_audits == last + 1  # every save in the copy is whole (verdict + audit)
    expected = {f"save {n}" for n in range(max(0, last + 1 - len(claims)), last + 1)}
    assert rationales == expected

    assert run("init", "--no-demo", db="fresh.db").exit_code == 0
    assert run("restore", "--yes", manifest["path"], db="fresh.db").exit_code == 0
    assert tables_of(tmp_path / "fresh.db") == copy


def _hold_lock_in_another_process(db_path: Path) -> subprocess.Popen:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from factcheck import backup; "
            "backup.hold_serving_lock(sys.argv[1], 'factcheck serve, pid 4242'); "
            "print('held', flush=True); time.sleep(60)",
            str(db_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    return holder


@pytest.mark.skipif(backup.fcntl is None, reason="needs flock")
def test_restore_refuses_while_a_server_holds_the_database(run: Any, tmp_path: Path) -> None:
    make_database(tmp_path / "claims.db", articles=1)
    assert run("backup", "copy.db").exit_code == 0
    holder = _hold_lock_in_another_process(tmp_path / "claims.db")
    try:
        assert backup.server_running(str(tmp_path / "claims.db"))
        refused = run("restore", "--yes", "copy.db")
        assert refused.exit_code == 1
        assert "a server is running on claims.db" in refused.output
        with pytest.raises(backup.ServerRunning, match="pid 4242"):
            backup.restore(str(tmp_path / "claims.db"), str(tmp_path / "copy.db"))
    finally:
        holder.kill()  # (like kill -9: the kernel drops the lock with the process)
        holder.wait()
    assert not backup.server_running(str(tmp_path / "claims.db"))
    assert run("restore", "--yes", "copy.db").exit_code == 0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.skipif(backup.fcntl is None, reason="needs flock")
def test_restore_refuses_while_factcheck_serve_runs(run: Any, tmp_path: Path) -> None:
    make_database(tmp_path / "claims.db", articles=1)
    assert run("backup", "copy.db").exit_code == 0
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from factcheck.cli import cli; cli(prog_name='factcheck')",
            "--db",
            str(tmp_path / "claims.db"),
            "serve",
            "--port",
            str(port),
            "--server",
            "waitress",
            "--no-demo",
        ],
        cwd=tmp_path,
        env=dict(os.environ, FACTCHECK_INSTANCE_PATH=str(tmp_path / "instance")),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        refused = run("restore", "--yes", "copy.db")
        assert refused.exit_code == 1 and "a server is running" in refused.output
        # A backup is fine while it serves.
        assert run("backup", "-q").exit_code == 0
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(15)
    assert run("restore", "--yes", "copy.db").exit_code == 0


def test_restore_checks_the_file_first(run: Any, tmp_path: Path) -> None:
    make_database(tmp_path / "claims.db", articles=1)
    before = tables_of(tmp_path / "claims.db")
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 100)
    refused = run("restore", "--yes", "junk.db")
    assert refused.exit_code == 1 and "junk.db" in refused.output
    sqlite3.connect(tmp_path / "other.db").execute("CREATE TABLE t (x)").connection.close()
    refused = run("restore", "--yes", "other.db")
    assert refused.exit_code == 1 and "not a factcheck database" in refused.output
    assert run("backup", "newer.db").exit_code == 0
    conn = sqlite3.connect(tmp_path / "newer.db")
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('factcheck', 'm999_future', 'now')"
    )
    conn.commit()
    conn.close()
    refused = run("restore", "--yes", "newer.db")
    assert refused.exit_code == 1 and "newer factcheck" in refused.output
    assert tables_of(tmp_path / "claims.db") == before
    # Without --yes it asks first; "n" keeps the database.
    assert run("backup", "good.db").exit_code == 0
    asked = run("restore", "good.db", input="n\n")
    assert asked.exit_code == 1 and "Replace the database" in asked.output


def test_scheduled_backups_and_retention(tmp_path: Path) -> None:
    make_database(tmp_path / "claims.db", articles=1)
    path, folder = str(tmp_path / "claims.db"), tmp_path / "backups"
    manual = backup.take_backup(path, directory=folder)
    start = datetime.datetime(2026, 12, 7, 3, 0, tzinfo=datetime.UTC)
    assert backup.run_scheduled_backup(path, folder, 0, 3) is None  # off
    taken = []
    for hour in range(0, 24 * 5, 6):  # the job runs every 6 hours for 5 days
        when = start + datetime.timedelta(hours=hour)
        if backup.run_scheduled_backup(path, folder, 24, 3, now=when):
            taken.append(when)
    assert len(taken) == 5  # once a day
    listed = backup.list_backups(folder)
    autos = [item for item in listed if item["kind"] == "auto"]
    assert [item["taken_at"] for item in autos] == sorted(taken, reverse=True)[:3]
    assert all(item["tables"]["claims"] > 0 for item in autos)
    assert any(item["path"] == manual["path"] for item in listed)  # never pruned
    assert backup.next_due(folder, 24) == taken[-1] + datetime.timedelta(hours=24)
    assert backup.find_backup(folder, "../claims.db") is None
    assert backup.find_backup(folder, autos[0]["name"])["path"] == autos[0]["path"]


def test_admins_see_and_download_the_backups(app: Any, client: Any) -> None:
    from tests.conftest import Session

    folder = backup.backup_dir(app.config)
    made = backup.take_backup(app.config["DATABASE"], directory=folder)
    auto = backup.run_scheduled_backup(app.config["DATABASE"], folder, 24, 7)
    Session(client, "admin")
    page = client.get("/admin/backups").get_data(as_text=True)
    assert Path(made["path"]).name in page and Path(auto["path"]).name in page
    assert "by hand" in page and "scheduled" in page and "every 24 hours" in page
    assert "4 users; checked" in page
    download = client.get(f"/admin/backups/{Path(made['path']).name}")
    assert download.status_code == 200
    assert download.headers["Cache-Control"] == "no-store"
    assert "attachment" in download.headers["Content-Disposition"]
    assert download.data == Path(made["path"]).read_bytes()
    download.close()
    for name in ["..%2Ftest.db", "test.db", "nothing.db", f"{Path(made['path']).name}.json"]:
        assert client.get(f"/admin/backups/{name}").status_code == 404, name
    listed = client.get("/admin/backups", headers={"Accept": "application/json"}).get_json()
    assert [item["name"] for item in listed["backups"]][0] == Path(auto["path"]).name


def test_the_job_worker_takes_the_scheduled_backups(app: Any, client: Any) -> None:
    from factcheck import backup_tasks, jobs
    from tests.conftest import Session

    assert "factcheck.backup_tasks" in jobs.TASK_MODULES  # (every worker knows the task)
    queued_at = backup_tasks.scheduled_backup.task_class().validate_datetime
    folder = backup.backup_dir(app.config)
    try:
        jobs.configure({**app.config, "JOBS_IMMEDIATE": False})  # (a real queue file)
        # Queued every 5 minutes while a backup is due (none yet: due).
        assert queued_at(datetime.datetime(2026, 12, 7, 3, 5))
        assert not queued_at(datetime.datetime(2026, 12, 7, 3, 6))
        made = backup_tasks.scheduled_backup.call_local()
        assert made["kind"] == "auto" and Path(made["path"]).parent == folder
        assert backup_tasks.scheduled_backup.call_local() is None  # (not due again yet)
        assert not queued_at(datetime.datetime(2026, 12, 7, 3, 10))  # (nor queued)
        jobs.queue.storage.record_failure(
            "factcheck.backup_tasks.scheduled_backup", "()", "database or disk is full"
        )
        Session(client, "admin")
        page = client.get("/admin/backups").get_data(as_text=True)
        assert "A scheduled backup failed at" in page and "disk is full" in page
        assert Path(made["path"]).name in page
    finally:
        jobs.configure({"JOBS_IMMEDIATE": True})


@pytest.mark.skipif(backup.fcntl is None, reason="needs flock")
def test_restore_refuses_while_a_job_worker_runs(run: Any, tmp_path: Path) -> None:
    make_database(tmp_path / "claims.db", articles=1)
    assert run("backup", "copy.db").exit_code == 0
    env = dict(os.environ, FACTCHECK_INSTANCE_PATH=str(tmp_path / "instance"))
    env.pop("FACTCHECK_JOBS_IMMEDIATE", None)
    worker = subprocess.Popen(
        [sys.executable, "-m", "factcheck", "--db", "claims.db", "worker", "--workers", "1"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert "factcheck worker:" in worker.stderr.readline()
        refused = run("restore", "--yes", "copy.db")
        assert refused.exit_code == 1 and "a server is running" in refused.output
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(15)
    assert run("restore", "--yes", "copy.db").exit_code == 0
