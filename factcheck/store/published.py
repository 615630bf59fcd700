"""Reading the published record: the public pages, the public JSON-LD and "published" exports.

Everything here reads published versions (``published_claims``, ``article_publications``:
written only by :mod:`factcheck.store.publish`), never the live claims, so a live edit of a
published claim changes nothing public until an editor publishes a correction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlite_utils import Database

from ..agreement import claim_agreement
from .base import NotFound, _row, _rows, snapshot
from .publish import _VERSION_SELECT, ARTICLE_KEYS, _version_from_row, claim_versions


def article_publications(db: Database, article_id: int) -> list[dict[str, Any]]:
    """The article's publications and withdrawals, oldest first."""
    rows = _rows(
        db,
        "SELECT p.*, u.username FROM article_publications p"
        " LEFT JOIN users u ON u.id = p.user_id WHERE p.article_id = ? ORDER BY p.id",
        (article_id,),
    )
    for row in rows:
        row["article"] = json.loads(row["article"])
    return rows


def publishing_history(db: Database, article_id: int) -> list[dict[str, Any]]:
    """What the desk did to the article's published record, newest first, for its staff pages:
    each publication and withdrawal of the article, first publication of a claim, correction
    and withdrawal of a claim, as ``{"at", "action", "claim_id", "version", "text", "note",
    "by"}`` (``action``: publish, unpublish, publish_claim, correct or withdraw; ``by`` the
    editor's username, None for a user since deleted or an import without one)."""
    rows = _rows(
        db,
        "SELECT p.at, p.action, NULL AS claim_id, NULL AS version, NULL AS text, p.note,"
        " u.username AS by, 0 AS src, p.id AS ord FROM article_publications p"
        " LEFT JOIN users u ON u.id = p.user_id WHERE p.article_id = :article"
        " UNION ALL"
        " SELECT v.published_at, CASE WHEN v.version = 1 THEN 'publish_claim'"
        "   WHEN v.status = 'withdrawn' THEN 'withdraw' ELSE 'correct' END, v.claim_id,"
        " v.version, v.text, v.note, u.username, 1, v.id FROM published_claims v"
        " LEFT JOIN users u ON u.id = v.published_by WHERE v.article_id = :article"
        " ORDER BY 1 DESC, 8, 9 DESC",
        {"article": article_id},
    )
    for row in rows:
        del row["src"], row["ord"]
    return rows


def _legacy_corrections(db: Database, claim_ids: Sequence[int]) -> dict[int, list[dict]]:
    """Corrections of final ratings made before published versions existed (m002), by claim."""
    found: dict[int, list[dict[str, Any]]] = {}
    for row in _rows(
        db,
        "SELECT k.claim_id, k.before_rating, k.after_rating, k.note, k.at, u.username AS by"
        " FROM corrections k LEFT JOIN users u ON u.id = k.user_id"
        " WHERE k.published_claim_id IS NULL AND k.claim_id IN (SELECT value FROM json_each(?))"
        " ORDER BY k.claim_id, k.id",
        (json.dumps(list(claim_ids)),),
    ):
        found.setdefault(row["claim_id"], []).append(row)
    return found


def _public_entry(
    versions: list[dict[str, Any]],
    legacy: list[dict[str, Any]],
    withdrawn_article: dict[str, Any] | None,
) -> dict[str, Any]:
    """A claim's published record: the latest version, the first publication (``published_by``:
    who published it), corrections and the withdrawal, each with ``by``, the editor's username
    (for the desk's pages and exports; the public pages name the desk, not the person)."""
    latest = versions[-1]
    corrections = [
        {
            "version": v["version"],
            "at": v["published_at"],
            "note": v["note"],
            "changes": v["changes"],
            "status": v["status"],
            "by": v["published_by_name"],
        }
        for v in versions[1:]
    ] + [
        {
            "version": None,
            "at": k["at"],
            "note": k["note"],
            "changes": {"rating": {"before": k["before_rating"], "after": k["after_rating"]}},
            "status": "published",
            "by": k["by"],
        }
        for k in legacy
    ]
    corrections.sort(key=lambda k: k["at"])
    withdrawn = None
    if latest["status"] == "withdrawn":
        withdrawn = {
            "at": latest["published_at"],
            "note": latest["note"],
            "scope": "claim",
            "by": latest["published_by_name"],
        }
    elif withdrawn_article is not None:
        withdrawn = {
            "at": withdrawn_article["at"],
            "note": withdrawn_article["note"],
            "scope": "article",
            "by": withdrawn_article.get("username"),
        }
    return {
        "claim_id": latest["claim_id"],
        "article_id": latest["article_id"],
        "version": latest,
        "first_published_at": versions[0]["published_at"],
        "published_by": versions[0]["published_by_name"],
        "modified_at": latest["published_at"],
        "corrections": corrections,
        "withdrawn": withdrawn,
    }


def _article_withdrawal(db: Database, article_id: int) -> dict[str, Any] | None:
    """The article's withdrawal when its latest publication event is one, else None."""
    row = _row(
        db,
        "SELECT p.action, p.note, p.at, p.article, u.username FROM article_publications p"
        " LEFT JOIN users u ON u.id = p.user_id WHERE p.article_id = ?"
        " ORDER BY p.id DESC LIMIT 1",
        (article_id,),
    )
    if row is None or row["action"] != "unpublish":
        return None
    return row


def _public_article_head(db: Database, article_id: int) -> dict[str, Any]:
    events = article_publications(db, article_id)
    if not events:
        raise NotFound(f"article {article_id}")
    body = db.execute("SELECT body FROM articles WHERE id = ?", (article_id,)).fetchone()[0]
    last_published = next(e for e in reversed(events) if e["action"] == "publish")
    latest = events[-1]
    return {
        "id": article_id,
        **last_published["article"],
        "first_published_at": events[0]["at"],
        "published_at": last_published["at"],
        "withdrawn": (
            {"at": latest["at"], "note": latest["note"]}
            if latest["action"] == "unpublish"
            else None
        ),
        "body": body,
    }


def public_claim(db: Database, claim_id: int) -> dict[str, Any]:
    """The published record of a claim (see :func:`_public_entry`) with its ``article``
    (the latest version's details, ``id``, ``body``); :class:`NotFound` for a claim that was
    never published (whether it exists or not). Read from one snapshot."""
    with snapshot(db) as snap:
        versions = claim_versions(snap, claim_id)
        if not versions:
            raise NotFound(f"claim {claim_id}")
        article_id = versions[-1]["article_id"]
        entry = _public_entry(
            versions,
            _legacy_corrections(snap, [claim_id]).get(claim_id, []),
            _article_withdrawal(snap, article_id),
        )
        head = _public_article_head(snap, article_id)
        entry["article"] = head | versions[-1]["article"]
        return entry


def public_article(db: Database, article_id: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A published (or once published) article's details (``withdrawn`` when it is
    withdrawn) and the published records of its claims in reading order, withdrawn ones
    included; :class:`NotFound` for an article never published. Read from one snapshot."""
    with snapshot(db) as snap:
        head = _public_article_head(snap, article_id)
        versions: dict[int, list[dict[str, Any]]] = {}
        for row in _rows(
            snap,
            f"{_VERSION_SELECT} WHERE p.article_id = ? ORDER BY p.claim_id, p.version",
            (article_id,),
        ):
            versions.setdefault(row["claim_id"], []).append(_version_from_row(row))
        legacy = _legacy_corrections(snap, list(versions))
        withdrawal = _article_withdrawal(snap, article_id)
        entries = [
            _public_entry(found, legacy.get(claim_id, []), withdrawal)
            for claim_id, found in versions.items()
        ]
    entries.sort(key=lambda e: (e["version"]["start"], e["version"]["end"], e["claim_id"]))
    return head, entries


def published_entries(db: Database, claim_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """The published records (see :func:`_public_entry`) of those of ``claim_ids`` that were
    published, by claim id (for exports: one query for the versions, one for legacy
    corrections, one for article withdrawals)."""
    versions: dict[int, list[dict[str, Any]]] = {}
    ids = json.dumps(list(claim_ids))
    try:
        rows = _rows(
            db,
            f"{_VERSION_SELECT} WHERE p.claim_id IN (SELECT value FROM json_each(?))"
            " ORDER BY p.claim_id, p.version",
            (ids,),
        )
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return {}  # (a database before m009: nothing was published as versions)
        raise
    for row in rows:
        versions.setdefault(row["claim_id"], []).append(_version_from_row(row))
    if not versions:
        return {}
    legacy = _legacy_corrections(db, list(versions))
    withdrawals = {
        row["article_id"]: row
        for row in _rows(
            db,
            "SELECT p.article_id, p.action, p.note, p.at, u.username"
            " FROM article_publications p LEFT JOIN users u ON u.id = p.user_id"
            " WHERE p.id IN (SELECT max(id) FROM article_publications"
            "   WHERE article_id IN (SELECT DISTINCT article_id FROM published_claims"
            "     WHERE claim_id IN (SELECT value FROM json_each(?))) GROUP BY article_id)"
            " AND p.action = 'unpublish'",
            (ids,),
        )
    }
    return {
        claim_id: _public_entry(
            found, legacy.get(claim_id, []), withdrawals.get(found[-1]["article_id"])
        )
        for claim_id, found in versions.items()
    }


def version_record(entry: dict[str, Any], scale: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """A published record (:func:`_public_entry` with ``article``) as a claim record of the
    exports' shape (see :mod:`factcheck.export`), read from its latest version only: for the
    ClaimReview of published claims (``published_at`` the first publication, ``modified_at``
    the latest version's date)."""
    version = entry["version"]
    entry_of = {e["key"]: e for e in scale}.get(version["rating"], {})
    article = entry.get("article") or version["article"]
    return {
        "article": {"id": version["article_id"]} | {k: article.get(k) for k in ARTICLE_KEYS},
        "claim": {
            "id": version["claim_id"],
            "start": version["start"],
            "end": version["end"],
            "quote": version["quote"],
            "text": version["text"],
            "claimant": version["claimant"],
            "claimant_kind": version["claimant_kind"],
        },
        "verdicts": [],
        "final": {
            "rating": version["rating"],
            "label": entry_of.get("label", version["rating"]),
            "value": entry_of.get("value"),
            "reason": version["reason"],
            "decided_at": version["published_at"],
            "decided_by": None,
        },
        "published_at": entry["first_published_at"],
        "modified_at": entry["modified_at"],
        # (what the ClaimReview cites: the version's own sources, as export records carry them)
        "published": {"status": "published", "sources": version.get("sources") or []},
    }


def as_published(record: dict[str, Any], scale: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """An export record read from its claim's published record only (``record["published"]``,
    see :func:`published_json`): the wording, quote, claimant, final verdict and article
    details of the latest version, ``published_at`` its first publication, ``modified_at`` its
    latest version, no reviewers' verdicts and so none of the live figures made of them
    (``agreement``: no verdicts, no disagreement). None for a claim that is not public now
    (never published, or withdrawn)."""
    published = record.get("published")
    if not published or published["status"] != "published" or record.get("claim") is None:
        return None
    entry = {e["key"]: e for e in scale}.get(published["rating"], {})
    claim = dict(record["claim"])
    for key in ("text", "quote", "claimant", "claimant_kind"):
        claim[key] = published[key]
    # What a published version does not hold (how the live wording was made, where the live
    # claimant is named) is left out rather than read from the live claim.
    for key in ("claimant_start", "claimant_end", "wording_source"):
        if key in claim:
            claim[key] = None
    if "wording_spans" in claim:
        claim["wording_spans"] = []
    claim["updated_at"] = published["modified_at"]  # (not the live claim's last edit)
    claim["dismissed"] = False  # (a live dismissal changes nothing public)
    agreement = claim_agreement((), ())
    if "majority_label" in (record.get("agreement") or {}):
        agreement["majority_label"] = None
    if "comments" in record:
        record = record | {"comments": []}  # (the desk's discussion is not public)
    return record | {
        "article": record["article"] | published["article"],
        "claim": claim,
        "verdicts": [],
        "agreement": agreement,
        "final": {
            "rating": published["rating"],
            "label": published["label"],
            "value": entry.get("value"),
            "reason": published["reason"],
            "decided_at": published["modified_at"],
            "decided_by": None,
        },
        "published_at": published["first_published_at"],
        "modified_at": published["modified_at"],
    }


def published_view(
    records: Iterable[dict[str, Any]],
    scale: Sequence[dict[str, Any]],
    *,
    unpublished: bool,
) -> Iterator[dict[str, Any]]:
    """Export records with every published claim read from its published record
    (:func:`as_published`) and withdrawn ones left out; claims never published are kept
    as they are when ``unpublished`` (a ClaimReview preview of the desk's own decisions),
    else left out. Records of articles without claims pass through."""
    for record in records:
        if record.get("claim") is None:
            yield record
        elif record.get("published") is None:
            if unpublished:
                yield record
        else:
            shown = as_published(record, scale)
            if shown is not None:
                yield shown


# The published record of export records, as JSON text built by SQLite (the exports' fast
# paths write it as it comes; the record path parses it): ``"label"`` holds char(3) until
# :func:`with_label` puts the configured scale's label there.
_LABEL_MARK = '"label":"\\u0003"'
_PUBLISHED_JSON_SQL = """
    WITH l AS (
        SELECT p.*, (p.version - 1) + (SELECT count(*) FROM corrections k
                WHERE k.claim_id = p.claim_id AND k.published_claim_id IS NULL) AS fixes,
            CASE WHEN p.status = 'withdrawn' OR w.action = 'unpublish' THEN 'withdrawn'
                ELSE 'published' END AS shown,
            w.action AS w_action, w.note AS w_note, w.at AS w_at, wu.username AS w_by,
            pu.username AS p_by
        FROM published_claims p
        LEFT JOIN article_publications w ON w.id = (SELECT max(e.id)
            FROM article_publications e WHERE e.article_id = p.article_id)
        LEFT JOIN users wu ON wu.id = w.user_id
        LEFT JOIN users pu ON pu.id = p.published_by
        WHERE p.article_id BETWEEN :first AND :last
        AND NOT EXISTS (SELECT 1 FROM published_claims m
            WHERE m.claim_id = p.claim_id AND m.version = p.version + 1)
    )
    SELECT l.claim_id, l.version, l.shown, l.fixes, l.rating,
        CASE WHEN :full OR l.fixes > 0 THEN json_object(
            'version', l.version,
            'status', l.shown,
            'first_published_at', CASE WHEN l.version = 1 THEN l.published_at ELSE
                (SELECT f.published_at FROM published_claims f
                 WHERE f.claim_id = l.claim_id AND f.version = 1) END,
            'published_by', (SELECT fu.username FROM published_claims f
                JOIN users fu ON fu.id = f.published_by
                WHERE f.claim_id = l.claim_id AND f.version = 1),
            'modified_at', l.published_at,
            'withdrawn', CASE
                WHEN l.status = 'withdrawn' THEN json_object('at', l.published_at,
                    'note', l.note, 'scope', 'claim', 'by', l.p_by)
                WHEN l.w_action = 'unpublish' THEN json_object('at', l.w_at, 'note', l.w_note,
                    'scope', 'article', 'by', l.w_by) END,
            'text', l.text, 'quote', l.quote, 'claimant', l.claimant,
            'claimant_kind', l.claimant_kind, 'rating', l.rating, 'label', char(3),
            'reason', l.reason, 'sources', json(l.sources), 'article', json(l.article),
            'corrections', CASE WHEN l.fixes = 0 THEN json_array() ELSE (
                SELECT json_group_array(json(cj)) FROM (
                    SELECT v.published_at AS at, 0 AS src, v.version AS ord, json_object(
                        'version', v.version, 'at', v.published_at, 'note', v.note,
                        'changes', json(v.changes), 'by', vu.username) AS cj
                    FROM published_claims v LEFT JOIN users vu ON vu.id = v.published_by
                    WHERE v.claim_id = l.claim_id AND v.version > 1
                    UNION ALL
                    SELECT k.at, 1, k.id, json_object('version', NULL, 'at', k.at,
                        'note', k.note, 'changes', json_object('rating', json_object(
                            'before', k.before_rating, 'after', k.after_rating)),
                        'by', ku.username)
                    FROM corrections k LEFT JOIN users ku ON ku.id = k.user_id
                    WHERE k.claim_id = l.claim_id AND k.published_claim_id IS NULL
                    ORDER BY at, src, ord)) END) END
    FROM l
"""


def published_json(
    db: Database,
    claim_ids: Sequence[int],
    first_article: int,
    last_article: int,
    full: bool = True,
) -> dict[int, tuple[Any, ...]]:
    """What export records carry of the published claims among ``claim_ids`` (their
    ``"published"`` key), by claim id: ``(version, status, corrections, rating, json)``,
    ``status``
    published or withdrawn (the claim or its whole article), ``corrections`` how many, and
    the record as JSON text (see :func:`with_label`): the latest version (``version``,
    ``status``, its content), the first publication's and the latest version's dates and
    ``published_by`` (who first published it), the ``withdrawn`` notice (when, why, ``scope``
    claim or article, ``by`` whom) and every correction (version, date, note, ``by`` whom and
    ``changes`` as ``{field: {"before", "after"}}``; a correction of a final rating made
    before m009 has version null). The claims are of the articles
    ``first_article`` to ``last_article``: one range query over them (cheaper than looking
    the ids up one by one); none before m009. Without ``full`` (the CSV export) the JSON is
    built only for claims with corrections (None for the others)."""
    try:
        rows = db.conn.execute(
            _PUBLISHED_JSON_SQL, {"full": full, "first": first_article, "last": last_article}
        ).fetchall()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return {}
        raise
    if not rows:
        return {}
    wanted = set(claim_ids)
    return {row[0]: tuple(row[1:]) for row in rows if row[0] in wanted}


def with_label(entry: tuple[Any, ...], labels: dict[str, str]) -> str:
    """The JSON text of an entry of :func:`published_json` with its rating's label in place."""
    label = json.dumps(labels.get(entry[3], entry[3]), ensure_ascii=False)
    return entry[4].replace(_LABEL_MARK, '"label":' + label, 1)
