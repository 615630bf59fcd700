"""Imports from a web address as background jobs: each one a ``url_imports`` row (m013).

The web form and the API call :func:`start_url_import` (which refuses at once, in the same
transaction that would record it, when too many are running for the desk or the user) and
queue the job; the job (:mod:`factcheck.url_import`) marks the row ``fetching``, then ``done``
with the article, or ``failed`` with the message the user sees.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

from .base import NotFound, StoreError, _row, now, transaction

RUNNING = ("queued", "fetching")
#: An import still queued or fetching after this long no longer counts against the caps (its
#: worker is gone: the page says it is still waiting for one).
STALE_AFTER = datetime.timedelta(minutes=15)


class TooManyImports(StoreError):
    """Too many imports from a web address are running (the desk's or the user's cap)."""


def start_url_import(
    db: Database, url: str, user_id: int | None, *, overall: int, per_user: int
) -> int:
    """Record an import of ``url`` for ``user_id`` (queued); return its id. Raises
    :class:`TooManyImports` when ``overall`` imports are running on the desk, or ``per_user``
    of this user's."""
    stamp = now()
    since = (datetime.datetime.now(datetime.UTC) - STALE_AFTER).isoformat(timespec="microseconds")
    with transaction(db):
        running = db.execute(
            "SELECT count(*), sum(user_id IS ?) FROM url_imports"
            " WHERE state IN ('queued', 'fetching') AND created_at > ?",
            (user_id, since),
        ).fetchone()
        total, mine = running[0], running[1] or 0
        if user_id is not None and mine >= per_user:
            raise TooManyImports(
                f"You already have {mine} import from a web address running (at most "
                f"{per_user} per user, setting FETCH_MAX_PER_USER). Wait for it to finish, "
                "then try again."
            )
        if total >= overall:
            raise TooManyImports(
                f"Too many imports from a web address are running ({total}; at most "
                f"{overall} at once, setting FETCH_MAX_CONCURRENT). Try again in a moment."
            )
        cursor = db.execute(
            "INSERT INTO url_imports (url, user_id, created_at) VALUES (?, ?, ?)",
            (url, user_id, stamp),
        )
        return int(cursor.lastrowid)


def get_url_import(db: Database, import_id: int) -> dict[str, Any]:
    row = _row(db, "SELECT * FROM url_imports WHERE id = ?", (import_id,))
    if row is None:
        raise NotFound(f"no import {import_id}")
    row["notices"] = json.loads(row["notices"] or "[]")
    return row


def begin_url_import(db: Database, import_id: int) -> dict[str, Any] | None:
    """Mark the import ``fetching`` (a job starts, or starts again after a stop); None when
    it is over already (a job run twice does nothing the second time)."""
    with transaction(db):
        row = _row(db, "SELECT * FROM url_imports WHERE id = ?", (import_id,))
        if row is None or row["state"] not in RUNNING:
            return None
        db.execute(
            "UPDATE url_imports SET state = 'fetching', started_at = ? WHERE id = ?",
            (now(), import_id),
        )
    return row


def finish_url_import(
    db: Database,
    import_id: int,
    *,
    article_id: int | None = None,
    duplicate: bool = False,
    claims: int | None = None,
    notices: Sequence[str] = (),
    error: str | None = None,
) -> None:
    """The import is over: ``done`` with its article, or ``failed`` with ``error``."""
    state = "failed" if error is not None else "done"
    with transaction(db):
        db.execute(
            "UPDATE url_imports SET state = ?, error = ?, article_id = ?, duplicate = ?,"
            " claims = ?, notices = ?, finished_at = ? WHERE id = ? AND state IN"
            " ('queued', 'fetching')",
            (
                state,
                error,
                article_id,
                1 if duplicate else 0,
                claims,
                json.dumps(list(notices), ensure_ascii=False),
                now(),
                import_id,
            ),
        )
