"""Reviewers' verdicts on claims and their sources."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

from .base import Conflict, Invalid, NotFound, _audit, _row, _rows, now, transaction
from .discussion import resolve_returns
from .evidence import archive_sql as _archive_sql
from .evidence import claim_evidence as _claim_evidence
from .evidence import library_ready as _library_ready
from .evidence import link_sources as _link_sources
from .evidence import with_archive as _with_archive
from .exports import rationale_html

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


def list_verdicts(db: Database, claim_id: int, *, evidence: bool = False) -> list[dict[str, Any]]:
    """Every reviewer's verdict on the claim, with sources and reviewer names; with
    ``evidence``, each also with its sources' archive states (``evidence``: the entries of
    :func:`factcheck.store.evidence.verdict_evidence`), read with the sources at once."""
    verdicts = _rows(
        db,
        "SELECT v.*, u.username AS reviewer FROM verdicts v JOIN users u ON u.id = v.user_id"
        " WHERE v.claim_id = ? ORDER BY v.created_at, v.id",
        (claim_id,),
    )
    if evidence and verdicts and _library_ready(db):
        entries = _claim_evidence(db, claim_id)
        for verdict in verdicts:
            verdict["evidence"] = entries.get(verdict["id"], [])
            verdict["sources"] = [
                {key: entry[key] for key in (*_SOURCE_FIELDS, "archive")}
                for entry in verdict["evidence"]
            ]
    elif len(verdicts) == 1:
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
