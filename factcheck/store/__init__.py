"""Every read and write of factcheck's data.

Each user action is one short ``BEGIN IMMEDIATE`` transaction (see :func:`transaction`), so a
writer waits for another (up to the connection's busy timeout) instead of failing half-way.
Editable records carry a ``version``: an update names the version it read, and when another
write got there first nothing is overwritten; :class:`Conflict` carries the newer record.
Every change is written to ``audit_log`` in the same transaction.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlite_utils import Database

from .. import sanitize
from ..db import read_connection, rebuild_stale_fragments

T = TypeVar("T")

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


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


# Users ---------------------------------------------------------------------------------------

ROLES = ("admin", "editor", "reviewer")
_USER_COLUMNS = (
    "id, username, display_name, role, active, session_version, version, created_at, updated_at"
)


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher.hash(password)


def create_user(
    db: Database, username: str, password: str, role: str = "reviewer", display_name: str = ""
) -> dict[str, Any]:
    """Create a user; raise :class:`Invalid` for a bad name, role, password or a taken name."""
    username = username.strip()
    if not username or len(username) > 64 or any(ch.isspace() for ch in username):
        raise Invalid("A username is 1 to 64 characters without spaces.")
    if role not in ROLES:
        raise Invalid(f"Role must be one of {', '.join(ROLES)}.")
    if len(password) < 8:
        raise Invalid("A password has at least 8 characters.")
    stamp = now()
    with transaction(db):
        if _row(db, "SELECT id FROM users WHERE username = ?", (username,)):
            raise Invalid(f"The username {username!r} is taken.")
        cursor = db.execute(
            "INSERT INTO users (username, display_name, password_hash, role, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            (username, display_name.strip(), hash_password(password), role, stamp, stamp),
        )
        user_id = cursor.lastrowid
        _audit(
            db,
            user_id=None,
            action="create",
            table="users",
            row_id=user_id,
            after={"username": username, "role": role},
        )
    return get_user(db, user_id)


def get_user(db: Database, user_id: int) -> dict[str, Any]:
    """The user with ``user_id`` (without the password hash)."""
    user = _row(db, f"SELECT {_USER_COLUMNS} FROM users WHERE id = ?", (user_id,))
    if user is None:
        raise NotFound(f"user {user_id}")
    return user


def list_users(db: Database) -> list[dict[str, Any]]:
    """Every user, by name."""
    return _rows(db, f"SELECT {_USER_COLUMNS} FROM users ORDER BY username")


def set_password(db: Database, username: str, password: str) -> None:
    """Change a user's password and end their open sessions."""
    if len(password) < 8:
        raise Invalid("A password has at least 8 characters.")
    with transaction(db):
        row = _row(db, "SELECT id FROM users WHERE username = ?", (username,))
        if row is None:
            raise NotFound(f"user {username!r}")
        db.execute(
            "UPDATE users SET password_hash = ?, session_version = session_version + 1,"
            " version = version + 1, updated_at = ? WHERE id = ?",
            (hash_password(password), now(), row["id"]),
        )
        _audit(db, user_id=None, action="set-password", table="users", row_id=row["id"])


def count_users(db: Database) -> int:
    """How many users exist."""
    return db.execute("SELECT count(*) FROM users").fetchone()[0]


def authenticate(db: Database, username: str, password: str) -> dict[str, Any] | None:
    """The active user whose name and password match, else None."""
    row = _row(
        db, "SELECT id, password_hash, active FROM users WHERE username = ?", (username.strip(),)
    )
    if row is None:
        # Spend the same time as a real check, so that names cannot be probed by timing.
        with contextlib.suppress(VerificationError, InvalidHashError):
            _hasher.verify(_DUMMY_HASH, password)
        return None
    try:
        _hasher.verify(row["password_hash"], password)
    except (VerificationError, InvalidHashError):
        return None
    if not row["active"]:
        return None
    if _hasher.check_needs_rehash(row["password_hash"]):
        new_hash = hash_password(password)  # (0.1 s of CPU: before taking the write lock)
        with transaction(db):
            db.execute("UPDATE users SET password_hash = ? WHERE id = ?", (new_hash, row["id"]))
    return get_user(db, row["id"])


_DUMMY_HASH = _hasher.hash("factcheck-dummy-password")


# Articles ------------------------------------------------------------------------------------

_ARTICLE_FIELDS = ("title", "url", "publisher", "author", "published")


def create_article(
    db: Database,
    article: dict[str, Any],
    claims: Sequence[dict[str, Any]],
    user_id: int | None,
) -> int:
    """Store an article and its extracted claims in one transaction; return the article id.

    ``article`` has ``title``, ``body`` and optionally ``url``, ``publisher``, ``author``,
    ``published``, ``original``, ``original_type``, ``original_name``. Raises
    :class:`DuplicateArticle` when the same body is stored already.
    """
    body = article["body"]
    digest = sha256(body)
    stamp = now()
    with transaction(db):
        existing = _row(db, "SELECT id FROM articles WHERE body_sha256 = ?", (digest,))
        if existing:
            raise DuplicateArticle(existing["id"])
        cursor = db.execute(
            "INSERT INTO articles (title, url, publisher, author, published, body, body_sha256,"
            " original, original_type, original_name, created_by, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article["title"],
                article.get("url"),
                article.get("publisher"),
                article.get("author"),
                article.get("published"),
                body,
                digest,
                article.get("original"),
                article.get("original_type", "paste"),
                article.get("original_name"),
                user_id,
                stamp,
                stamp,
            ),
        )
        article_id = cursor.lastrowid
        _insert_claims(db, article_id, body, claims, user_id, stamp)
        _audit(
            db,
            user_id=user_id,
            action="create",
            table="articles",
            row_id=article_id,
            article_id=article_id,
            after={key: article.get(key) for key in _ARTICLE_FIELDS} | {"body_sha256": digest},
        )
    return article_id


def _insert_claims(
    db: Database,
    article_id: int,
    body: str,
    claims: Sequence[dict[str, Any]],
    user_id: int | None,
    stamp: str,
) -> None:
    rows = []
    for claim in claims:
        start, end = claim["start"], claim["end"]
        if body[start:end] != claim["quote"]:
            raise Invalid(f"claim quote does not match the article at {start}:{end}")
        rows.append(
            (
                article_id,
                start,
                end,
                claim["quote"],
                claim.get("text") or claim["quote"],
                json.dumps(claim.get("kind", []), ensure_ascii=False),
                json.dumps(claim.get("values", []), ensure_ascii=False),
                claim.get("score"),
                1 if claim.get("checkworthy") else 0,
                *claimant_columns(body, claim),
                user_id,
                stamp,
                stamp,
            )
        )
    db.conn.executemany(
        'INSERT INTO claims (article_id, start, "end", quote, text, kind, "values", score,'
        f" checkworthy, {CLAIMANT_COLUMNS}, created_by, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


#: The claim columns of the claimant and the wording's source (migration m008), in the order
#: :func:`claimant_columns` gives their values.
CLAIMANT_COLUMNS = (
    "claimant, claimant_start, claimant_end, claimant_kind, wording_source, wording_spans"
)
#: The same as claim keys (records, the API), in export order.
CLAIMANT_KEYS = (
    "claimant",
    "claimant_kind",
    "claimant_start",
    "claimant_end",
    "wording_source",
    "wording_spans",
)
CLAIMANT_KINDS = ("person", "organization")
WORDING_SOURCES = ("rewritten", "quote", "edited")
CLAIMANT_MAX = 300


def _offset(value: Any, what: str) -> int:
    if value.__class__ is not int:
        raise Invalid(f"{what} must be a whole number")
    return value


def _span(body: str, start: Any, end: Any, what: str) -> tuple[int, int]:
    """``(start, end)`` checked against the body: whole numbers, ``0 <= start < end <= len``."""
    start, end = _offset(start, what), _offset(end, what)
    if not 0 <= start < end <= len(body):
        raise Invalid(f"{what} {start}:{end} lies outside the article")
    return start, end


def clean_claimant(claimant: Any, kind: Any) -> tuple[str | None, str | None]:
    """A claimant's name (stripped, None when empty: the publication) and kind, checked."""
    if claimant is not None and not isinstance(claimant, str):
        raise Invalid("A claimant is a name (text).", field="claimant")
    claimant = " ".join(sanitize.strip_control(claimant or "").split()) or None
    if claimant is not None and len(claimant) > CLAIMANT_MAX:
        raise Invalid(f"A claimant's name is at most {CLAIMANT_MAX} characters.", field="claimant")
    kind = kind or None
    if kind is not None and kind not in CLAIMANT_KINDS:
        raise Invalid("A claimant is a person or an organization.", field="claimant_kind")
    if claimant is None:
        kind = None  # (the publication)
    return claimant, kind


def claimant_columns(body: str, claim: Mapping[str, Any]) -> tuple[Any, ...]:
    """The values of :data:`CLAIMANT_COLUMNS` for a claim dict (extractor output, an export's
    claim), each key optional: no claimant (the publication), wording ``rewritten`` from no
    recorded spans. Offsets are checked against ``body``; raises :class:`Invalid`."""
    claimant, kind = clean_claimant(claim.get("claimant"), claim.get("claimant_kind"))
    start, end = claim.get("claimant_start"), claim.get("claimant_end")
    if claimant is None or (start is None and end is None):
        start = end = None
    else:
        start, end = _span(body, start, end, "the claimant's mention")
    source = claim.get("wording_source") or "rewritten"
    if source not in WORDING_SOURCES:
        raise Invalid(f"wording_source must be one of {', '.join(WORDING_SOURCES)}")
    spans = claim.get("wording_spans") or []
    if not isinstance(spans, list | tuple):
        raise Invalid("wording_spans is a list of [start, end] offsets")
    checked = []
    for span in spans:
        if not isinstance(span, list | tuple) or len(span) != 2:
            raise Invalid("wording_spans is a list of [start, end] offsets")
        checked.append(list(_span(body, span[0], span[1], "a wording span")))
    return claimant, start, end, kind, source, json.dumps(checked)


def get_article(db: Database, article_id: int) -> dict[str, Any]:
    """The article with ``article_id``, body included."""
    article = _row(db, "SELECT * FROM articles WHERE id = ?", (article_id,))
    if article is None:
        raise NotFound(f"article {article_id}")
    return article


# What the review page reads of an article on every view: no ``body`` (its ``ArticleView`` has
# the body, cached by ``body_sha256``) and no ``original`` (the uploaded file, possibly MBs).
_ARTICLE_HEAD_COLUMNS = (
    "id, title, url, publisher, author, published, body_sha256, original_type, original_name,"
    " status, created_by, version, created_at, updated_at, published_at, published_by,"
    " extraction, extraction_error, batch_id"
)


def get_article_head(db: Database, article_id: int) -> dict[str, Any]:
    """The article with ``article_id`` without its ``body`` and ``original``."""
    article = _row(db, f"SELECT {_ARTICLE_HEAD_COLUMNS} FROM articles WHERE id = ?", (article_id,))
    if article is None:
        raise NotFound(f"article {article_id}")
    return article


def get_article_body(db: Database, article_id: int) -> dict[str, Any]:
    """The article's ``body`` with its ``body_sha256``, read together."""
    article = _row(db, "SELECT body, body_sha256 FROM articles WHERE id = ?", (article_id,))
    if article is None:
        raise NotFound(f"article {article_id}")
    return article


#: Ids of the articles the user ``:user`` reviews: assigned to them, or added by them.
VISIBLE_ARTICLE_IDS = (
    "SELECT article_id FROM assignments WHERE user_id = :user"
    " UNION SELECT id FROM articles WHERE created_by = :user"
)


def list_articles(
    db: Database, limit: int = 200, offset: int = 0, visible_to: int | None = None
) -> list[dict[str, Any]]:
    """Articles, newest first, with claim, verdict and final-verdict counts.

    With ``visible_to``, only the articles assigned to that user or added by them.
    """
    where = ""
    params: tuple[Any, ...] = ()
    if visible_to is not None:
        where = (
            " WHERE a.id IN (SELECT article_id FROM assignments WHERE user_id = ?)"
            " OR a.created_by = ?"
        )
        params = (visible_to, visible_to)
    return _rows(
        db,
        "SELECT a.id, a.title, a.url, a.publisher, a.author, a.published, a.created_at,"
        " a.status, a.published_at, a.extraction, length(a.body) AS chars,"
        " (SELECT count(*) FROM claims c WHERE c.article_id = a.id AND NOT c.dismissed)"
        "   AS claims,"
        " (SELECT count(*) FROM claims c WHERE c.article_id = a.id AND NOT c.dismissed"
        "   AND c.checkworthy) AS checkworthy,"
        " (SELECT count(DISTINCT v.claim_id) FROM verdicts v JOIN claims c ON c.id = v.claim_id"
        "   WHERE c.article_id = a.id AND NOT c.dismissed) AS reviewed,"
        " (SELECT count(*) FROM final_verdicts f JOIN claims c ON c.id = f.claim_id"
        "   WHERE c.article_id = a.id AND NOT c.dismissed) AS settled,"
        " (SELECT group_concat(u.username, ', ') FROM assignments s"
        "   JOIN users u ON u.id = s.user_id WHERE s.article_id = a.id) AS reviewers"
        f" FROM articles a{where} ORDER BY a.id DESC LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )


def count_articles(db: Database) -> int:
    """How many articles are stored."""
    return db.execute("SELECT count(*) FROM articles").fetchone()[0]


def set_article_published(
    db: Database, article_id: int, published: str | None, version: int, user_id: int | None
) -> dict[str, Any]:
    """Set (or clear, with None) the article's publication date, ``YYYY-MM-DD``: a new version
    of the article, audited. Raises :class:`Invalid` for anything but an ISO date and
    :class:`Conflict` (with the current article) when ``version`` is not the current one."""
    if published is not None:
        try:
            published = datetime.date.fromisoformat(str(published)).isoformat()
        except ValueError:
            raise Invalid("Give the publication date as YYYY-MM-DD.") from None
    with transaction(db):
        before = _row(
            db, f"SELECT {_ARTICLE_HEAD_COLUMNS} FROM articles WHERE id = ?", (article_id,)
        )
        if before is None:
            raise NotFound(f"article {article_id}")
        if before["version"] != version:
            raise Conflict(before)
        if before["published"] == published:
            return before
        db.execute(
            "UPDATE articles SET published = ?, version = version + 1, updated_at = ?"
            " WHERE id = ? AND version = ?",
            (published, now(), article_id, version),
        )
        _audit(
            db,
            user_id=user_id,
            action="set-date",
            table="articles",
            row_id=article_id,
            article_id=article_id,
            before={"published": before["published"]},
            after={"published": published},
        )
    return get_article_head(db, article_id)


# Claims --------------------------------------------------------------------------------------


def _claim_from_row(row: dict[str, Any]) -> dict[str, Any]:
    row["kind"] = json.loads(row["kind"])
    row["values"] = json.loads(row["values"])
    row["wording_spans"] = json.loads(row["wording_spans"])
    row["checkworthy"] = bool(row["checkworthy"])
    row["dismissed"] = bool(row["dismissed"])
    return row


def list_claims(db: Database, article_id: int) -> list[dict[str, Any]]:
    """The article's claims (dismissed ones included) in reading order."""
    return [
        _claim_from_row(row)
        for row in _rows(
            db,
            'SELECT * FROM claims WHERE article_id = ? ORDER BY start, "end", id',
            (article_id,),
        )
    ]


def claims_state(db: Database, article_id: int) -> tuple[Any, ...]:
    """A cheap fingerprint of the article's claims: count, highest id, sum of versions, latest
    change. Every change to a claim moves its version on, so any change changes it."""
    row = db.execute(
        "SELECT count(*), max(id), total(version), max(updated_at) FROM claims"
        " WHERE article_id = ?",
        (article_id,),
    ).fetchone()
    return (row[0], row[1], int(row[2]), row[3])


def get_claim(db: Database, claim_id: int) -> dict[str, Any]:
    """The claim with ``claim_id``."""
    row = _row(db, "SELECT * FROM claims WHERE id = ?", (claim_id,))
    if row is None:
        raise NotFound(f"claim {claim_id}")
    return _claim_from_row(row)


def add_claim(
    db: Database,
    article_id: int,
    start: int,
    end: int,
    user_id: int | None,
    text: str | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Add a reviewer's claim anchored at ``body[start:end]`` (whitespace trimmed)."""
    with transaction(db):
        article = _row(db, "SELECT body FROM articles WHERE id = ?", (article_id,))
        if article is None:
            raise NotFound(f"article {article_id}")
        body = article["body"]
        if not (0 <= start < end <= len(body)):
            raise Invalid("The selection lies outside the article.")
        while start < end and body[start].isspace():
            start += 1
        while end > start and body[end - 1].isspace():
            end -= 1
        if start == end:
            raise Invalid("The selection is empty.")
        duplicate = _row(
            db,
            'SELECT id FROM claims WHERE article_id = ? AND start = ? AND "end" = ?',
            (article_id, start, end),
        )
        if duplicate:
            raise Invalid("That passage is a claim already.")
        quote = body[start:end]
        wording = (text or "").strip() or quote
        stamp = now()
        extra = dict(extra or {})
        # A wording typed by hand is "edited"; none typed, the passage itself is the wording.
        extra["wording_source"] = (
            "edited"
            if wording != quote
            else "quote"
            if extra.get("wording_source") in (None, "edited")
            else extra["wording_source"]
        )
        claimant = claimant_columns(body, extra)
        cursor = db.execute(
            'INSERT INTO claims (article_id, start, "end", quote, text, kind, "values", score,'
            f" checkworthy, origin, {CLAIMANT_COLUMNS}, created_by, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'manual', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article_id,
                start,
                end,
                quote,
                wording,
                json.dumps(extra.get("kind", []), ensure_ascii=False),
                json.dumps(extra.get("values", []), ensure_ascii=False),
                extra.get("score"),
                1,
                *claimant,
                user_id,
                stamp,
                stamp,
            ),
        )
        claim_id = cursor.lastrowid
        _audit(
            db,
            user_id=user_id,
            action="create",
            table="claims",
            row_id=claim_id,
            claim_id=claim_id,
            article_id=article_id,
            after={
                "start": start,
                "end": end,
                "quote": quote,
                "text": wording,
                "claimant": claimant[0],
                "claimant_kind": claimant[3],
                "wording_source": claimant[4],
            },
        )
    return get_claim(db, claim_id)


def _update_claim(
    db: Database,
    claim_id: int,
    version: int,
    user_id: int | None,
    changes: dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]],
    action: str,
) -> dict[str, Any]:
    """Change a claim's columns, if ``version`` is still the stored one (else
    :class:`Conflict`); ``changes`` may be a function of the stored row that gives them."""
    with transaction(db):
        change_claim(db, claim_id, version, user_id, changes, action)
    return get_claim(db, claim_id)


def change_claim(
    db: Database,
    claim_id: int,
    version: int,
    user_id: int | None,
    changes: dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]],
    action: str,
) -> dict[str, Any]:
    """Apply ``changes`` to the claim at ``version`` with its audit entry, inside the caller's
    transaction (:class:`Conflict` when the claim is at another version); ``changes`` may be a
    function of the stored row that gives them. The one versioned claim update: the edit
    routes and accepted proposals (:mod:`.proposals`) go through it."""
    before = _row(db, "SELECT * FROM claims WHERE id = ?", (claim_id,))
    if before is None:
        raise NotFound(f"claim {claim_id}")
    if before["version"] != version:
        raise Conflict(_claim_from_row(before))
    if callable(changes):
        changes = changes(before)
    if all(before[key] == value for key, value in changes.items()):
        return _claim_from_row(before)
    assignments = ", ".join(f"{key} = ?" for key in changes)
    cursor = db.execute(
        f"UPDATE claims SET {assignments}, version = version + 1, updated_at = ?"
        " WHERE id = ? AND version = ?",
        (*changes.values(), now(), claim_id, version),
    )
    if cursor.rowcount != 1:
        raise Conflict(get_claim(db, claim_id))
    _audit(
        db,
        user_id=user_id,
        action=action,
        table="claims",
        row_id=claim_id,
        claim_id=claim_id,
        article_id=before["article_id"],
        before={key: before[key] for key in changes},
        after=changes,
    )
    return get_claim(db, claim_id)


def wording_changes(text: str) -> dict[str, Any]:
    """The claim columns a new wording sets (checked): the wording, and its source
    ``edited`` (by hand: an edit, an accepted proposal)."""
    text = text.strip()
    if not text:
        raise Invalid("A claim's wording cannot be empty.")
    if len(text) > 2000:
        raise Invalid("A claim's wording is at most 2,000 characters.")
    return {"text": text, "wording_source": "edited"}


def dismissal_changes(dismissed: bool) -> tuple[dict[str, Any], str]:
    """The claim columns a dismissal (or restore) sets, and its audit action."""
    return {"dismissed": 1 if dismissed else 0}, "dismiss" if dismissed else "restore"


def edit_claim_text(
    db: Database, claim_id: int, text: str, version: int, user_id: int | None
) -> dict[str, Any]:
    """Change a claim's wording (its source becomes ``edited``); its quote and offsets stay
    anchored. The same wording again changes nothing."""
    changes = wording_changes(text)
    return _update_claim(
        db,
        claim_id,
        version,
        user_id,
        lambda before: {} if before["text"] == changes["text"] else changes,
        "edit",
    )


def set_claimant(
    db: Database,
    claim_id: int,
    claimant: str | None,
    kind: str | None,
    version: int,
    user_id: int | None,
) -> dict[str, Any]:
    """Say who made a claim: a named ``claimant`` (a ``person`` or an ``organization``), or
    None for the publication itself. The mention's offsets point to the name's occurrence in
    the article nearest before the claim (else after it; none when the article does not
    name it), unless the name is unchanged, whose offsets stay."""
    claimant, kind = checked_claimant(claimant, kind)
    return _update_claim(
        db, claim_id, version, user_id, claimant_changes(db, claimant, kind), "set-claimant"
    )


def checked_claimant(claimant: Any, kind: Any) -> tuple[str | None, str | None]:
    """A claimant set by hand: :func:`clean_claimant`, and a name needs its kind."""
    claimant, kind = clean_claimant(claimant, kind)
    if claimant is not None and kind is None:
        raise Invalid(
            "Say whether the claimant is a person or an organization.", field="claimant_kind"
        )
    return claimant, kind


def claimant_changes(
    db: Database, claimant: str | None, kind: str | None
) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """The claim columns a claimant set by hand changes (for :func:`change_claim`), as a
    function of the stored claim: the name's mention is its occurrence in the article nearest
    before the claim (else after it; none when the article does not name it), kept when the
    name is unchanged."""

    def changes(before: dict[str, Any]) -> dict[str, Any]:
        if claimant is None:
            start = end = None
        elif claimant == before["claimant"]:
            start, end = before["claimant_start"], before["claimant_end"]
        else:
            body = _row(db, "SELECT body FROM articles WHERE id = ?", (before["article_id"],))[
                "body"
            ]
            start = _mention(body, claimant, before["start"])
            end = None if start is None else start + len(claimant)
        return {
            "claimant": claimant,
            "claimant_kind": kind,
            "claimant_start": start,
            "claimant_end": end,
        }

    return changes


def wording_context(db: Database, claim: dict[str, Any]) -> dict[str, Any]:
    """The publisher of the claim's article and the text of each of the claim's
    ``wording_spans`` (what its wording was built from), read without the whole body."""
    article_id = claim["article_id"]
    row = _row(db, "SELECT publisher FROM articles WHERE id = ?", (article_id,))
    if row is None:
        raise NotFound(f"article {article_id}")
    spans = [
        db.execute(
            "SELECT substr(body, ?, ?) FROM articles WHERE id = ?",
            (start + 1, end - start, article_id),
        ).fetchone()[0]
        for start, end in claim.get("wording_spans") or ()
    ]
    return {"publisher": row["publisher"], "spans": spans}


def _mention(body: str, name: str, near: int) -> int | None:
    """The offset of ``name`` in ``body``: the last occurrence before ``near``, else the first
    after it, else None."""
    before = body.rfind(name, 0, near + len(name))
    return before if before != -1 else (None if (after := body.find(name)) == -1 else after)


def set_claim_dismissed(
    db: Database, claim_id: int, dismissed: bool, version: int, user_id: int | None
) -> dict[str, Any]:
    """Dismiss a claim (it stays stored) or restore it."""
    changes, action = dismissal_changes(dismissed)
    return _update_claim(db, claim_id, version, user_id, changes, action)


def claim_history(db: Database, claim_id: int) -> list[dict[str, Any]]:
    """Audit entries about a claim and its verdicts, oldest first, with user names."""
    entries = _rows(
        db,
        "SELECT l.id, l.at, l.action, l.table_name, l.row_id, l.before, l.after,"
        " u.username FROM audit_log l LEFT JOIN users u ON u.id = l.user_id"
        " WHERE l.claim_id = ? ORDER BY l.id",
        (claim_id,),
    )
    for entry in entries:
        entry["before"] = json.loads(entry["before"]) if entry["before"] else None
        entry["after"] = json.loads(entry["after"]) if entry["after"] else None
    return entries


# Verdicts and sources ------------------------------------------------------------------------

STANCES = ("supports", "refutes", "context")
_SOURCE_FIELDS = ("url", "title", "publisher", "excerpt", "stance", "accessed")


def _sources(db: Database, verdict_id: int) -> list[dict[str, Any]]:
    return _with_archive(
        _rows(
            db,
            "SELECT url, title, publisher, excerpt, stance, accessed,"
            f" {_archive_sql(db)} AS archive FROM sources s"
            " WHERE verdict_id = ? ORDER BY position, id",
            (verdict_id,),
        )
    )


def get_verdict(db: Database, claim_id: int, user_id: int) -> dict[str, Any] | None:
    """The user's verdict on the claim, with its sources, or None."""
    verdict = _row(
        db, "SELECT * FROM verdicts WHERE claim_id = ? AND user_id = ?", (claim_id, user_id)
    )
    if verdict is not None:
        verdict["sources"] = _sources(db, verdict["id"])
    return verdict


def list_verdicts(db: Database, claim_id: int) -> list[dict[str, Any]]:
    """Every reviewer's verdict on the claim, with sources and reviewer names."""
    verdicts = _rows(
        db,
        "SELECT v.*, u.username AS reviewer FROM verdicts v JOIN users u ON u.id = v.user_id"
        " WHERE v.claim_id = ? ORDER BY v.created_at, v.id",
        (claim_id,),
    )
    if len(verdicts) == 1:
        verdicts[0]["sources"] = _sources(db, verdicts[0]["id"])
    elif verdicts:  # every verdict's sources in one query
        by_verdict: dict[int, list[dict[str, Any]]] = {v["id"]: [] for v in verdicts}
        for row in db.execute(
            "SELECT verdict_id, url, title, publisher, excerpt, stance, accessed,"
            f" {_archive_sql(db)} AS archive FROM sources s"
            " WHERE verdict_id IN (SELECT id FROM verdicts WHERE claim_id = ?)"
            " ORDER BY verdict_id, position, id",
            (claim_id,),
        ):
            (source,) = _with_archive([dict(row)])
            found = by_verdict.get(source.pop("verdict_id"))
            if found is not None:
                found.append(source)
        for verdict in verdicts:
            verdict["sources"] = by_verdict[verdict["id"]]
    return verdicts


def _clean_sources(sources: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    cleaned = []
    for position, source in enumerate(sources):
        url = (source.get("url") or "").strip()
        if not url and not any((source.get(key) or "").strip() for key in ("title", "excerpt")):
            continue
        if not url:  # (any other text is kept: see factcheck.evidence.urls.not_web)
            raise Invalid(f"Source {position + 1}: give its address (http:// or https://).")
        stance = source.get("stance") or "context"
        if stance not in STANCES:
            raise Invalid(f"Source {position + 1}: stance must be one of {', '.join(STANCES)}.")
        accessed = source.get("accessed") or None
        if isinstance(accessed, datetime.date):
            accessed = accessed.isoformat()
        cleaned.append(
            {
                "url": url,
                "title": (source.get("title") or "").strip(),
                "publisher": (source.get("publisher") or "").strip(),
                "excerpt": (source.get("excerpt") or "").strip(),
                "stance": stance,
                "accessed": accessed,
            }
        )
    return cleaned


def _verdict_state(verdict: dict[str, Any] | None) -> dict[str, Any] | None:
    if verdict is None:
        return None
    return {
        "rating": verdict["rating"],
        "rationale": verdict["rationale"],
        "sources": [{key: s[key] for key in _SOURCE_FIELDS} for s in verdict["sources"]],
    }


def record_verdict(
    db: Database,
    claim_id: int,
    user_id: int,
    rating: str,
    rationale: str,
    sources: Sequence[dict[str, Any]],
    version: int | None,
    ratings: Sequence[str],
) -> dict[str, Any]:
    """Create or update the user's verdict on a claim, replacing its sources.

    ``version`` is the version the user edited (None for a new verdict). When the stored
    verdict moved on, :class:`Conflict` carries it, unless the stored content is exactly what
    was submitted (a repeated submit), which returns the stored verdict.
    """
    if rating not in ratings:
        raise Invalid("Choose a verdict from the rating scale.")
    if len(rationale) > 50_000:
        raise Invalid("A rationale is at most 50,000 characters.")
    cleaned = _clean_sources(sources)
    wanted = {"rating": rating, "rationale": rationale, "sources": cleaned}
    html = rationale_html(rationale)  # rendered before taking the write lock
    stamp = now()
    with transaction(db):
        claim = _row(db, "SELECT id, article_id FROM claims WHERE id = ?", (claim_id,))
        if claim is None:
            raise NotFound(f"claim {claim_id}")
        current = get_verdict(db, claim_id, user_id)
        before = _verdict_state(current)
        if before == wanted and current is not None:
            # (saving a returned verdict unchanged answers the hand-back: it stands)
            if resolve_returns(db, current["id"], user_id):
                return get_verdict(db, claim_id, user_id)
            return current
        if current is None:
            if version is not None:
                raise Invalid("That verdict no longer exists.")
            cursor = db.execute(
                "INSERT INTO verdicts (claim_id, user_id, rating, rationale, rationale_html,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (claim_id, user_id, rating, rationale, html, stamp, stamp),
            )
            verdict_id = cursor.lastrowid
            action = "create"
        else:
            if version != current["version"]:
                raise Conflict(current)
            verdict_id = current["id"]
            cursor = db.execute(
                "UPDATE verdicts SET rating = ?, rationale = ?, rationale_html = ?,"
                " version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                (rating, rationale, html, stamp, verdict_id, version),
            )
            if cursor.rowcount != 1:
                raise Conflict(get_verdict(db, claim_id, user_id))
            db.execute("DELETE FROM sources WHERE verdict_id = ?", (verdict_id,))
            action = "edit"
        db.conn.executemany(
            "INSERT INTO sources (verdict_id, position, url, title, publisher, excerpt, stance,"
            " accessed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (verdict_id, position, *(source[key] for key in _SOURCE_FIELDS))
                for position, source in enumerate(cleaned)
            ],
        )
        _link_sources(db, verdict_id)  # (the sources library; archiving happens later)
        _audit(
            db,
            user_id=user_id,
            action=action,
            table="verdicts",
            row_id=verdict_id,
            claim_id=claim_id,
            article_id=claim["article_id"],
            before=before,
            after=wanted,
        )
        resolve_returns(db, verdict_id, user_id)  # (a returned verdict is current again)
    return get_verdict(db, claim_id, user_id)


# Reports -------------------------------------------------------------------------------------


def claim_records(
    db: Database, article_id: int, scale: Sequence[dict[str, Any]], include_dismissed: bool = False
) -> Iterator[dict[str, Any]]:
    """One export record per claim of the article, in reading order (see factcheck.export).

    An article without (undismissed) claims gives one record whose ``claim`` is None, so
    that exports still carry the article.
    """
    article = get_article(db, article_id)
    article_part = {
        "id": article["id"],
        "title": article["title"],
        "url": article["url"],
        "publisher": article["publisher"],
        "author": article["author"],
        "published": article["published"],
        "body_sha256": article["body_sha256"],
    }
    by_key = {entry["key"]: entry for entry in scale}
    yielded = False
    for claim in list_claims(db, article_id):
        if claim["dismissed"] and not include_dismissed:
            continue
        verdicts = []
        for verdict in list_verdicts(db, claim["id"]):
            entry = by_key.get(verdict["rating"], {})
            verdicts.append(
                {
                    "reviewer": verdict["reviewer"],
                    "rating": verdict["rating"],
                    "label": entry.get("label", verdict["rating"]),
                    "value": entry.get("value"),
                    "rationale": verdict["rationale"],
                    "rationale_html": str(sanitize.render_markdown(verdict["rationale"])),
                    "created_at": verdict["created_at"],
                    "updated_at": verdict["updated_at"],
                    "sources": verdict["sources"],
                }
            )
        final = _row(
            db,
            "SELECT f.rating, f.reason, f.updated_at AS decided_at, u.username AS decided_by"
            " FROM final_verdicts f LEFT JOIN users u ON u.id = f.decided_by"
            " WHERE f.claim_id = ?",
            (claim["id"],),
        )
        if final is not None:
            entry = by_key.get(final["rating"], {})
            final["label"] = entry.get("label", final["rating"])
            final["value"] = entry.get("value")
        yield {
            "article": article_part,
            "claim": {
                key: claim[key]
                for key in (
                    "id",
                    "start",
                    "end",
                    "quote",
                    "text",
                    "kind",
                    "score",
                    "checkworthy",
                    "dismissed",
                    "origin",
                    *CLAIMANT_KEYS,
                    "created_at",
                    "updated_at",
                )
            },
            "verdicts": verdicts,
            "final": final,
        }
        yielded = True
    if not yielded:
        yield {"article": article_part, "claim": None, "verdicts": [], "final": None}


from .desk import (  # noqa: E402
    SETTING_DEFAULTS,
    active_reviewers,
    assigned_user_ids,
    claims_with_verdict_by,
    clear_login_failures,
    contested_claims,
    end_sessions,
    get_final_verdict,
    get_settings,
    is_assigned,
    list_assignments,
    list_corrections,
    login_failures,
    next_claim,
    publish_article,
    record_final_verdict,
    record_login_failure,
    reviewer_queue,
    set_active,
    set_assignments,
    set_role,
    spread_assignments,
    update_settings,
    user_by_name,
    usernames,
    verdict_ratings,
)
from .discussion import (  # noqa: E402
    add_comment,
    current_verdict_sql,
    list_comments,
    notify,
    open_returns,
    resolve_returns,
    return_verdict,
    returned_claim_ids,
    unread_count,
)
from .evidence import archive_sql as _archive_sql  # noqa: E402
from .evidence import link_sources as _link_sources  # noqa: E402
from .evidence import with_archive as _with_archive  # noqa: E402
from .exports import (  # noqa: E402,F401
    ExportFilter,
    check_export_filter,
    count_export_claims,
    export_records,
    rationale_html,
)
from .imports import ImportItem, ImportSummary, import_items, read_import_file  # noqa: E402,F401
from .proposals import (  # noqa: E402,F401
    PublishedClaim,
    count_open_proposals,
    decide_proposal,
    get_proposal,
    last_decided_proposal,
    list_open_proposals,
    open_proposal,
    propose,
    withdraw_proposal,
)
from .publish import (  # noqa: E402,F401
    claim_versions,
    latest_version,
    publish_correction,
    withdraw_claim,
)
from .published import public_article, public_claim  # noqa: E402,F401
from .search import match_counts, search_claims  # noqa: E402,F401
from .tokens import create_token, get_token, list_tokens, revoke_token, user_for_token  # noqa: E402
