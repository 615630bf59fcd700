"""The background work of evidence, as plain functions of a database path and the settings:
archive a record, check the excerpts cited from an archive, check the links. Each opens its
own connection and writes in short transactions of its own, never while fetching; the job
queue's tasks, ``factcheck sources check`` and the tests call them alike.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from ..db import connect
from ..store import evidence as records
from . import archive, excerpts, links
from .urls import not_web_reason

#: Attempts at archiving a record before it is marked failed (a temporary failure only:
#: a refused address, size or type fails at once).
ATTEMPTS = 3
#: Seconds before the next attempt, by attempt (the job queue waits them; a direct run too).
BACKOFF = (2.0, 10.0, 60.0)


@contextlib.contextmanager
def _opened(db_path: str | Database) -> Iterator[Database]:
    if isinstance(db_path, Database):
        yield db_path
        return
    db = connect(db_path)
    try:
        yield db
    finally:
        db.close()


@dataclass
class Outcome:
    """What :func:`archive_source` did: ``state`` (``archived``, ``failed``, ``retry`` or
    ``skipped``), the reason of a failure, the new archive's id."""

    state: str
    reason: str = ""
    archive_id: int | None = None
    retry_in: float = 0.0


def archive_source(
    db_path: str | Database,
    record_id: int,
    config: dict[str, Any],
    *,
    resolver: Any = None,
    final: bool | None = None,
) -> Outcome:
    """One attempt at archiving the record: fetch, store the capture, check the excerpts
    cited from it. A temporary failure before the last attempt (:data:`ATTEMPTS`, or ``final``)
    leaves the record ``pending`` with the reason and returns ``retry`` (the caller schedules
    the next attempt after ``retry_in`` seconds); any other failure marks it ``failed``."""
    with _opened(db_path) as db:
        url = records.begin_archiving(db, record_id)
        if url is None:
            return Outcome("skipped")
        refused = not_web_reason(url)
        if refused:  # (never fetched, whatever the fetcher would say)
            records.save_failure(db, record_id, refused, final=True)
            return Outcome("failed", refused)
        attempts = records.get_record(db, record_id)["attempts"]
        try:
            capture = archive.capture(url, config, resolver=resolver)
        except archive.ArchiveFailure as exc:
            last = final if final is not None else attempts >= ATTEMPTS
            if exc.temporary and not last:
                reason = f"{exc.reason} Trying again (attempt {attempts + 1} of {ATTEMPTS})."
                records.save_failure(db, record_id, reason, final=False)
                delay = BACKOFF[min(attempts - 1, len(BACKOFF) - 1)]
                return Outcome("retry", exc.reason, retry_in=delay)
            records.save_failure(db, record_id, exc.reason, final=True)
            return Outcome("failed", exc.reason)
        except Exception as exc:  # never leave a record "archiving" after a bug
            reason = f"Archiving failed unexpectedly ({type(exc).__name__}: {exc})."
            records.save_failure(db, record_id, reason, final=True)
            return Outcome("failed", reason)
        # (the excerpts are checked before the write: the transaction stays short)
        checks = [
            (e, excerpts.check_excerpt(e, capture.text))
            for e in records.excerpts_awaiting(db, record_id)
        ]
        archive_id, to_check = records.save_capture(db, record_id, capture, checks)
        if to_check:
            _check(db, archive_id, to_check, capture.text)
        return Outcome("archived", archive_id=archive_id)


def archive_with_retries(
    db_path: str | Database,
    record_id: int,
    config: dict[str, Any],
    *,
    resolver: Any = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Outcome:
    """:func:`archive_source` until it archives or fails for good (waiting between attempts:
    for the command line and tests; the job queue retries with its own delay instead)."""
    while True:
        outcome = archive_source(db_path, record_id, config, resolver=resolver)
        if outcome.state != "retry":
            return outcome
        sleep(outcome.retry_in)


def _check(db: Database, archive_id: int, wanted: list[str], text: str | None = None) -> int:
    if text is None:
        text = records.archive_text(db, archive_id)
    checks = [(e, excerpts.check_excerpt(e, text)) for e in wanted]
    records.save_excerpt_checks(db, archive_id, checks)
    return len(checks)


def check_excerpts(db_path: str | Database, archive_id: int) -> int:
    """Check the excerpts cited from the archive that have no check yet; how many."""
    with _opened(db_path) as db:
        wanted = records.unchecked_excerpts(db, archive_id)
        return _check(db, archive_id, wanted) if wanted else 0


pending_excerpts = records.pending_excerpts


@dataclass
class CheckSummary:
    """What :func:`check_sources` found: records by link status, and newly archived ones."""

    checked: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    archived: int = 0
    failed: int = 0
    excerpts: int = 0
    lines: list[str] = field(default_factory=list)


def check_sources(
    db_path: str | Database,
    config: dict[str, Any],
    *,
    limit: int | None = None,
    resolver: Any = None,
    sleep: Callable[[float], None] = time.sleep,
    archive_pending: bool = True,
) -> CheckSummary:
    """The link check of every cited source (least recently checked first, ``limit`` at
    most): each is fetched again and marked alive / changed since cited / gone /
    unreachable. Before that, sources never linked to the library are linked, those still
    waiting are archived and excerpts without a check are checked."""
    summary = CheckSummary()
    with _opened(db_path) as db:
        records.link_sources(db)
        if archive_pending:
            for record_id in records.pending_records(db):
                outcome = archive_with_retries(
                    db, record_id, config, resolver=resolver, sleep=sleep
                )
                if outcome.state == "archived":
                    summary.archived += 1
                elif outcome.state == "failed":
                    summary.failed += 1
        for archive_id in pending_excerpts(db):
            summary.excerpts += check_excerpts(db, archive_id)
        for record in records.records_to_check(db, limit):
            result = links.check_link(
                record["url"], record["text_sha256"], config, resolver=resolver
            )
            records.save_link_check(db, record["id"], result.status, result.reason)
            summary.checked += 1
            summary.by_status[result.status] = summary.by_status.get(result.status, 0) + 1
            summary.lines.append(f"{result.status:<11} {record['url']}  {result.reason}".rstrip())
    return summary
