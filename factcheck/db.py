"""Connections and schema.

A request's connection lives on ``flask.g``. It is each thread's pooled connection to the
database (opened once, not per request: opening costs PRAGMAs, and closing the last connection
checkpoints the WAL); on teardown any transaction left open is rolled back and the connection
goes back to its thread. Each thread also keeps a second, ``query_only`` connection for read
snapshots (:func:`read_connection`, used by :func:`factcheck.store.snapshot`), so that a
streamed export's read transaction never shares a connection with a write. Connections run in
autocommit mode with WAL, foreign keys and a busy timeout; :mod:`factcheck.store` opens a
short ``BEGIN IMMEDIATE`` transaction for each user action, which writers first queue for on
a lock per database file (instead of SQLite's sleeping busy handler): a thread lock within the
process, then an ``flock`` on ``<database>.writelock`` between processes (``factcheck serve
--workers N``). Connections and locks are never carried across ``fork``: a worker opens its
own. The schema grows only through the numbered migrations below: once a migration has been
applied anywhere, it is never edited.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from typing import Any

try:
    import fcntl
except ImportError:  # (Windows: writers of one process still queue on the thread lock)
    fcntl = None  # type: ignore[assignment]

import click
from flask import current_app, g
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from . import sanitize

migrations = Migrations("factcheck")


def connect(path: str, busy_timeout_ms: int = 5000) -> Database:
    """Open the database at ``path`` with factcheck's connection settings."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=0)
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    conn.execute("PRAGMA foreign_keys = ON")
    if path != ":memory:":
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    conn.row_factory = sqlite3.Row
    db = Database(conn)
    if path != ":memory:":
        db.factcheck_path = path  # type: ignore[attr-defined]
        db.factcheck_write_lock = _write_lock(path)  # type: ignore[attr-defined]
        db.factcheck_busy_timeout_ms = int(busy_timeout_ms)  # type: ignore[attr-defined]
    return db


class WriteLock:
    """Where writers to one database file queue: a thread lock, then a lock file between processes.

    ``acquire`` takes the process's re-entrant thread lock, then (on the outermost acquire) an
    exclusive ``flock`` on ``<database>.writelock``, polled without blocking every 50 µs to
    1 ms until the timeout: one waiter per process polls and the others sleep on the thread
    lock, so the next writer starts within a millisecond of a commit, where SQLite's busy
    handler sleeps up to 100 ms. Without ``fcntl``, or when the lock file cannot be opened
    (a read-only directory), only the thread lock is used and SQLite's busy timeout queues the
    processes. The lock file is opened once per process (an ``flock`` is shared by the
    processes a ``fork`` made from one open file, so a worker opens its own).
    """

    def __init__(self, path: str):
        self.path = path + ".writelock"
        self._thread_lock = threading.RLock()
        self._depth = 0  # acquires by the owning thread
        self._fd: int | None = None
        self._fd_pid = 0
        self._waiting: dict[int, float] = {}  # thread ident -> when it began to wait
        self._waiting_guard = threading.Lock()
        self._begin_since: float | None = None  # the holder waits in SQLite's busy handler

    # Writers waiting in this process (see MAX_WRITE_WAITERS): from the moment a transaction
    # asks for the lock until its BEGIN IMMEDIATE has succeeded (or it gave up).

    def start_waiting(self) -> None:
        with self._waiting_guard:
            self._waiting[threading.get_ident()] = time.monotonic()

    def stop_waiting(self) -> None:
        with self._waiting_guard:
            self._waiting.pop(threading.get_ident(), None)

    def stalled(self) -> bool:
        """Whether the calling waiter should give up now to leave its thread to readers: more
        than ``MAX_WRITE_WAITERS`` writers of this process wait, this one is not among the
        first of them, and the lock is held for long: this process's first writer has waited
        ``STALL_SECONDS`` in SQLite's busy handler (a program without the lock file, such as
        the ``sqlite3`` shell, holds the database), or the first waiter has waited
        ``QUEUE_STALL_SECONDS`` (a long write of another factcheck process, a stalled disk).
        A queue of ordinary saves, each a few milliseconds, never gives up this way."""
        cap = MAX_WRITE_WAITERS
        if cap is None:
            return False
        with self._waiting_guard:
            mine = self._waiting.get(threading.get_ident())
            if mine is None or len(self._waiting) <= cap:
                return False
            ahead = sum(1 for since in self._waiting.values() if since < mine)
            oldest = min(self._waiting.values())
        if ahead < cap:
            return False
        now = time.monotonic()
        held_outside = self._begin_since is not None and now - self._begin_since >= STALL_SECONDS
        return held_outside or now - oldest >= QUEUE_STALL_SECONDS

    def _file(self) -> int | None:
        if fcntl is None:
            return None
        if self._fd_pid != os.getpid():
            self._fd_pid = os.getpid()
            try:
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            except OSError:
                self._fd = None
        return self._fd

    def acquire(self, timeout: float) -> bool:
        """Take the lock within ``timeout`` seconds; False if another writer kept it."""
        deadline = time.monotonic() + timeout
        # (in slices, asking between them whether to give up: see stalled())
        while not self._thread_lock.acquire(blocking=False):
            if time.monotonic() >= deadline or self.stalled():
                return False
            if self._thread_lock.acquire(timeout=max(min(deadline - time.monotonic(), 0.02), 0)):
                break
        self._depth += 1
        if self._depth > 1:
            return True
        fd = self._file()
        if fd is None:
            return True
        pause = 0.00005
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                pass
            except OSError:
                return True  # (no flock on this file system: SQLite's busy timeout queues)
            if time.monotonic() >= deadline or self.stalled():
                self._depth -= 1
                self._thread_lock.release()
                return False
            time.sleep(pause)
            pause = min(pause * 2, 0.001)

    def begin(
        self, conn: sqlite3.Connection, busy_timeout_ms: int, wait_ms: int | None = None
    ) -> bool:
        """Take the lock, then ``BEGIN IMMEDIATE`` on ``conn``, both within ``wait_ms``
        (default ``busy_timeout_ms``, the connection's) together, whoever holds the database
        (a process that does not use the lock file, such as the ``sqlite3`` shell, is waited
        for in SQLite's busy handler only for what is left). False, the lock released, if the
        time ran out (or this writer gave up its thread, see :meth:`stalled`)."""
        wait_ms = busy_timeout_ms if wait_ms is None else max(int(wait_ms), 0)
        deadline = time.monotonic() + wait_ms / 1000
        self.start_waiting()
        try:
            if not self.acquire(timeout=wait_ms / 1000):
                return False
            left_ms = max(int((deadline - time.monotonic()) * 1000), 0)
            shorter = left_ms < busy_timeout_ms - 5
            self._begin_since = time.monotonic()
            try:
                if shorter:
                    conn.execute(f"PRAGMA busy_timeout = {left_ms}")
                conn.execute("BEGIN IMMEDIATE")
                return True
            except sqlite3.OperationalError as exc:
                self.release()
                if "locked" in str(exc) or "busy" in str(exc):
                    return False
                raise
            except BaseException:
                self.release()
                raise
            finally:
                self._begin_since = None
                if shorter:
                    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        finally:
            self.stop_waiting()

    def release(self) -> None:
        if self._depth == 1 and self._fd is not None and self._fd_pid == os.getpid():
            try:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            except OSError:
                pass
        self._depth -= 1
        self._thread_lock.release()


# Writers of one process that may wait for the write lock at once while it is held for long
# (None: no limit). ``factcheck serve`` sets it to its threads less one, so that writers
# queued behind another program's long write never take every request thread: past the
# limit a writer gives up (503 "busy") once the lock is seen held for long (see
# WriteLock.stalled), and page views keep a thread.
MAX_WRITE_WAITERS: int | None = None
STALL_SECONDS = 0.2  # in SQLite's busy handler: another program holds the database
QUEUE_STALL_SECONDS = 2.0  # queued behind a long write of our own

_write_locks: dict[str, WriteLock] = {}
_write_locks_guard = threading.Lock()


def _write_lock(path: str) -> WriteLock:
    """The lock this process's writers to the database file at ``path`` queue on."""
    key = os.path.realpath(path)
    with _write_locks_guard:
        lock = _write_locks.get(key)
        if lock is None:
            lock = _write_locks[key] = WriteLock(key)
        return lock


def migrate(db: Database) -> list[str]:
    """Apply pending migrations; return the names applied."""
    pending = [m.name for m in migrations.pending(db)]
    if pending:
        db.conn.execute("PRAGMA foreign_keys = OFF")
        try:
            migrations.apply(db)
        finally:
            db.conn.execute("PRAGMA foreign_keys = ON")
            db.__dict__.pop("factcheck_library", None)  # (store.evidence.library_ready)
    return pending


class _Slot:
    """A thread's pooled connection, what it was opened on, and whether a request holds it."""

    db: Database | None = None
    key: tuple[Any, ...] = ()
    busy = False


_pool = threading.local()  # .slot, .reader: the thread's _Slot of each kind
_inherited: list[Any] = []  # what a forked child must neither use nor close


def close_thread_connection() -> None:
    """Close the calling thread's pooled connections, if any (before ``fork``, for instance)."""
    for kind in ("slot", "reader"):
        slot = getattr(_pool, kind, None)
        if slot is not None and slot.db is not None and not slot.busy:
            slot.db.close()
            slot.db = None


def _after_fork_in_child() -> None:
    """A forked process starts without the parent's connections and locks.

    SQLite connections must not cross ``fork``, and a lock held by another thread of the
    parent would never be released here: both are dropped (kept referenced, never closed,
    so that the child does not touch the parent's file handles) and made anew on first use.
    """
    global _pool, _write_locks_guard
    _inherited.append((_pool, dict(_write_locks)))
    _pool = threading.local()
    _write_locks.clear()
    _write_locks_guard = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _file_identity(path: str) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def _checkout(path: str, busy_timeout_ms: int, kind: str = "slot") -> Database:
    """The thread's pooled connection to ``path`` (a new one if the file was replaced).

    ``kind`` names the pool: ``"slot"`` for requests, ``"reader"`` for read snapshots
    (:func:`read_connection`), whose connections are ``query_only``.
    """
    slot = getattr(_pool, kind, None)
    if slot is None:
        slot = _Slot()
        setattr(_pool, kind, slot)
    if path == ":memory:" or slot.busy:
        return _open(path, busy_timeout_ms, kind)  # (not pooled: closed on release)
    key = (path, int(busy_timeout_ms), _file_identity(path))
    if slot.db is not None and slot.key != key:
        slot.db.close()
        slot.db = None
    if slot.db is None:
        slot.db = _open(path, busy_timeout_ms, kind)
        slot.key = (path, int(busy_timeout_ms), _file_identity(path))
        slot.db.factcheck_pool_slot = slot  # type: ignore[attr-defined]
    slot.busy = True
    return slot.db


def _open(path: str, busy_timeout_ms: int, kind: str) -> Database:
    db = connect(path, busy_timeout_ms)
    if kind == "reader":
        db.conn.execute("PRAGMA query_only = ON")
    return db


def _release(db: Database) -> None:
    """Give a pooled connection back (rolling back a transaction left open); close any other."""
    slot = getattr(db, "factcheck_pool_slot", None)
    if slot is None or slot.db is not db:
        db.close()
        return
    try:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
    except sqlite3.Error:
        slot.db = None
        db.close()
    slot.busy = False


@contextlib.contextmanager
def read_connection(db: Database) -> Iterator[Database]:
    """A connection of its own to ``db``'s file, for a read snapshot
    (:func:`factcheck.store.snapshot`): the thread's pooled reader (another one while that is
    in use), ``query_only`` so that nothing writes on it, given back (any transaction rolled
    back) on exit. ``db`` itself is not used; without a file (``:memory:``) there is no other
    connection to it, and ``db`` is what is given.
    """
    path = getattr(db, "factcheck_path", None)
    if path is None:
        yield db
        return
    reader = _checkout(path, getattr(db, "factcheck_busy_timeout_ms", 5000), "reader")
    try:
        yield reader
    finally:
        _release(reader)


def get_db() -> Database:
    """The request's database connection, taken from the thread's pool on first use."""
    if "db" not in g:
        g.db = _checkout(current_app.config["DATABASE"], current_app.config["BUSY_TIMEOUT_MS"])
    return g.db


def close_db(exc: BaseException | None = None) -> None:
    """Give back the request's connection, if it took one."""
    db = g.pop("db", None)
    if db is not None:
        _release(db)


def _execute_statements(db: Database, script: str) -> None:
    """Run a script statement by statement, inside the migration's transaction.

    ``executescript`` would commit the open transaction first.
    """
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement: {statement!r}")


@migrations()
def m001_initial(db: Database) -> None:
    """Users, articles, claims, verdicts, sources, final verdicts and the audit log."""
    _execute_statements(
        db,
        """
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE COLLATE NOCASE,
            display_name TEXT NOT NULL DEFAULT '',
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL DEFAULT 'reviewer'
                CHECK (role IN ('admin', 'editor', 'reviewer')),
            active INTEGER NOT NULL DEFAULT 1,
            session_version INTEGER NOT NULL DEFAULT 1,
            version INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            url TEXT,
            publisher TEXT,
            author TEXT,
            published TEXT,
            body TEXT NOT NULL,
            body_sha256 TEXT NOT NULL UNIQUE,
            original TEXT,
            original_type TEXT NOT NULL DEFAULT 'paste',
            original_name TEXT,
            status TEXT NOT NULL DEFAULT 'open',
            created_by INTEGER REFERENCES users(id),
            version INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TRIGGER articles_body_immutable BEFORE UPDATE OF body, body_sha256 ON articles
        WHEN NEW.body IS NOT OLD.body OR NEW.body_sha256 IS NOT OLD.body_sha256
        BEGIN SELECT RAISE(ABORT, 'article body is immutable'); END;
        CREATE TABLE claims (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            quote TEXT NOT NULL,
            text TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT '[]',
            "values" TEXT NOT NULL DEFAULT '[]',
            score REAL,
            checkworthy INTEGER NOT NULL DEFAULT 0,
            origin TEXT NOT NULL DEFAULT 'auto' CHECK (origin IN ('auto', 'manual')),
            dismissed INTEGER NOT NULL DEFAULT 0,
            created_by INTEGER REFERENCES users(id),
            version INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK (start >= 0 AND "end" > start)
        );
        CREATE INDEX claims_article ON claims(article_id, start, "end");
        CREATE TABLE verdicts (
            id INTEGER PRIMARY KEY,
            claim_id INTEGER NOT NULL REFERENCES claims(id),
            user_id INTEGER NOT NULL REFERENCES users(id),
            rating TEXT NOT NULL,
            rationale TEXT NOT NULL DEFAULT '',
            version INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (claim_id, user_id)
        );
        CREATE INDEX verdicts_user ON verdicts(user_id);
        CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            verdict_id INTEGER NOT NULL REFERENCES verdicts(id) ON DELETE CASCADE,
            position INTEGER NOT NULL DEFAULT 0,
            url TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            publisher TEXT NOT NULL DEFAULT '',
            excerpt TEXT NOT NULL DEFAULT '',
            stance TEXT NOT NULL DEFAULT 'context'
                CHECK (stance IN ('supports', 'refutes', 'context')),
            accessed TEXT
        );
        CREATE INDEX sources_verdict ON sources(verdict_id, position);
        CREATE TABLE final_verdicts (
            claim_id INTEGER PRIMARY KEY REFERENCES claims(id),
            rating TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            decided_by INTEGER REFERENCES users(id),
            version INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            user_id INTEGER REFERENCES users(id),
            action TEXT NOT NULL,
            table_name TEXT NOT NULL,
            row_id INTEGER,
            claim_id INTEGER,
            article_id INTEGER,
            before TEXT,
            after TEXT
        );
        CREATE INDEX audit_claim ON audit_log(claim_id, id);
        CREATE INDEX audit_article ON audit_log(article_id, id);
        """,
    )


@click.command("init-db")
def init_db_command() -> None:
    """Create or migrate the database."""
    applied = migrate(get_db())
    click.echo(f"Applied {len(applied)} migration(s).")


@migrations()
def m002_desk(db: Database) -> None:
    """Multi-reviewer desk: assignments, settings, login throttling, publishing, corrections,
    API tokens."""
    _execute_statements(
        db,
        """
        CREATE TABLE assignments (
            article_id INTEGER NOT NULL REFERENCES articles(id),
            user_id INTEGER NOT NULL REFERENCES users(id),
            assigned_by INTEGER REFERENCES users(id),
            assigned_at TEXT NOT NULL,
            PRIMARY KEY (article_id, user_id)
        );
        CREATE INDEX assignments_user ON assignments(user_id, article_id);
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 1,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE login_failures (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL COLLATE NOCASE,
            address TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX login_failures_username ON login_failures(username, at);
        CREATE INDEX login_failures_address ON login_failures(address, at);
        ALTER TABLE articles ADD COLUMN published_at TEXT;
        ALTER TABLE articles ADD COLUMN published_by INTEGER REFERENCES users(id);
        CREATE TABLE corrections (
            id INTEGER PRIMARY KEY,
            claim_id INTEGER NOT NULL REFERENCES claims(id),
            before_rating TEXT,
            after_rating TEXT NOT NULL,
            note TEXT NOT NULL,
            user_id INTEGER REFERENCES users(id),
            at TEXT NOT NULL
        );
        CREATE INDEX corrections_claim ON corrections(claim_id, id);
        CREATE TABLE api_tokens (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id),
            name TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            prefix TEXT NOT NULL,
            created_at TEXT NOT NULL,
            last_used_at TEXT,
            revoked_at TEXT
        );
        CREATE INDEX api_tokens_user ON api_tokens(user_id);
        CREATE INDEX claims_final ON final_verdicts(decided_by);
        """,
    )


@migrations()
def m003_rationale_html(db: Database) -> None:
    """Each verdict's rationale as sanitised HTML, kept for the exports (NULL: not computed,
    and the exports compute it). A rationale changed without its HTML loses the stored HTML.

    A change to what :func:`factcheck.sanitize.render_markdown` produces needs a migration
    that sets ``verdicts.rationale_html`` to NULL again.
    """
    _execute_statements(
        db,
        """
        ALTER TABLE verdicts ADD COLUMN rationale_html TEXT;
        CREATE TRIGGER verdicts_rationale_html_stale AFTER UPDATE OF rationale ON verdicts
            WHEN NEW.rationale IS NOT OLD.rationale
            AND NEW.rationale_html IS OLD.rationale_html
            AND NEW.rationale_html IS NOT NULL
        BEGIN
            UPDATE verdicts SET rationale_html = NULL WHERE id = NEW.id;
        END;
        """,
    )


@migrations()
def m004_verdicts_claim_order(db: Database) -> None:
    """Verdicts in a claim's order (created_at, id), so that the exports read a claim's
    verdicts without sorting them."""
    _execute_statements(
        db,
        """
        CREATE INDEX verdicts_claim_order ON verdicts(claim_id, created_at, id);
        """,
    )


def _csv_cell(expr: str) -> str:
    """SQL of a text expression as a CSV cell: formula-neutralised (a leading ``= + - @``, tab
    or carriage return gets a ``'``), quoted as :mod:`csv` writes it (m005; do not change)."""
    neutral = (
        f"CASE WHEN substr({expr}, 1, 1) IN ('=', '+', '-', '@', char(9), char(13))"
        f" THEN '''' || {expr} ELSE {expr} END"
    )
    return (
        f"CASE WHEN instr({expr}, '\"') OR instr({expr}, ',') OR instr({expr}, char(10))"
        f" OR instr({expr}, char(13)) THEN '\"' || replace({neutral}, '\"', '\"\"') || '\"'"
        f" ELSE {neutral} END"
    )


def _m005_views() -> str:
    """The views ``csv_fragments_v`` and ``json_fragments_v`` of migration m005."""
    q = _csv_cell
    rationales = (
        "group_concat(CASE WHEN rationale <> '' THEN coalesce(username, 'None') || ': '"
        " || rationale END, char(10, 10))"
    )
    # The sources cell: each source's "stance url", duplicates dropped (the first kept).
    source_cells = """
        SELECT cell, min(n) AS n FROM (
            SELECT CASE WHEN coalesce(s.stance, '') <> '' THEN s.stance || ' '
                       || coalesce(s.url, '') ELSE coalesce(s.url, '') END AS cell,
                   row_number() OVER (ORDER BY v.created_at, v.id, s.position, s.id) AS n
            FROM verdicts v JOIN sources s ON s.verdict_id = v.id WHERE v.claim_id = c.id)
        GROUP BY cell ORDER BY n
    """
    csv_view = f"""
        CREATE VIEW csv_fragments_v AS SELECT
            c.id AS claim_id,
            c.id || ',' || c.start || ',' || c."end" || ',' || {q("c.quote")} || ','
                || {q("c.text")} || ','
                || coalesce((SELECT {q("group_concat(value, ';')")} FROM json_each(c.kind)), '')
                AS head,
            CASE WHEN c.checkworthy THEN 'true' ELSE 'false' END
                || CASE WHEN c.dismissed THEN ',true,' ELSE ',false,' END
                || {q("c.origin")} AS middle,
            f.rating AS final_rating,
            CASE WHEN f.claim_id IS NOT NULL THEN {q("f.reason")} || ','
                || coalesce((SELECT {q("username")} FROM users WHERE id = f.decided_by), '')
                || ',' || {q("f.updated_at")} END AS final,
            (SELECT group_concat(user_id, ',') || json_group_array(rating)
             FROM (SELECT v.user_id, v.rating FROM verdicts v WHERE v.claim_id = c.id
                   ORDER BY v.created_at, v.id)) AS reviewers,
            (SELECT coalesce({q(rationales)}, '')
             FROM (SELECT v.rationale, u.username FROM verdicts v
                   LEFT JOIN users u ON u.id = v.user_id WHERE v.claim_id = c.id
                   ORDER BY v.created_at, v.id)) AS rationales,
            (SELECT coalesce({q("group_concat(cell, '; ')")}, '') FROM ({source_cells}))
                AS sources
        FROM claims c LEFT JOIN final_verdicts f ON f.claim_id = c.id;
    """
    # The tail is a %-format: each "%s" stands for a rating's ,"label":…,"value":… in the
    # configured scale (the verdicts' ratings in order, then the final verdict's), every "%"
    # of the text is doubled. (char(3) marks the places first: json_quote escapes control
    # characters, so it occurs nowhere else.)
    json_view = """
        CREATE VIEW json_fragments_v AS SELECT
            c.id AS claim_id,
            '"id":' || c.id || ',"start":' || c.start || ',"end":' || c."end"
                || ',"quote":' || json_quote(c.quote) || ',"text":' || json_quote(c.text)
                AS head,
            ',"checkworthy":' || CASE WHEN c.checkworthy THEN 'true' ELSE 'false' END
                || ',"dismissed":' || CASE WHEN c.dismissed THEN 'true' ELSE 'false' END
                || ',"origin":' || json_quote(c.origin) || ',"created_at":'
                || json_quote(c.created_at) || ',"updated_at":' || json_quote(c.updated_at)
                AS middle,
            (SELECT json_group_array(v.rating) FROM (SELECT rating FROM verdicts v
                WHERE v.claim_id = c.id ORDER BY v.created_at, v.id) v) AS ratings,
            f.rating AS final_rating,
            replace(replace((SELECT CASE WHEN max(missing) THEN NULL ELSE
                ',"verdicts":[' || coalesce(group_concat(vp, ','), '') || ']' END
             FROM (SELECT v.rationale_html IS NULL AS missing,
                     '{"reviewer":' || json_quote(u.username) || ',"rating":'
                     || json_quote(v.rating) || char(3)
                     || ',"rationale":' || json_quote(v.rationale) || ',"rationale_html":'
                     || json_quote(coalesce(v.rationale_html, '')) || ',"created_at":'
                     || json_quote(v.created_at) || ',"updated_at":' || json_quote(v.updated_at)
                     || ',"sources":[' || coalesce((SELECT group_concat(sp, ',') FROM (
                         SELECT '{"url":' || json_quote(s.url) || ',"title":'
                             || json_quote(s.title) || ',"publisher":' || json_quote(s.publisher)
                             || ',"excerpt":' || json_quote(s.excerpt) || ',"stance":'
                             || json_quote(s.stance) || ',"accessed":' || json_quote(s.accessed)
                             || '}' AS sp
                         FROM sources s WHERE s.verdict_id = v.id ORDER BY s.position, s.id)),
                         '') || ']}' AS vp
                   FROM verdicts v LEFT JOIN users u ON u.id = v.user_id
                   WHERE v.claim_id = c.id ORDER BY v.created_at, v.id))
            || ',"final":' || CASE WHEN f.claim_id IS NULL THEN 'null' ELSE
                '{"rating":' || json_quote(f.rating) || ',"reason":' || json_quote(f.reason)
                || ',"decided_at":' || json_quote(f.updated_at) || ',"decided_by":'
                || json_quote((SELECT username FROM users WHERE id = f.decided_by))
                || char(3) || '}' END
            || ',"corrections":' || coalesce((SELECT '[' || group_concat(cp, ',') || ']' FROM (
                SELECT '{"before_rating":' || json_quote(x.before_rating) || ',"after_rating":'
                    || json_quote(x.after_rating) || ',"note":' || json_quote(x.note) || ',"by":'
                    || json_quote((SELECT username FROM users WHERE id = x.user_id))
                    || ',"created_at":' || json_quote(x.at) || '}' AS cp
                FROM corrections x WHERE x.claim_id = c.id ORDER BY x.id)), '[]'),
                '%', '%%'), char(3), '%s') AS tail
        FROM claims c LEFT JOIN final_verdicts f ON f.claim_id = c.id;
    """
    return csv_view + json_view


def _m005_triggers() -> str:
    """Triggers that mark a claim's fragments stale after every write, whatever writes."""
    mark = "INSERT OR IGNORE INTO fragments_stale (claim_id) VALUES ({id});"
    # table -> the claim id of a row of it, as an SQL expression over NEW/OLD
    claim_of = {
        "claims": "{row}.id",
        "verdicts": "{row}.claim_id",
        "final_verdicts": "{row}.claim_id",
        "corrections": "{row}.claim_id",
        "sources": "(SELECT claim_id FROM verdicts WHERE id = {row}.verdict_id)",
    }
    script = []
    for table, expr in claim_of.items():
        new, old = expr.format(row="NEW"), expr.format(row="OLD")
        script.append(
            f"CREATE TRIGGER {table}_fragments_insert AFTER INSERT ON {table}"
            f" BEGIN {mark.format(id=new)} END;"
        )
        script.append(
            f"CREATE TRIGGER {table}_fragments_update AFTER UPDATE ON {table}"
            f" BEGIN {mark.format(id=new)} END;"
        )
        if table != "claims":  # (a claim never changes its id)
            script.append(
                f"CREATE TRIGGER {table}_fragments_move AFTER UPDATE ON {table}"
                f" WHEN {new} IS NOT {old} BEGIN {mark.format(id=old)} END;"
            )
        script.append(
            f"CREATE TRIGGER {table}_fragments_delete AFTER DELETE ON {table}"
            f" BEGIN {mark.format(id=old)} END;"
        )
    script.append(
        "CREATE TRIGGER users_fragments_rename AFTER UPDATE OF username ON users"
        " WHEN NEW.username IS NOT OLD.username BEGIN"
        " INSERT OR IGNORE INTO fragments_stale (claim_id)"
        " SELECT claim_id FROM verdicts WHERE user_id = NEW.id"
        " UNION SELECT claim_id FROM final_verdicts WHERE decided_by = NEW.id"
        " UNION SELECT claim_id FROM corrections WHERE user_id = NEW.id; END;"
    )
    return "\n".join(script)


@migrations()
def m005_export_fragments(db: Database) -> None:
    """Each claim's export text, stored, so that the CSV, JSON and JSONL exports read it with
    one keyset scan instead of building it per claim from verdicts and sources.

    ``csv_fragments`` and ``json_fragments`` hold, per claim, what the views of the same name
    with ``_v`` compute; everything that depends on the configured rating scale (labels,
    values, agreement) is left to the renderers (see :mod:`factcheck.store.exports`).
    Triggers on every table the fragments read put the claim of each written row into
    ``fragments_stale`` (whatever writes: store, import, plain SQL); the store's transactions
    rebuild the stale fragments before they commit (:func:`factcheck.store.refresh_fragments`),
    and the exports read a claim that is still stale (written outside the store) the slow way,
    as they do a claim whose ``json_fragments.tail`` is NULL (a verdict without stored
    rationale HTML).
    """
    _execute_statements(
        db,
        """
        CREATE TABLE csv_fragments (
            claim_id INTEGER PRIMARY KEY,
            head TEXT NOT NULL,
            middle TEXT NOT NULL,
            final_rating TEXT,
            final TEXT,
            reviewers TEXT,
            rationales TEXT NOT NULL,
            sources TEXT NOT NULL
        );
        CREATE TABLE json_fragments (
            claim_id INTEGER PRIMARY KEY,
            head TEXT NOT NULL,
            middle TEXT NOT NULL,
            ratings TEXT NOT NULL,
            final_rating TEXT,
            tail TEXT
        );
        CREATE TABLE fragments_stale (claim_id INTEGER PRIMARY KEY);
        """
        + _m005_views()
        + _m005_triggers()
        + """
        INSERT INTO csv_fragments SELECT * FROM csv_fragments_v;
        INSERT INTO json_fragments SELECT * FROM json_fragments_v;
        """,
    )


@migrations()
def m006_rationale_html_code(db: Database) -> None:
    """Rationale HTML with code, rendered again: :func:`factcheck.sanitize.render_markdown`
    escaped the text of code spans and blocks twice (``a && b`` came out as
    ``a &amp;amp;&amp;amp; b``). Only HTML with code changed, so only verdicts whose stored
    HTML has a ``code`` element are rendered again (in Python, here); their claims' export
    fragments are then rebuilt by :func:`rebuild_stale_fragments` (the update
    fires m005's triggers, which mark them stale). ``version`` and ``updated_at`` stay: the
    reviewer's text did not change.
    """
    conn = db.conn
    rows = conn.execute(
        "SELECT id, rationale FROM verdicts WHERE rationale_html LIKE '%<code%'"
    ).fetchall()
    conn.executemany(
        "UPDATE verdicts SET rationale_html = ? WHERE id = ?",
        [(str(sanitize.render_markdown(rationale)), id_) for id_, rationale in rows],
    )
    rebuild_stale_fragments(conn)


def rebuild_stale_fragments(conn: sqlite3.Connection) -> None:
    """Rebuild the export fragments (m005) of the claims in ``fragments_stale`` from their
    views, in the open transaction, and empty ``fragments_stale``."""
    stale = "claim_id IN (SELECT claim_id FROM fragments_stale)"
    for table in ("csv_fragments", "json_fragments"):
        conn.execute(f"DELETE FROM {table} WHERE {stale}")  # noqa: S608
        conn.execute(f"INSERT INTO {table} SELECT * FROM {table}_v WHERE {stale}")  # noqa: S608
    conn.execute("DELETE FROM fragments_stale")


# The claims' full-text index (m007): tokenizer, and the triggers that keep it in step.
CLAIMS_FTS_TOKENIZE = "porter unicode61 remove_diacritics 2"


@migrations()
def m007_claims_fts(db: Database) -> None:
    """A full-text index of every claim's wording (``text``) and ``quote``: the FTS5 table
    ``claims_fts`` whose rowid is the claim's id, for the claim search and "earlier checks
    of similar claims" (:mod:`factcheck.search`).

    Words are matched without accents or case (``unicode61 remove_diacritics 2``) and by
    their English stem (``porter``: "households" finds "household"). The table keeps its own
    copy of the two columns, so that triggers can drop a claim's entry by rowid alone: they
    keep it in step with every insert, rewording and deletion, whatever writes (store,
    import, plain SQL; an ``INSERT OR REPLACE`` fires no delete trigger, but its conflict
    rule carries over to the trigger's insert, which then replaces the entry).
    Dismissed claims stay indexed (restoring one needs no re-indexing); searches leave them
    out.
    """
    drop = "DELETE FROM claims_fts WHERE rowid = OLD.id;"
    add = "INSERT INTO claims_fts (rowid, text, quote) VALUES (NEW.id, NEW.text, NEW.quote);"
    _execute_statements(
        db,
        f"""
        CREATE VIRTUAL TABLE claims_fts USING fts5(
            text, quote, tokenize = '{CLAIMS_FTS_TOKENIZE}'
        );
        CREATE TRIGGER claims_fts_insert AFTER INSERT ON claims BEGIN {add} END;
        CREATE TRIGGER claims_fts_update AFTER UPDATE OF id, text, quote ON claims
        BEGIN {drop} {add} END;
        CREATE TRIGGER claims_fts_delete AFTER DELETE ON claims
        BEGIN {drop} END;
        INSERT INTO claims_fts (rowid, text, quote) SELECT id, text, quote FROM claims;
        """,
    )


def _m008_views() -> str:
    """The views ``csv_fragments_v`` and ``json_fragments_v`` as m008 defines them: m005's,
    with the claimant and the wording's source in the ``middle`` fragments (CSV: the cells
    ``claimant``, ``claimant_kind`` and ``wording_source`` after ``origin``; JSON: the keys
    ``claimant``, ``claimant_kind``, ``claimant_start``, ``claimant_end``, ``wording_source``
    and ``wording_spans`` after ``"origin"``)."""
    q = _csv_cell
    views = _m005_views()
    csv_old = "|| {origin} AS middle,".format(origin=q("c.origin"))
    csv_new = (
        "|| {origin} || ',' || coalesce({claimant}, '') || ','"
        " || coalesce(c.claimant_kind, '') || ',' || c.wording_source AS middle,"
    ).format(origin=q("c.origin"), claimant=q("c.claimant"))
    json_old = "|| ',\"origin\":' || json_quote(c.origin) || ',\"created_at\":'"
    json_new = (
        "|| ',\"origin\":' || json_quote(c.origin)"
        " || ',\"claimant\":' || json_quote(c.claimant)"
        " || ',\"claimant_kind\":' || json_quote(c.claimant_kind)"
        " || ',\"claimant_start\":' || coalesce(c.claimant_start, 'null')"
        " || ',\"claimant_end\":' || coalesce(c.claimant_end, 'null')"
        " || ',\"wording_source\":' || json_quote(c.wording_source)"
        " || ',\"wording_spans\":' || json(c.wording_spans)"
        " || ',\"created_at\":'"
    )
    if views.count(csv_old) != 1 or views.count(json_old) != 1:
        raise AssertionError("m005's views changed: m008 cannot extend them")
    return views.replace(csv_old, csv_new).replace(json_old, json_new)


@migrations()
def m008_claim_claimant(db: Database) -> None:
    """Who made each claim, and where its wording comes from.

    ``claimant`` is the named speaker or source of an attributed claim (the resolved name
    where the sentence says "he" or a title); NULL means the article states it in its own
    voice, i.e. the publication. ``claimant_start``/``claimant_end`` are the article offsets
    of the name's mention (NULL when not known); ``claimant_kind`` is ``person``,
    ``organization`` or NULL. ``wording_source`` says how the wording was made:
    ``rewritten`` (by the extractor from the spans in ``wording_spans``, a JSON list of
    ``[start, end]`` article offsets), ``quote`` (the passage itself, tidied: check it) or
    ``edited`` (by hand).

    Existing claims: none has a known claimant (NULL, shown as the publication's until someone
    sets it). A claim whose wording someone typed or edited is ``edited``: a manual claim
    whose wording differs from its quote, and any claim with an ``edit`` in the audit log; a
    manual claim worded as its passage is ``quote``; every other extracted claim stays
    ``rewritten`` (what the extractor did before), with no spans recorded.

    The export fragments' views (m005) are redefined with the new fields, and every claim's
    fragments rebuilt.
    """
    _execute_statements(
        db,
        """
        ALTER TABLE claims ADD COLUMN claimant TEXT;
        ALTER TABLE claims ADD COLUMN claimant_start INTEGER;
        ALTER TABLE claims ADD COLUMN claimant_end INTEGER;
        ALTER TABLE claims ADD COLUMN claimant_kind TEXT
            CHECK (claimant_kind IN ('person', 'organization'));
        ALTER TABLE claims ADD COLUMN wording_source TEXT NOT NULL DEFAULT 'rewritten'
            CHECK (wording_source IN ('rewritten', 'quote', 'edited'));
        ALTER TABLE claims ADD COLUMN wording_spans TEXT NOT NULL DEFAULT '[]';
        UPDATE claims SET wording_source = CASE
            WHEN id IN (SELECT claim_id FROM audit_log WHERE table_name = 'claims'
                        AND action = 'edit' AND claim_id IS NOT NULL) THEN 'edited'
            WHEN origin = 'manual' AND text <> quote THEN 'edited'
            WHEN origin = 'manual' THEN 'quote'
            ELSE 'rewritten' END;
        DROP VIEW csv_fragments_v;
        DROP VIEW json_fragments_v;
        """
        + _m008_views()
        + """
        DELETE FROM csv_fragments;
        DELETE FROM json_fragments;
        INSERT INTO csv_fragments SELECT * FROM csv_fragments_v;
        INSERT INTO json_fragments SELECT * FROM json_fragments_v;
        DELETE FROM fragments_stale;
        """,
    )


@migrations()
def m009_published_versions(db: Database) -> None:
    """The published record: what the public pages, the public JSON-LD and "published"
    exports show is an immutable published version of each claim, written only by
    :mod:`factcheck.store.publish`.

    ``published_claims`` holds one row per version of a published claim (``version`` 1, 2,
    ...): what was public from ``published_at`` on (wording, quote and its offsets, claimant,
    final rating and reason, the sources as published with their reviewer, the article's
    title, address, publisher, author and date as JSON), the ``note`` of the correction or
    withdrawal that made it (required from version 2 on) and its ``changes``
    (``{field: {"before", "after"}}``). A ``withdrawn`` version keeps the content that was
    withdrawn. ``article_publications`` records each publication and withdrawal of an
    article (a withdrawal needs a note), with the article's details at that moment. Triggers
    refuse to update or delete a row of either table. ``corrections`` (m002) gains the version
    a correction published (NULL: a correction made before m009).

    Articles published before this migration get version 1 of each settled claim (final
    verdict, not dismissed) from the current state, dated with the article's publication.
    """
    immutable = []
    for table in ("published_claims", "article_publications"):
        for event in ("UPDATE", "DELETE"):
            immutable.append(
                f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table}"
                f" BEGIN SELECT RAISE(ABORT, '{table} rows are immutable'); END;"
            )
    columns = {row[1] for row in db.conn.execute("PRAGMA table_info(claims)")}
    claimant = "c.claimant" if "claimant" in columns else "NULL"
    claimant_kind = "c.claimant_kind" if "claimant_kind" in columns else "NULL"
    article_json = (
        "json_object('title', a.title, 'url', a.url, 'publisher', a.publisher,"
        " 'author', a.author, 'published', a.published)"
    )
    # The sources of the verdicts agreeing with the final one (of all verdicts when none
    # agrees), each URL once (the first), in the verdicts' order.
    sources_json = """
        coalesce((SELECT json_group_array(json(sj)) FROM (
            SELECT sj FROM (
                SELECT json_object('url', s.url, 'title', s.title, 'publisher', s.publisher,
                    'excerpt', s.excerpt, 'stance', s.stance, 'accessed', s.accessed,
                    'reviewer', u.username) AS sj,
                    row_number() OVER (ORDER BY v.created_at, v.id, s.position, s.id) AS n,
                    row_number() OVER (PARTITION BY s.url
                        ORDER BY v.created_at, v.id, s.position, s.id) AS k
                FROM verdicts v JOIN sources s ON s.verdict_id = v.id
                LEFT JOIN users u ON u.id = v.user_id
                WHERE v.claim_id = c.id AND (v.rating = f.rating OR NOT EXISTS (
                    SELECT 1 FROM verdicts w WHERE w.claim_id = c.id AND w.rating = f.rating)))
            WHERE k = 1 OR json_extract(sj, '$.url') = '' ORDER BY n)), '[]')
    """
    _execute_statements(
        db,
        f"""
        CREATE TABLE published_claims (
            id INTEGER PRIMARY KEY,
            claim_id INTEGER NOT NULL REFERENCES claims(id),
            article_id INTEGER NOT NULL REFERENCES articles(id),
            version INTEGER NOT NULL CHECK (version >= 1),
            status TEXT NOT NULL CHECK (status IN ('published', 'withdrawn')),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            quote TEXT NOT NULL,
            text TEXT NOT NULL,
            claimant TEXT,
            claimant_kind TEXT,
            rating TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            sources TEXT NOT NULL DEFAULT '[]',
            article TEXT NOT NULL DEFAULT '{{}}',
            note TEXT,
            changes TEXT NOT NULL DEFAULT '{{}}',
            published_at TEXT NOT NULL,
            published_by INTEGER REFERENCES users(id),
            UNIQUE (claim_id, version),
            CHECK (version = 1 OR trim(coalesce(note, '')) <> '')
        );
        CREATE INDEX published_claims_article ON published_claims(article_id, claim_id, version);
        CREATE TABLE article_publications (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            action TEXT NOT NULL CHECK (action IN ('publish', 'unpublish')),
            note TEXT,
            article TEXT NOT NULL DEFAULT '{{}}',
            at TEXT NOT NULL,
            user_id INTEGER REFERENCES users(id),
            CHECK (action = 'publish' OR trim(coalesce(note, '')) <> '')
        );
        CREATE INDEX article_publications_article ON article_publications(article_id, id);
        ALTER TABLE corrections ADD COLUMN published_claim_id INTEGER
            REFERENCES published_claims(id);
        INSERT INTO published_claims (claim_id, article_id, version, status, start, "end",
            quote, text, claimant, claimant_kind, rating, reason, sources, article,
            published_at, published_by)
        SELECT c.id, c.article_id, 1, 'published', c.start, c."end", c.quote, c.text,
            {claimant}, {claimant_kind}, f.rating, f.reason, {sources_json}, {article_json},
            a.published_at, a.published_by
        FROM claims c JOIN articles a ON a.id = c.article_id
        JOIN final_verdicts f ON f.claim_id = c.id
        WHERE a.published_at IS NOT NULL AND NOT c.dismissed
        ORDER BY c.article_id, c.start, c.id;
        INSERT INTO article_publications (article_id, action, article, at, user_id)
        SELECT a.id, 'publish', {article_json}, a.published_at, a.published_by
        FROM articles a WHERE a.published_at IS NOT NULL ORDER BY a.id;
        """
        + "\n".join(immutable),
    )


@migrations()
def m010_claim_proposals(db: Database) -> None:
    """Reviewers' proposals to change a claim: a new wording, a dismissal, a restore or a
    new claimant (:mod:`factcheck.store.proposals`). An editor accepts or rejects each one.

    ``base_version`` and ``base_text`` are the claim's version and wording the proposal was
    made on (accepting applies it to that version: a claim changed since is a conflict);
    ``text`` is the proposed wording (``kind`` 'wording' only), ``claimant``/``claimant_kind``
    the proposed claimant (``kind`` 'claimant'; NULL: the publication) over ``base_claimant``/
    ``base_claimant_kind``. A user has at most one open
    proposal on a claim (a new one replaces it); decided and withdrawn ones stay as the record.
    """
    _execute_statements(
        db,
        """
        CREATE TABLE claim_proposals (
            id INTEGER PRIMARY KEY,
            claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES users(id),
            kind TEXT NOT NULL CHECK (kind IN ('wording', 'dismiss', 'restore', 'claimant')),
            text TEXT,
            base_text TEXT NOT NULL,
            claimant TEXT,
            claimant_kind TEXT,
            base_claimant TEXT,
            base_claimant_kind TEXT,
            base_version INTEGER NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'accepted', 'rejected', 'withdrawn')),
            decided_by INTEGER REFERENCES users(id),
            decided_at TEXT,
            note TEXT NOT NULL DEFAULT '',
            version INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK ((kind = 'wording') = (text IS NOT NULL))
        );
        CREATE UNIQUE INDEX claim_proposals_open_one ON claim_proposals(claim_id, user_id)
            WHERE status = 'open';
        CREATE INDEX claim_proposals_status ON claim_proposals(status, id);
        """,
    )


def _csv_cell_lines(expr: str) -> str:
    """SQL of a text expression as a CSV cell (m011): formula-neutralised as by
    :func:`_csv_cell`, then every line break as ``\\n`` (``\\r\\n`` and ``\\r`` become ``\\n``:
    the cells' one convention), then quoted as :mod:`csv` writes it."""
    neutral = (
        f"CASE WHEN substr({expr}, 1, 1) IN ('=', '+', '-', '@', char(9), char(13))"
        f" THEN '''' || {expr} ELSE {expr} END"
    )
    lines = f"replace(replace({neutral}, char(13) || char(10), char(10)), char(13), char(10))"
    return (
        f"CASE WHEN instr({lines}, '\"') OR instr({lines}, ',') OR instr({lines}, char(10))"
        f" THEN '\"' || replace({lines}, '\"', '\"\"') || '\"' ELSE {lines} END"
    )


def _m011_csv_view() -> str:
    """The view ``csv_fragments_v`` as m011 defines it: m008's (m005's with the claimant's
    cells), with every text cell's line breaks as ``\\n`` (:func:`_csv_cell_lines`) and the
    sources cell holding one source a line, ``reviewer: stance | title | publisher | url |
    excerpt`` (each verdict's sources in order, none left out; see
    :func:`factcheck.export.csv_export.source_line`)."""
    from .store.exports import CSV_SOURCE_LINE

    q = _csv_cell_lines
    rationales = (
        "group_concat(CASE WHEN rationale <> '' THEN coalesce(username, 'None') || ': '"
        " || rationale END, char(10, 10))"
    )
    source_lines = f"""
        SELECT coalesce(u.username, 'None') || ': ' || {CSV_SOURCE_LINE} AS line
        FROM verdicts v JOIN sources s ON s.verdict_id = v.id
        LEFT JOIN users u ON u.id = v.user_id WHERE v.claim_id = c.id
        ORDER BY v.created_at, v.id, s.position, s.id
    """
    return f"""
        CREATE VIEW csv_fragments_v AS SELECT
            c.id AS claim_id,
            c.id || ',' || c.start || ',' || c."end" || ',' || {q("c.quote")} || ','
                || {q("c.text")} || ','
                || coalesce((SELECT {q("group_concat(value, ';')")} FROM json_each(c.kind)), '')
                AS head,
            CASE WHEN c.checkworthy THEN 'true' ELSE 'false' END
                || CASE WHEN c.dismissed THEN ',true,' ELSE ',false,' END
                || {q("c.origin")} || ',' || coalesce({q("c.claimant")}, '') || ','
                || coalesce(c.claimant_kind, '') || ',' || c.wording_source AS middle,
            f.rating AS final_rating,
            CASE WHEN f.claim_id IS NOT NULL THEN {q("f.reason")} || ','
                || coalesce((SELECT {q("username")} FROM users WHERE id = f.decided_by), '')
                || ',' || {q("f.updated_at")} END AS final,
            (SELECT group_concat(user_id, ',') || json_group_array(rating)
             FROM (SELECT v.user_id, v.rating FROM verdicts v WHERE v.claim_id = c.id
                   ORDER BY v.created_at, v.id)) AS reviewers,
            (SELECT coalesce({q(rationales)}, '')
             FROM (SELECT v.rationale, u.username FROM verdicts v
                   LEFT JOIN users u ON u.id = v.user_id WHERE v.claim_id = c.id
                   ORDER BY v.created_at, v.id)) AS rationales,
            (SELECT coalesce({q("group_concat(line, char(10))")}, '') FROM ({source_lines}))
                AS sources
        FROM claims c LEFT JOIN final_verdicts f ON f.claim_id = c.id;
    """


@migrations()
def m011_csv_sources(db: Database) -> None:
    """The CSV export's sources and line breaks (the view ``csv_fragments_v``, see
    :func:`_m011_csv_view`): each source on a line of its own with its reviewer, stance,
    title, publisher, address and excerpt; every line break inside a cell as ``\\n``. Every
    claim's CSV fragments are rebuilt."""
    _execute_statements(
        db,
        "DROP VIEW csv_fragments_v;"
        + _m011_csv_view()
        + """
        DELETE FROM csv_fragments;
        INSERT INTO csv_fragments SELECT * FROM csv_fragments_v;
        """,
    )


@migrations()
def m012_discussion(db: Database) -> None:
    """Talking about claims (:mod:`factcheck.store.discussion`): comments, hand-backs of
    verdicts, the inbox, and an optional e-mail address for each user.

    ``comments``: one thread per claim; ``body`` is the author's Markdown, ``body_html`` its
    sanitised HTML (:func:`factcheck.sanitize.render_markdown`); ``kind`` 'return' is the
    comment an editor gave when returning a verdict. ``verdict_returns``: an editor sent a
    reviewer's verdict back (``comment_id``: the reason); open while ``resolved_at`` is NULL,
    resolved by the reviewer's next save (in that save's transaction). An open return makes
    the verdict not current: agreement and the disagreement queue leave it out. At most one
    open return per verdict. ``inbox_items``: what concerns one user (mentions, returned
    verdicts, assignments, proposals to decide ...), read state per user in ``read_at``;
    ``mailed_at``: when it was sent by e-mail (or claimed for sending).
    """
    _execute_statements(
        db,
        """
        CREATE TABLE comments (
            id INTEGER PRIMARY KEY,
            claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES users(id),
            kind TEXT NOT NULL DEFAULT 'comment' CHECK (kind IN ('comment', 'return')),
            body TEXT NOT NULL,
            body_html TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX comments_claim ON comments(claim_id, id);
        CREATE TABLE verdict_returns (
            id INTEGER PRIMARY KEY,
            verdict_id INTEGER NOT NULL REFERENCES verdicts(id) ON DELETE CASCADE,
            claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
            reviewer_id INTEGER NOT NULL REFERENCES users(id),
            returned_by INTEGER REFERENCES users(id),
            comment_id INTEGER REFERENCES comments(id),
            created_at TEXT NOT NULL,
            resolved_at TEXT
        );
        CREATE UNIQUE INDEX verdict_returns_open_one ON verdict_returns(verdict_id)
            WHERE resolved_at IS NULL;
        CREATE INDEX verdict_returns_claim ON verdict_returns(claim_id, reviewer_id);
        CREATE INDEX verdict_returns_reviewer ON verdict_returns(reviewer_id)
            WHERE resolved_at IS NULL;
        CREATE TABLE inbox_items (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id),
            kind TEXT NOT NULL,
            subject_url TEXT NOT NULL,
            text TEXT NOT NULL,
            actor_id INTEGER REFERENCES users(id),
            created_at TEXT NOT NULL,
            read_at TEXT,
            mailed_at TEXT
        );
        CREATE INDEX inbox_user ON inbox_items(user_id, id);
        CREATE INDEX inbox_unread ON inbox_items(user_id) WHERE read_at IS NULL;
        CREATE INDEX inbox_unmailed ON inbox_items(created_at) WHERE mailed_at IS NULL;
        ALTER TABLE users ADD COLUMN email TEXT;
        """,
    )


@migrations()
def m013_url_imports(db: Database) -> None:
    """Imports from a web address, run as background jobs (:mod:`factcheck.store.url_imports`):
    the address typed, who asked, the state ('queued' -> 'fetching' -> 'done' or 'failed'),
    the error shown to the user, and the article made (or found already stored: ``duplicate``).
    The rows still queued or fetching are what ``FETCH_MAX_CONCURRENT`` and
    ``FETCH_MAX_PER_USER`` count."""
    _execute_statements(
        db,
        """
        CREATE TABLE url_imports (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL,
            user_id INTEGER REFERENCES users(id),
            state TEXT NOT NULL DEFAULT 'queued'
                CHECK (state IN ('queued', 'fetching', 'done', 'failed')),
            error TEXT,
            article_id INTEGER REFERENCES articles(id),
            duplicate INTEGER NOT NULL DEFAULT 0,
            claims INTEGER,
            notices TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL,
            started_at TEXT,
            finished_at TEXT
        );
        CREATE INDEX url_imports_running ON url_imports(state, user_id)
            WHERE state IN ('queued', 'fetching');
        """,
    )


@migrations()
def m014_import_batches(db: Database) -> None:
    """Bulk imports (:mod:`factcheck.store.batches`): a batch's articles are stored at once and
    their claims extracted afterwards by background jobs. ``articles.extraction`` is
    'extracting' until the article's claims are in (then NULL), or 'failed' with
    ``extraction_error``; ``articles.batch_id`` names the batch that brought the article."""
    _execute_statements(
        db,
        """
        CREATE TABLE import_batches (
            id INTEGER PRIMARY KEY,
            user_id INTEGER REFERENCES users(id),
            source TEXT NOT NULL,
            total INTEGER NOT NULL DEFAULT 0,
            duplicates INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );
        ALTER TABLE articles ADD COLUMN extraction TEXT
            CHECK (extraction IN ('extracting', 'failed'));
        ALTER TABLE articles ADD COLUMN extraction_error TEXT;
        ALTER TABLE articles ADD COLUMN batch_id INTEGER REFERENCES import_batches(id);
        CREATE INDEX articles_batch ON articles(batch_id, extraction) WHERE batch_id IS NOT NULL;
        CREATE INDEX articles_extracting ON articles(extraction) WHERE extraction IS NOT NULL;
        """,
    )


@migrations()
def m015_sources_library(db: Database) -> None:
    """The sources library and its archives (:mod:`factcheck.store.evidence`).

    ``source_records`` holds one record per normalised source address (however many verdicts
    cite it): its title and publisher as first cited, its archiving ``state`` (``pending``:
    queued; ``archiving``; ``archived``; ``failed`` with ``reason``), the ``archive_id`` of
    its latest archive, and the last link check (``link_status`` ``alive`` / ``changed`` /
    ``gone`` / ``unreachable``, when, why). ``source_archives`` keeps each capture: the
    address asked for and the final one, fetch time, HTTP status, content type, SHA-256 and
    size of the body, the extracted text; its WARC record (gzip) is in ``source_warcs``, so
    that a one-file backup of the database keeps it (``origin`` ``import``: the details came
    from an export, without the WARC or text). ``excerpt_checks`` says whether an excerpt
    is in an archive (``found`` / ``close`` with a percent ``score`` / ``not_found``, and
    where). Each cited source (``sources``) gains its ``record_id`` and the ``archive_id`` of
    the archive that was current when it was cited.

    Triggers mark the export fragments (m005) of every claim citing a record stale when the
    record or an excerpt check of it changes.
    """
    _execute_statements(
        db,
        """
        CREATE TABLE source_records (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL DEFAULT '',
            publisher TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'archiving', 'archived', 'failed')),
            reason TEXT NOT NULL DEFAULT '',
            attempts INTEGER NOT NULL DEFAULT 0,
            archive_id INTEGER REFERENCES source_archives(id),
            link_status TEXT CHECK (link_status IN ('alive', 'changed', 'gone', 'unreachable')),
            link_checked_at TEXT,
            link_reason TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX source_records_state ON source_records(state, id);
        CREATE TABLE source_archives (
            id INTEGER PRIMARY KEY,
            record_id INTEGER NOT NULL REFERENCES source_records(id),
            requested_url TEXT NOT NULL,
            final_url TEXT NOT NULL,
            fetched_at TEXT NOT NULL,
            http_status INTEGER,
            content_type TEXT NOT NULL DEFAULT '',
            sha256 TEXT NOT NULL,
            size INTEGER,
            title TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL DEFAULT '',
            text_sha256 TEXT NOT NULL DEFAULT '',
            origin TEXT NOT NULL DEFAULT 'fetch' CHECK (origin IN ('fetch', 'import'))
        );
        CREATE INDEX source_archives_record ON source_archives(record_id, id);
        CREATE TABLE source_warcs (
            archive_id INTEGER PRIMARY KEY REFERENCES source_archives(id),
            warc BLOB NOT NULL
        );
        CREATE TABLE excerpt_checks (
            id INTEGER PRIMARY KEY,
            archive_id INTEGER NOT NULL REFERENCES source_archives(id),
            excerpt TEXT NOT NULL,
            result TEXT NOT NULL CHECK (result IN ('found', 'close', 'not_found')),
            score INTEGER NOT NULL,
            start INTEGER,
            "end" INTEGER,
            checked_at TEXT NOT NULL,
            UNIQUE (archive_id, excerpt)
        );
        ALTER TABLE sources ADD COLUMN record_id INTEGER REFERENCES source_records(id);
        ALTER TABLE sources ADD COLUMN archive_id INTEGER REFERENCES source_archives(id);
        CREATE INDEX sources_record ON sources(record_id);
        CREATE INDEX sources_archive ON sources(archive_id);
        CREATE TRIGGER source_records_fragments AFTER UPDATE ON source_records BEGIN
            INSERT OR IGNORE INTO fragments_stale (claim_id)
            SELECT v.claim_id FROM sources s JOIN verdicts v ON v.id = s.verdict_id
            WHERE s.record_id = NEW.id;
        END;
        CREATE TRIGGER excerpt_checks_fragments_insert AFTER INSERT ON excerpt_checks BEGIN
            INSERT OR IGNORE INTO fragments_stale (claim_id)
            SELECT v.claim_id FROM sources s JOIN verdicts v ON v.id = s.verdict_id
            WHERE s.archive_id = NEW.archive_id AND s.excerpt = NEW.excerpt;
        END;
        CREATE TRIGGER excerpt_checks_fragments_update AFTER UPDATE ON excerpt_checks BEGIN
            INSERT OR IGNORE INTO fragments_stale (claim_id)
            SELECT v.claim_id FROM sources s JOIN verdicts v ON v.id = s.verdict_id
            WHERE s.archive_id = NEW.archive_id AND s.excerpt = NEW.excerpt;
        END;
        """,
    )


def _m016_views() -> str:
    """The views ``csv_fragments_v`` and ``json_fragments_v`` as m016 defines them: each
    cited source with its archive (:mod:`factcheck.store.evidence`). JSON: m008's view, each
    source object ending in ``"archive": {...}`` (``ARCHIVE_JSON_SQL``); CSV: m011's view,
    each source's line ending in `` | `` and its archive in one line (``ARCHIVE_CELL_SQL``,
    line breaks as spaces)."""
    from .store.evidence import ARCHIVE_CELL_SQL, ARCHIVE_JSON_SQL
    from .store.exports import CSV_SOURCE_LINE, _flat_sql

    views = _m008_views()
    json_view = views[views.index("CREATE VIEW json_fragments_v") :]
    json_old = (
        "|| json_quote(s.stance) || ',\"accessed\":' || json_quote(s.accessed)\n"
        "                             || '}' AS sp"
    )
    json_new = (
        "|| json_quote(s.stance) || ',\"accessed\":' || json_quote(s.accessed)\n"
        f"                             || ',\"archive\":' || {ARCHIVE_JSON_SQL} || '}}' AS sp"
    )
    csv_view = _m011_csv_view()
    csv_old = f"coalesce(u.username, 'None') || ': ' || {CSV_SOURCE_LINE} AS line"
    csv_new = (
        f"coalesce(u.username, 'None') || ': ' || {CSV_SOURCE_LINE} || ' | ' ||"
        f" {_flat_sql(ARCHIVE_CELL_SQL)} AS line"
    )
    if json_view.count(json_old) != 1 or csv_view.count(csv_old) != 1:
        raise AssertionError("m008's or m011's views changed: m016 cannot extend them")
    return csv_view.replace(csv_old, csv_new) + json_view.replace(json_old, json_new)


@migrations()
def m016_export_archives(db: Database) -> None:
    """The exports carry each cited source's archive (m015): the export fragments' views
    (m005) are redefined (see :func:`_m016_views`) and every claim's fragments rebuilt."""
    _execute_statements(
        db,
        "DROP VIEW csv_fragments_v;\nDROP VIEW json_fragments_v;\n"
        + _m016_views()
        + """
        DELETE FROM csv_fragments;
        DELETE FROM json_fragments;
        INSERT INTO csv_fragments SELECT * FROM csv_fragments_v;
        INSERT INTO json_fragments SELECT * FROM json_fragments_v;
        DELETE FROM fragments_stale;
        """,
    )


def _m017_views() -> str:
    """The view ``json_fragments_v`` as m017 defines it: m016's, each verdict object ending in
    ``"status":"current","returned":null`` (an export marks a verdict an editor handed back as
    ``"status":"returned"`` with the reason: such claims are never read from their fragments,
    see :mod:`factcheck.store.exports`, so the fragments hold current verdicts only)."""
    views = _m016_views()
    json_view = views[views.index("CREATE VIEW json_fragments_v") :]
    old = "'') || ']}' AS vp"
    new = '\'\') || \'],"status":"current","returned":null}\' AS vp'
    if json_view.count(old) != 1:
        raise AssertionError("m016's JSON view changed: m017 cannot extend it")
    return json_view.replace(old, new)


@migrations()
def m017_export_returns(db: Database) -> None:
    """The exports mark verdicts returned to their reviewer (m012's ``verdict_returns``): each
    verdict of the JSON exports carries ``status`` (current or returned) and ``returned``
    (the reason, who returned it and when, or null). ``json_fragments_v`` is redefined (see
    :func:`_m017_views`) and every claim's JSON fragment rebuilt; the CSV fragments do not
    change. No trigger is needed on ``verdict_returns``: a claim with an open return is read
    the slow way by every export (what its fragment says of returns is never used)."""
    _execute_statements(
        db,
        "DROP VIEW json_fragments_v;\n"
        + _m017_views()
        + """
        DELETE FROM json_fragments;
        INSERT INTO json_fragments SELECT * FROM json_fragments_v;
        """,
    )
