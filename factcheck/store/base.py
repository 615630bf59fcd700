"""What every store module shares: the store's errors, the write :func:`transaction` and the
read :func:`snapshot`, row helpers and the audit log.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from sqlite_utils import Database

from ..db import read_connection, rebuild_stale_fragments

T = TypeVar("T")


class StoreError(Exception):
    """Base class of the store's errors."""


class NotFound(StoreError):
    """The record does not exist."""


class Invalid(StoreError):
    """The input cannot be stored; the message says why, for the user. ``field`` names the
    form field at fault, when one is (so that the form can show the message beside it)."""

    def __init__(self, message: str = "", field: str | None = None):
        super().__init__(message)
        self.field = field


class Busy(StoreError):
    """The database stayed locked by another writer past the busy timeout."""


class Conflict(StoreError):
    """The record changed since the version the caller read; ``current`` is the newer one."""

    def __init__(self, current: dict[str, Any]):
        super().__init__("record changed since it was read")
        self.current = current


class DuplicateArticle(StoreError):
    """An article with the same body is already stored."""

    def __init__(self, article_id: int):
        super().__init__(f"article {article_id} has the same text")
        self.article_id = article_id


def now() -> str:
    """The current UTC time as an ISO 8601 string with microseconds."""
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="microseconds")


def sha256(text: str) -> str:
    """Hex SHA-256 of ``text`` encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@contextlib.contextmanager
def transaction(db: Database, wait_ms: int | None = None) -> Iterator[Database]:
    """One ``BEGIN IMMEDIATE`` transaction: committed on success, rolled back on error.

    Writers first queue on the database's write lock (:meth:`factcheck.db.WriteLock.begin`:
    a thread lock, an ``flock`` between processes, then ``BEGIN IMMEDIATE``, all within the
    busy timeout; the next writer gets in within a millisecond of a commit, where SQLite's
    busy handler sleeps up to 100 ms). Still waiting after the busy timeout (or ``wait_ms``,
    0 for bookkeeping that never waits): :class:`Busy`."""
    if getattr(db, "factcheck_snapshot", False):
        raise RuntimeError(
            "a write on a read snapshot's connection: write through the request's connection"
        )
    lock = getattr(db, "factcheck_write_lock", None)
    if lock is None:
        with _transaction(db):
            yield db
        return
    if not lock.begin(db.conn, getattr(db, "factcheck_busy_timeout_ms", 5000), wait_ms):
        raise Busy("the database is busy; try again in a moment")
    try:
        with _transaction(db, begun=True):
            yield db
    finally:
        lock.release()


@contextlib.contextmanager
def _transaction(db: Database, begun: bool = False) -> Iterator[Database]:
    conn = db.conn
    try:
        if not begun:
            conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise Busy("the database is busy; try again in a moment") from exc
        raise
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        try:
            refresh_fragments(db)
            conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if "locked" in str(exc) or "busy" in str(exc):
                raise Busy("the database is busy; try again in a moment") from exc
            raise


@contextlib.contextmanager
def snapshot(db: Database) -> Iterator[Database]:
    """One read transaction on a connection of its own: every read through the connection it
    gives sees the database as it was when the snapshot began, whatever commits meanwhile.

    A deferred ``BEGIN`` and a first read fix the snapshot (SQLite's WAL keeps the pages it
    needs); writers on other connections go on without waiting for it. The connection is
    :func:`factcheck.db.read_connection`'s (``query_only``; :func:`transaction` refuses it),
    so ``db`` itself stays free for the caller's writes. The transaction ends when the block
    does, however it ends (an exhausted, closed or collected generator, an exception, a
    client that went away). Given a snapshot's connection, it gives that back unchanged
    (nested reads share the outer snapshot).
    """
    if getattr(db, "factcheck_snapshot", False):
        yield db
        return
    with read_connection(db) as reader:
        conn = reader.conn
        if conn.in_transaction:  # (":memory:": the caller's own transaction is a snapshot)
            yield reader
            return
        conn.execute("BEGIN")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # fixes the snapshot
            reader.factcheck_snapshot = True  # type: ignore[attr-defined]
            yield reader
        finally:
            reader.factcheck_snapshot = False  # type: ignore[attr-defined]
            if conn.in_transaction:
                conn.execute("ROLLBACK")


def in_snapshot(db: Database, make: Callable[[Database], Iterable[T]]) -> Iterator[T]:
    """Lazily, what ``make`` streams from one :func:`snapshot` of ``db``: nothing is read
    before the first item is asked for; the snapshot ends with the stream (exhausted, closed
    early or collected)."""
    with snapshot(db) as snap:
        yield from make(snap)


def refresh_fragments(db: Database) -> None:
    """Rebuild the export fragments of the claims marked stale by the triggers of migration
    m005 (``fragments_stale``), in the open transaction: every store transaction does it
    before it commits, so rows written outside the store are caught up by the next one."""
    conn = db.conn
    try:
        if not conn.execute("SELECT EXISTS (SELECT 1 FROM fragments_stale)").fetchone()[0]:
            return
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return  # (a database before m005: nothing to keep)
        raise
    rebuild_stale_fragments(conn)


def _row(
    db: Database, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()
) -> dict[str, Any] | None:
    row = db.execute(sql, params).fetchone()
    return dict(row) if row is not None else None


def _rows(
    db: Database, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()
) -> list[dict[str, Any]]:
    return [dict(row) for row in db.execute(sql, params).fetchall()]


def _audit(
    db: Database,
    *,
    user_id: int | None,
    action: str,
    table: str,
    row_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    claim_id: int | None = None,
    article_id: int | None = None,
) -> None:
    db.execute(
        "INSERT INTO audit_log (at, user_id, action, table_name, row_id, claim_id, article_id,"
        " before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            now(),
            user_id,
            action,
            table,
            row_id,
            claim_id,
            article_id,
            json.dumps(before, ensure_ascii=False) if before is not None else None,
            json.dumps(after, ensure_ascii=False) if after is not None else None,
        ),
    )
