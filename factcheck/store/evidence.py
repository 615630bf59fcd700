"""The sources library: one record per cited address, its archives and excerpt checks
(migration m015; the fetching itself is :mod:`factcheck.evidence`).

A verdict's sources are linked to their records in the verdict's own transaction
(:func:`link_sources`, cheap: no fetch); the background work then archives the records still
``pending`` and checks excerpts, each step one short transaction of its own.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlite_utils import Database

from ..evidence.urls import normalise_url, not_web_reason
from .base import NotFound, _audit, _row, _rows, now, transaction

STATES = ("pending", "archiving", "archived", "failed")
LINK_STATES = ("alive", "changed", "gone", "unreachable")
STANCES = ("supports", "refutes", "context")

# Records -------------------------------------------------------------------------------------


def library_ready(db: Database) -> bool:
    """Whether the database has the sources library (m015); remembered on the connection
    until the next migration (:func:`factcheck.db.migrate` forgets it)."""
    ready = getattr(db, "factcheck_library", None)
    if ready is None:
        ready = (
            db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'source_records'"
            ).fetchone()
            is not None
        )
        db.factcheck_library = ready  # type: ignore[attr-defined]
    return bool(ready)


def link_sources(db: Database, verdict_id: int | None = None) -> list[int]:
    """Give each cited source (of ``verdict_id``, or every one not yet linked) its record in
    the library, creating records for new addresses, and the record's current archive.

    Runs in the caller's transaction when there is one (a verdict's save), else in its own.
    Returns the ids of the linked records that are ``pending`` (to archive)."""
    if not library_ready(db):
        return []  # (a database before m015, as old-schema tests build)
    if not db.conn.in_transaction:
        with transaction(db):
            return link_sources(db, verdict_id)
    where = "verdict_id = ?" if verdict_id is not None else "record_id IS NULL"
    params: tuple[Any, ...] = (verdict_id,) if verdict_id is not None else ()
    rows = db.execute(
        f"SELECT id, url, title, publisher FROM sources WHERE {where} AND url <> ''",  # noqa: S608
        params,
    ).fetchall()
    if not rows:
        return []
    stamp = now()
    pending: list[int] = []
    for source_id, url, title, publisher in rows:
        key = normalise_url(url)
        record = db.execute(
            "SELECT id, state, archive_id, title, publisher FROM source_records WHERE url = ?",
            (key,),
        ).fetchone()
        if record is None:
            # (an address that is not a web address is never fetched: failed at once)
            refused = not_web_reason(url)
            state = "failed" if refused else "pending"
            cursor = db.execute(
                "INSERT INTO source_records (url, title, publisher, state, reason, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (key, title or "", publisher or "", state, refused, stamp, stamp),
            )
            record_id, archive_id = cursor.lastrowid, None
        else:
            record_id, state, archive_id = record[0], record[1], record[2]
            if (title and not record[3]) or (publisher and not record[4]):
                db.execute(
                    "UPDATE source_records SET title = CASE WHEN title = '' THEN ? ELSE title"
                    " END, publisher = CASE WHEN publisher = '' THEN ? ELSE publisher END"
                    " WHERE id = ?",
                    (title or "", publisher or "", record_id),
                )
        db.execute(
            "UPDATE sources SET record_id = ?, archive_id = ? WHERE id = ?",
            (record_id, archive_id, source_id),
        )
        if state == "pending" and record_id not in pending:
            pending.append(record_id)
    return pending


def get_record(db: Database, record_id: int) -> dict[str, Any]:
    record = _row(db, "SELECT * FROM source_records WHERE id = ?", (record_id,))
    if record is None:
        raise NotFound(f"source {record_id}")
    return record


def pending_records(db: Database, limit: int = 1000, stale_minutes: int = 10) -> list[int]:
    """Records waiting to be archived (``pending``, or ``archiving`` for longer than
    ``stale_minutes``: a worker that stopped mid-job), oldest first."""
    stale = _minutes_before(now(), stale_minutes)
    return [
        r[0]
        for r in db.execute(
            "SELECT id FROM source_records WHERE state = 'pending'"
            " OR (state = 'archiving' AND updated_at < ?) ORDER BY id LIMIT ?",
            (stale, limit),
        )
    ]


def begin_archiving(db: Database, record_id: int, stale_minutes: int = 10) -> str | None:
    """Mark the record ``archiving`` (one more attempt) and give its address; None when it is
    not waiting (archived, failed, or being archived by another worker: one that has been at
    it for ``stale_minutes`` is taken to have stopped, and the record is taken over)."""
    stamp = now()
    stale = _minutes_before(stamp, stale_minutes)
    with transaction(db):
        row = db.execute(
            "UPDATE source_records SET state = 'archiving', attempts = attempts + 1,"
            " updated_at = ? WHERE id = ? AND (state = 'pending'"
            " OR (state = 'archiving' AND updated_at < ?)) RETURNING url",
            (stamp, record_id, stale),
        ).fetchone()
        return None if row is None else str(row[0])


def _minutes_before(stamp: str, minutes: int) -> str:
    import datetime

    then = datetime.datetime.fromisoformat(stamp) - datetime.timedelta(minutes=minutes)
    return then.isoformat(timespec="microseconds")


def excerpts_awaiting(db: Database, record_id: int) -> list[str]:
    """The distinct excerpts of the record's citations that have no archive yet (those the
    next capture will be checked against)."""
    return [
        r[0]
        for r in db.execute(
            "SELECT DISTINCT excerpt FROM sources WHERE record_id = ? AND archive_id IS NULL"
            " AND excerpt <> ''",
            (record_id,),
        )
    ]


def save_capture(
    db: Database, record_id: int, capture: Any, checks: Iterable[tuple[str, Any]] = ()
) -> tuple[int, list[str]]:
    """Store a capture (:class:`factcheck.evidence.archive.Capture`) as the record's current
    archive; the citations without an archive get it; ``checks`` (``(excerpt, check)``
    pairs, made beforehand from the capture's text) are stored with it, in the same
    transaction, for the excerpts cited from it. Returns the archive's id and the excerpts
    cited from it that still have no check (cited while the page was being fetched)."""
    stamp = now()
    with transaction(db):
        cursor = db.execute(
            "INSERT INTO source_archives (record_id, requested_url, final_url, fetched_at,"
            " http_status, content_type, sha256, size, title, text, text_sha256)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record_id,
                capture.requested_url,
                capture.final_url,
                capture.fetched_at,
                capture.status,
                capture.content_type,
                capture.sha256,
                capture.size,
                capture.title,
                capture.text,
                capture.text_sha256,
            ),
        )
        archive_id = int(cursor.lastrowid)
        db.execute(
            "INSERT INTO source_warcs (archive_id, warc) VALUES (?, ?)", (archive_id, capture.warc)
        )
        db.execute(
            "UPDATE source_records SET state = 'archived', reason = '', archive_id = ?,"
            " title = CASE WHEN title = '' THEN ? ELSE title END, updated_at = ? WHERE id = ?",
            (archive_id, capture.title or "", stamp, record_id),
        )
        db.execute(
            "UPDATE sources SET archive_id = ? WHERE record_id = ? AND archive_id IS NULL",
            (archive_id, record_id),
        )
        excerpts = unchecked_excerpts(db, archive_id)
        wanted = set(excerpts)
        made = [(excerpt, check) for excerpt, check in checks if excerpt in wanted]
        if made:
            _insert_checks(db, archive_id, made)
            done = {excerpt for excerpt, _ in made}
            excerpts = [e for e in excerpts if e not in done]
    return archive_id, excerpts


def save_failure(db: Database, record_id: int, reason: str, final: bool) -> None:
    """Record a failed attempt: ``failed`` with the reason when ``final``, else back to
    ``pending`` (a later attempt is queued) with the reason shown meanwhile."""
    with transaction(db):
        db.execute(
            "UPDATE source_records SET state = ?, reason = ?, updated_at = ? WHERE id = ?",
            ("failed" if final else "pending", reason[:2000], now(), record_id),
        )


def request_archive(db: Database, record_id: int, user_id: int | None) -> dict[str, Any]:
    """A person asks for the record to be archived (again): it goes back to ``pending``
    (unless already queued or running, or its address is not a web address: never
    fetched). Returns the record."""
    with transaction(db):
        record = get_record(db, record_id)
        if record["state"] not in ("pending", "archiving") and not not_web_reason(record["url"]):
            db.execute(
                "UPDATE source_records SET state = 'pending', reason = '', attempts = 0,"
                " updated_at = ? WHERE id = ?",
                (now(), record_id),
            )
            _audit(
                db,
                user_id=user_id,
                action="archive",
                table="source_records",
                row_id=record_id,
                before={"state": record["state"], "reason": record["reason"]},
                after={"state": "pending"},
            )
        return get_record(db, record_id)


def has_unlinked(db: Database) -> bool:
    """Whether a cited address has no record yet (saved before the library existed)."""
    return (
        db.execute("SELECT 1 FROM sources WHERE record_id IS NULL AND url <> '' LIMIT 1").fetchone()
        is not None
    )


def verdict_work(db: Database, verdict_id: int) -> tuple[list[int], list[int]]:
    """What a saved verdict's sources need: the records to archive (``pending``) and the
    archives with an excerpt of it not yet checked."""
    pending: set[int] = set()
    unchecked: set[int] = set()
    for record_id, state, archive_id, excerpt, checked in db.execute(
        "SELECT r.id, r.state, s.archive_id, s.excerpt, EXISTS (SELECT 1 FROM excerpt_checks x"
        " WHERE x.archive_id = s.archive_id AND x.excerpt = s.excerpt) FROM sources s"
        " JOIN source_records r ON r.id = s.record_id WHERE s.verdict_id = ?",
        (verdict_id,),
    ):
        if state == "pending":
            pending.add(record_id)
        elif archive_id is not None and excerpt and not checked:
            unchecked.add(archive_id)
    return sorted(pending), sorted(unchecked)


def pending_excerpts(db: Database) -> list[int]:
    """Archives with a cited excerpt not yet checked (an excerpt typed after archiving)."""
    return [
        r[0]
        for r in db.execute(
            "SELECT DISTINCT s.archive_id FROM sources s WHERE s.archive_id IS NOT NULL"
            " AND s.excerpt <> '' AND NOT EXISTS (SELECT 1 FROM excerpt_checks x"
            " WHERE x.archive_id = s.archive_id AND x.excerpt = s.excerpt)"
        )
    ]


# Archives and excerpt checks -----------------------------------------------------------------


def get_archive(db: Database, archive_id: int) -> dict[str, Any]:
    archive = _row(
        db,
        "SELECT a.*, r.url AS record_url, r.id AS record_id, EXISTS (SELECT 1 FROM source_warcs"
        " w WHERE w.archive_id = a.id) AS has_warc FROM source_archives a"
        " JOIN source_records r ON r.id = a.record_id WHERE a.id = ?",
        (archive_id,),
    )
    if archive is None:
        raise NotFound(f"archive {archive_id}")
    return archive


def get_warc(db: Database, archive_id: int) -> bytes:
    row = db.execute("SELECT warc FROM source_warcs WHERE archive_id = ?", (archive_id,)).fetchone()
    if row is None:
        raise NotFound(f"WARC of archive {archive_id}")
    return bytes(row[0])


def unchecked_excerpts(db: Database, archive_id: int) -> list[str]:
    """The distinct excerpts cited from the archive that have no check yet."""
    return [
        r[0]
        for r in db.execute(
            "SELECT DISTINCT s.excerpt FROM sources s WHERE s.archive_id = ? AND s.excerpt <> ''"
            " AND NOT EXISTS (SELECT 1 FROM excerpt_checks x WHERE x.archive_id = s.archive_id"
            " AND x.excerpt = s.excerpt)",
            (archive_id,),
        )
    ]


def archive_text(db: Database, archive_id: int) -> str:
    row = db.execute("SELECT text FROM source_archives WHERE id = ?", (archive_id,)).fetchone()
    return "" if row is None else str(row[0])


def save_excerpt_checks(db: Database, archive_id: int, checks: Iterable[tuple[str, Any]]) -> None:
    """Store ``(excerpt, check)`` pairs (:class:`factcheck.evidence.excerpts.ExcerptCheck`)."""
    checks = list(checks)
    if not checks:
        return
    with transaction(db):
        _insert_checks(db, archive_id, checks)


def _insert_checks(db: Database, archive_id: int, checks: Iterable[tuple[str, Any]]) -> None:
    stamp = now()
    db.conn.executemany(
        "INSERT OR REPLACE INTO excerpt_checks (archive_id, excerpt, result, score, start,"
        ' "end", checked_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [
            (archive_id, excerpt, c.result, int(c.score), c.start, c.end, stamp)
            for excerpt, c in checks
        ],
    )


def get_excerpt_check(db: Database, check_id: int) -> dict[str, Any] | None:
    return _row(db, "SELECT * FROM excerpt_checks WHERE id = ?", (check_id,))


# What the panel shows ------------------------------------------------------------------------

_EVIDENCE_SQL = """
    SELECT s.verdict_id, s.position, s.url, s.title, s.publisher, s.excerpt, s.stance,
           s.accessed,
           r.id AS record_id, r.state, r.reason, r.attempts, r.link_status,
           r.link_checked_at, r.link_reason,
           a.id AS archive_id, a.fetched_at, a.http_status, a.content_type, a.sha256,
           a.final_url, a.origin,
           EXISTS (SELECT 1 FROM source_warcs w WHERE w.archive_id = a.id) AS has_warc,
           x.id AS check_id, x.result AS excerpt_check, x.score AS excerpt_score
    FROM sources s
    LEFT JOIN source_records r ON r.id = s.record_id
    LEFT JOIN source_archives a ON a.id = s.archive_id
    LEFT JOIN excerpt_checks x ON x.archive_id = s.archive_id AND x.excerpt = s.excerpt
        AND s.excerpt <> ''
"""


def verdict_evidence(db: Database, verdict_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """For each verdict, its sources with their archive state, in order."""
    if not verdict_ids:
        return {}
    marks = ",".join("?" * len(verdict_ids))
    out: dict[int, list[dict[str, Any]]] = {int(v): [] for v in verdict_ids}
    for row in _rows(
        db,
        _EVIDENCE_SQL + f" WHERE s.verdict_id IN ({marks}) ORDER BY s.verdict_id, s.position, s.id",
        list(verdict_ids),
    ):
        out[row["verdict_id"]].append(row)
    return out


def claim_evidence(db: Database, claim_id: int) -> dict[int, list[dict[str, Any]]]:
    """For each verdict on the claim, its sources with their archive state, in order (as
    :func:`verdict_evidence`), each also with ``archive``: what the verdict's sources carry
    (:func:`archive_of`); one read."""
    out: dict[int, list[dict[str, Any]]] = {}
    for row in _rows(
        db,
        _EVIDENCE_SQL.replace("SELECT", f"SELECT {ARCHIVE_JSON_SQL} AS archive,", 1)
        + " WHERE s.verdict_id IN (SELECT id FROM verdicts WHERE claim_id = ?)"
        " ORDER BY s.verdict_id, s.position, s.id",
        (claim_id,),
    ):
        row["archive"] = json.loads(row["archive"])
        out.setdefault(row["verdict_id"], []).append(row)
    return out


def waiting(entries: Iterable[dict[str, Any]]) -> bool:
    """Whether any of the sources is still being archived or checked (the panel polls)."""
    for e in entries:
        if e.get("record_id") and e.get("archive_id") is None and e["state"] in STATES[:2]:
            return True
        if e.get("archive_id") and e.get("excerpt") and e.get("excerpt_check") is None:
            return True
    return False


# Who sees which citations --------------------------------------------------------------------


def visible_sql(viewer: tuple[int, bool] | None) -> tuple[str, list[Any]]:
    """SQL over a citation (``sources s`` of verdict ``v`` on claim ``c``) true when the
    viewer may see it: everyone's for ``None`` (editors); for ``(user_id, blind)`` their own
    citations and those on claims of articles they review whose other verdicts they may see
    (under blind review: once they have saved their own verdict on the claim)."""
    if viewer is None:
        return "1", []
    user_id, blind = viewer
    sql = (
        "(v.user_id = ? OR ((EXISTS (SELECT 1 FROM assignments g WHERE g.article_id ="
        " c.article_id AND g.user_id = ?) OR EXISTS (SELECT 1 FROM articles ga WHERE ga.id ="
        " c.article_id AND ga.created_by = ?))"
    )
    params: list[Any] = [user_id, user_id, user_id]
    if blind:
        sql += (
            " AND EXISTS (SELECT 1 FROM verdicts mv WHERE mv.claim_id = v.claim_id"
            " AND mv.user_id = ?)"
        )
        params.append(user_id)
    return sql + "))", params


def _record_visible_sql(viewer: tuple[int, bool] | None) -> tuple[str, list[Any]]:
    """SQL over a record ``r``: it has a citation the viewer may see."""
    if viewer is None:
        return "1", []
    sql, params = visible_sql(viewer)
    return (
        "EXISTS (SELECT 1 FROM sources s JOIN verdicts v ON v.id = s.verdict_id"
        f" JOIN claims c ON c.id = v.claim_id WHERE s.record_id = r.id AND {sql})",
        params,
    )


def may_see_record(db: Database, record_id: int, viewer: tuple[int, bool] | None) -> bool:
    sql, params = _record_visible_sql(viewer)
    return (
        db.execute(
            f"SELECT 1 FROM source_records r WHERE r.id = ? AND {sql}",  # noqa: S608
            [record_id, *params],
        ).fetchone()
        is not None
    )


# The Sources page ----------------------------------------------------------------------------


def list_records(
    db: Database,
    *,
    status: str | None = None,
    publisher: str | None = None,
    stance: str | None = None,
    query: str | None = None,
    viewer: tuple[int, bool] | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Records of the library the viewer may see (see :func:`visible_sql`), most cited
    first, with how often and with which stances they are cited; ``status`` is an archiving
    state or a link status."""
    seen, params = _record_visible_sql(viewer)
    clauses: list[str] = [seen]
    if status in STATES:
        clauses.append("r.state = ?")
        params.append(status)
    elif status in LINK_STATES:
        clauses.append("r.link_status = ?")
        params.append(status)
    if publisher:
        clauses.append("r.publisher = ? COLLATE NOCASE")
        params.append(publisher.strip())
    if stance in STANCES:
        clauses.append("EXISTS (SELECT 1 FROM sources t WHERE t.record_id = r.id AND t.stance = ?)")
        params.append(stance)
    if query:
        clauses.append("(r.url LIKE ? ESCAPE '\\' OR r.title LIKE ? ESCAPE '\\')")
        like = "%" + _like(query.strip()) + "%"
        params += [like, like]
    where = " AND ".join(clauses) or "1"
    return _rows(
        db,
        "SELECT r.*, a.fetched_at, a.http_status, a.sha256,"
        " (SELECT count(*) FROM sources s WHERE s.record_id = r.id) AS citations,"
        " (SELECT count(DISTINCT v.claim_id) FROM sources s JOIN verdicts v"
        "  ON v.id = s.verdict_id WHERE s.record_id = r.id) AS claims,"
        " (SELECT group_concat(stance || ':' || n, ',') FROM (SELECT s.stance, count(*) AS n"
        "  FROM sources s WHERE s.record_id = r.id GROUP BY s.stance)) AS stances"
        f" FROM source_records r LEFT JOIN source_archives a ON a.id = r.archive_id WHERE {where}"
        " ORDER BY citations DESC, r.id DESC LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )


def count_records(db: Database) -> dict[str, int]:
    counts = {key: 0 for key in STATES + LINK_STATES}
    for state, n in db.execute("SELECT state, count(*) FROM source_records GROUP BY state"):
        counts[state] = n
    for state, n in db.execute(
        "SELECT link_status, count(*) FROM source_records WHERE link_status IS NOT NULL"
        " GROUP BY link_status"
    ):
        counts[state] = n
    counts["all"] = sum(counts[s] for s in STATES)
    return counts


def publishers(db: Database) -> list[str]:
    return [
        r[0]
        for r in db.execute(
            "SELECT DISTINCT publisher FROM source_records WHERE publisher <> ''"
            " ORDER BY publisher COLLATE NOCASE"
        )
    ]


def record_citations(
    db: Database, record_id: int, viewer: tuple[int, bool] | None = None, limit: int = 200
) -> list[dict[str, Any]]:
    """Where the record is cited (the citations the viewer may see): claim, article,
    reviewer, stance and excerpt check."""
    seen, params = visible_sql(viewer)
    return _rows(
        db,
        "SELECT s.stance, s.excerpt, s.archive_id, v.claim_id, v.user_id, c.text AS claim_text,"
        " c.article_id, a.title AS article_title, u.username AS reviewer,"
        " x.id AS check_id, x.result AS excerpt_check, x.score AS excerpt_score"
        " FROM sources s JOIN verdicts v ON v.id = s.verdict_id"
        " JOIN claims c ON c.id = v.claim_id JOIN articles a ON a.id = c.article_id"
        " LEFT JOIN users u ON u.id = v.user_id"
        " LEFT JOIN excerpt_checks x ON x.archive_id = s.archive_id AND x.excerpt = s.excerpt"
        " AND s.excerpt <> ''"
        f" WHERE s.record_id = ? AND {seen} ORDER BY c.article_id, c.start, v.created_at"
        " LIMIT ?",
        [record_id, *params, limit],
    )


def record_archives(db: Database, record_id: int) -> list[dict[str, Any]]:
    return _rows(
        db,
        "SELECT id, fetched_at, http_status, content_type, sha256, size, final_url, origin,"
        " EXISTS (SELECT 1 FROM source_warcs w WHERE w.archive_id = a.id) AS has_warc"
        " FROM source_archives a WHERE record_id = ? ORDER BY id DESC",
        (record_id,),
    )


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def suggest(
    db: Database, query: str, viewer: tuple[int, bool] | None = None, limit: int = 8
) -> list[dict[str, Any]]:
    """Earlier sources the viewer may see whose address or title contains ``query`` (most
    cited first)."""
    query = query.strip()
    if len(query) < 2:
        return []
    like = "%" + _like(query) + "%"
    seen, params = _record_visible_sql(viewer)
    return _rows(
        db,
        "SELECT r.id, r.url, r.title, r.publisher, r.state, r.link_status,"
        " (SELECT count(*) FROM sources s WHERE s.record_id = r.id) AS citations"
        " FROM source_records r WHERE (r.url LIKE ? ESCAPE '\\' OR r.title LIKE ? ESCAPE '\\')"
        f" AND {seen} ORDER BY citations DESC, r.id DESC LIMIT ?",
        [like, like, *params, limit],
    )


# Link checks ---------------------------------------------------------------------------------


def records_to_check(db: Database, limit: int | None = None) -> list[dict[str, Any]]:
    """Cited records with an archive to compare with, least recently checked first."""
    return _rows(
        db,
        "SELECT r.id, r.url, a.text_sha256, a.origin FROM source_records r"
        " JOIN source_archives a ON a.id = r.archive_id"
        " WHERE EXISTS (SELECT 1 FROM sources s WHERE s.record_id = r.id)"
        " ORDER BY r.link_checked_at IS NOT NULL, r.link_checked_at, r.id"
        + (" LIMIT ?" if limit else ""),
        (limit,) if limit else (),
    )


def save_link_check(db: Database, record_id: int, status: str, reason: str) -> None:
    if status not in LINK_STATES:
        raise ValueError(status)
    with transaction(db):
        db.execute(
            "UPDATE source_records SET link_status = ?, link_reason = ?, link_checked_at = ?"
            " WHERE id = ?",
            (status, reason[:2000], now(), record_id),
        )


# WARC export ---------------------------------------------------------------------------------


def warcs(db: Database, article_id: int | None = None) -> Iterable[bytes]:
    """The WARC records of every archive cited (by the article's verdicts), oldest first."""
    if article_id is None:
        sql = (
            "SELECT w.warc FROM source_warcs w WHERE w.archive_id IN"
            " (SELECT archive_id FROM sources WHERE archive_id IS NOT NULL) ORDER BY w.archive_id"
        )
        params: tuple[Any, ...] = ()
    else:
        sql = (
            "SELECT w.warc FROM source_warcs w WHERE w.archive_id IN (SELECT s.archive_id"
            " FROM sources s JOIN verdicts v ON v.id = s.verdict_id JOIN claims c"
            " ON c.id = v.claim_id WHERE c.article_id = ?) ORDER BY w.archive_id"
        )
        params = (article_id,)
    for row in db.execute(sql, params):
        yield bytes(row[0])


# In the exports --------------------------------------------------------------------------------

#: The archive fields of a cited source in the exports, in order.
ARCHIVE_KEYS = (
    "state",
    "reason",
    "archived_at",
    "sha256",
    "http_status",
    "content_type",
    "final_url",
    "excerpt_check",
    "excerpt_score",
    "link_status",
    "link_checked_at",
)

_ARCHIVE_FROM = (
    " FROM source_records r LEFT JOIN source_archives a ON a.id = s.archive_id"
    " LEFT JOIN excerpt_checks x ON x.archive_id = s.archive_id AND x.excerpt = s.excerpt"
    " AND s.excerpt <> '' WHERE r.id = s.record_id"
)

#: SQL of a cited source's archive as JSON text (``null`` for a source without an address),
#: over a row of ``sources`` aliased ``s``: what :func:`archive_of` gives as a dict.
ARCHIVE_JSON_SQL = (
    "CASE WHEN s.record_id IS NULL THEN 'null' ELSE coalesce((SELECT json_object("
    "'state', CASE WHEN a.id IS NOT NULL THEN 'archived' ELSE r.state END,"
    " 'reason', CASE WHEN a.id IS NOT NULL THEN '' ELSE r.reason END,"
    " 'archived_at', a.fetched_at, 'sha256', a.sha256, 'http_status', a.http_status,"
    " 'content_type', a.content_type, 'final_url', a.final_url,"
    " 'excerpt_check', x.result, 'excerpt_score', x.score,"
    " 'link_status', r.link_status, 'link_checked_at', r.link_checked_at)"
    + _ARCHIVE_FROM
    + "), 'null') END"
)

#: SQL of a cited source's archive in a line of the CSV sources cell (see
#: :func:`archive_summary`), over a row of ``sources`` aliased ``s``.
ARCHIVE_CELL_SQL = (
    "CASE WHEN s.record_id IS NULL THEN '' ELSE coalesce((SELECT"
    " CASE WHEN a.id IS NOT NULL THEN 'archived ' || a.fetched_at || ' sha256:' || a.sha256"
    " || ' HTTP ' || coalesce(a.http_status, '')"
    " ELSE r.state || CASE WHEN r.reason <> '' THEN ': ' || r.reason ELSE '' END END"
    " || CASE x.result WHEN 'found' THEN '; excerpt found'"
    " WHEN 'close' THEN '; excerpt close match (' || x.score || ' %)'"
    " WHEN 'not_found' THEN '; excerpt not found' ELSE '' END"
    " || CASE WHEN r.link_status IS NOT NULL THEN '; link ' || r.link_status ELSE '' END"
    + _ARCHIVE_FROM
    + "), '') END"
)


def archive_sql(db: Database) -> str:
    """:data:`ARCHIVE_JSON_SQL`, or ``'null'`` in a database before the library (m015)."""
    return ARCHIVE_JSON_SQL if library_ready(db) else "'null'"


def with_archive(sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sources whose ``archive`` column (JSON text, :func:`archive_sql`) is read."""
    for source in sources:
        source["archive"] = json.loads(source["archive"])
    return sources


def archive_summary(archive: dict[str, Any] | None) -> str:
    """A source's archive in one line, as the CSV export writes it (what
    :data:`ARCHIVE_CELL_SQL` computes): ``archived <time> sha256:<hex> HTTP <status>`` or the
    state and reason, then the excerpt check and the last link check."""
    if not archive:
        return ""
    if archive.get("archived_at"):
        status = archive.get("http_status")
        text = (
            f"archived {archive['archived_at']} sha256:{archive.get('sha256') or ''}"
            f" HTTP {'' if status is None else status}"
        )
    else:
        text = str(archive.get("state") or "")
        if archive.get("reason"):
            text += f": {archive['reason']}"
    check = archive.get("excerpt_check")
    if check == "found":
        text += "; excerpt found"
    elif check == "close":
        text += f"; excerpt close match ({archive.get('excerpt_score')} %)"
    elif check == "not_found":
        text += "; excerpt not found"
    if archive.get("link_status"):
        text += f"; link {archive['link_status']}"
    return text


def restore_sources(db: Database, verdict_id: int, archives: Sequence[Any]) -> None:
    """After an import wrote a verdict's sources: link them to the library and restore what
    the export said of their archives (``archives``, each source's ``archive`` object or
    None, in order): the record's state, reason and last link check where the record has none
    yet, the archive's details (time, SHA-256, status, type, final address: an ``import``
    archive without WARC or text, unless this database holds that very copy) and the excerpt
    check. In the caller's transaction."""
    link_sources(db, verdict_id)
    if not any(isinstance(a, dict) for a in archives):
        return
    rows = db.execute(
        "SELECT id, record_id, excerpt FROM sources WHERE verdict_id = ? ORDER BY position, id",
        (verdict_id,),
    ).fetchall()
    stamp = now()
    for (source_id, record_id, excerpt), archive in zip(rows, archives, strict=False):
        if not isinstance(archive, dict) or record_id is None:
            continue
        record = db.execute(
            "SELECT state, archive_id, link_status FROM source_records WHERE id = ?", (record_id,)
        ).fetchone()
        archive_id = None
        if archive.get("archived_at") and archive.get("sha256"):
            found = db.execute(
                "SELECT id FROM source_archives WHERE record_id = ? AND fetched_at = ?"
                " AND sha256 = ?",
                (record_id, str(archive["archived_at"]), str(archive["sha256"])),
            ).fetchone()
            if found is not None:
                archive_id = found[0]
            else:
                status = archive.get("http_status")
                archive_id = db.execute(
                    "INSERT INTO source_archives (record_id, requested_url, final_url,"
                    " fetched_at, http_status, content_type, sha256, origin)"
                    " SELECT id, url, ?, ?, ?, ?, ?, 'import' FROM source_records WHERE id = ?",
                    (
                        str(archive.get("final_url") or ""),
                        str(archive["archived_at"]),
                        status if isinstance(status, int) else None,
                        str(archive.get("content_type") or ""),
                        str(archive["sha256"]),
                        record_id,
                    ),
                ).lastrowid
            db.execute("UPDATE sources SET archive_id = ? WHERE id = ?", (archive_id, source_id))
            if record[1] is None:
                db.execute(
                    "UPDATE source_records SET archive_id = ?, state = 'archived', reason = ''"
                    " WHERE id = ?",
                    (archive_id, record_id),
                )
        elif record[1] is None and archive.get("state") in ("failed",):
            db.execute(
                "UPDATE source_records SET state = 'failed', reason = ? WHERE id = ?",
                (str(archive.get("reason") or "")[:2000], record_id),
            )
        if record[2] is None and archive.get("link_status") in LINK_STATES:
            db.execute(
                "UPDATE source_records SET link_status = ?, link_checked_at = ? WHERE id = ?",
                (archive["link_status"], archive.get("link_checked_at") or stamp, record_id),
            )
        check = archive.get("excerpt_check")
        if archive_id is not None and excerpt and check in ("found", "close", "not_found"):
            score = archive.get("excerpt_score")
            db.execute(
                "INSERT OR IGNORE INTO excerpt_checks (archive_id, excerpt, result, score,"
                " checked_at) VALUES (?, ?, ?, ?, ?)",
                (archive_id, excerpt, check, int(score) if isinstance(score, int) else 0, stamp),
            )
