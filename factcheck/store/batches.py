"""Bulk imports: a batch of articles stored in one transaction, their claims extracted later.

:func:`create_batch` stores every article of a batch (marked ``extracting``, no claims yet)
with its audit rows in one ``BEGIN IMMEDIATE`` transaction; the extraction jobs
(:mod:`factcheck.bulk_import`) read :func:`articles_to_extract` and write each chunk's claims
with :func:`store_extracted`, one transaction per chunk. Until then an article has no claim
rows at all, so pages, counts and exports see an article without claims.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

from .. import ingest
from .articles import _ARTICLE_FIELDS, _insert_claims
from .base import Invalid, NotFound, _row, _rows, now, sha256, transaction

_PARAMS = 500  # ids per "IN (...)" (SQLite allows 32,766 parameters; keep statements small)


def create_batch(
    db: Database,
    drafts: Sequence[tuple[str, ingest.Draft]],
    user_id: int | None,
    source: str,
) -> dict[str, Any]:
    """Store ``(label, draft)`` articles as one batch; return ``{"batch_id", "article_ids",
    "duplicates": [{"label", "article_id"}]}``. An article whose text is stored already (or
    comes earlier in the batch) is skipped as a duplicate. All or nothing."""
    stamp = now()
    with transaction(db):
        digests = [sha256(draft.article["body"]) for _, draft in drafts]
        stored: dict[str, int] = {}
        unique = sorted(set(digests))
        for at in range(0, len(unique), _PARAMS):
            chunk = unique[at : at + _PARAMS]
            marks = ", ".join("?" * len(chunk))
            for row in db.execute(
                f"SELECT body_sha256, id FROM articles WHERE body_sha256 IN ({marks})", chunk
            ):
                stored[row[0]] = row[1]
        cursor = db.execute(
            "INSERT INTO import_batches (user_id, source, created_at) VALUES (?, ?, ?)",
            (user_id, source, stamp),
        )
        batch_id = int(cursor.lastrowid)
        rows, duplicates, seen = [], [], set()
        for (label, draft), digest in zip(drafts, digests, strict=True):
            if digest in stored:
                duplicates.append({"label": label, "article_id": stored[digest]})
                continue
            if digest in seen:
                duplicates.append({"label": label, "article_id": None})
                continue
            seen.add(digest)
            article = draft.article
            rows.append(
                (
                    article["title"],
                    article.get("url"),
                    article.get("publisher"),
                    article.get("author"),
                    article.get("published"),
                    article["body"],
                    digest,
                    article.get("original"),
                    article.get("original_type", "json"),
                    article.get("original_name"),
                    user_id,
                    stamp,
                    stamp,
                    batch_id,
                )
            )
        db.conn.executemany(
            "INSERT INTO articles (title, url, publisher, author, published, body, body_sha256,"
            " original, original_type, original_name, created_by, created_at, updated_at,"
            " batch_id, extraction) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            " 'extracting')",
            rows,
        )
        ids = [
            row[0]
            for row in db.execute(
                "SELECT id FROM articles WHERE batch_id = ? ORDER BY id", (batch_id,)
            )
        ]
        audit_rows = []
        for article_id, row in zip(ids, rows, strict=True):
            after = dict(zip(_ARTICLE_FIELDS, row[:5], strict=True))
            after |= {"body_sha256": row[6], "batch_id": batch_id}
            audit_rows.append(
                (stamp, user_id, article_id, article_id, json.dumps(after, ensure_ascii=False))
            )
        db.conn.executemany(
            "INSERT INTO audit_log (at, user_id, action, table_name, row_id, article_id, after)"
            " VALUES (?, ?, 'create', 'articles', ?, ?, ?)",
            audit_rows,
        )
        db.execute(
            "UPDATE import_batches SET total = ?, duplicates = ? WHERE id = ?",
            (len(ids), len(duplicates), batch_id),
        )
    return {"batch_id": batch_id, "article_ids": ids, "duplicates": duplicates}


def articles_to_extract(db: Database, article_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Those of ``article_ids`` still waiting for their claims (id, body, published,
    created_by)."""
    found: list[dict[str, Any]] = []
    for at in range(0, len(article_ids), _PARAMS):
        chunk = list(article_ids[at : at + _PARAMS])
        marks = ", ".join("?" * len(chunk))
        found += _rows(
            db,
            "SELECT id, body, published, created_by FROM articles"
            f" WHERE id IN ({marks}) AND extraction = 'extracting' ORDER BY id",
            chunk,
        )
    return found


def store_extracted(
    db: Database, results: Sequence[tuple[dict[str, Any], list[dict[str, Any]] | None, str | None]]
) -> int:
    """Store the claims of extracted articles (``(article, claims, None)``), or mark them
    failed (``(article, None, error)``), in one transaction. An article no longer
    'extracting' (done by an earlier run of the same job) is left alone. Returns how many
    articles were done."""
    stamp = now()
    done = 0
    with transaction(db):
        for article, claims, error in results:
            state = db.execute(
                "SELECT extraction FROM articles WHERE id = ?", (article["id"],)
            ).fetchone()
            if state is None or state[0] != "extracting":
                continue
            if error is not None or claims is None:
                db.execute(
                    "UPDATE articles SET extraction = 'failed', extraction_error = ? WHERE id = ?",
                    (error or "claim extraction failed", article["id"]),
                )
                continue
            try:
                _insert_claims(
                    db, article["id"], article["body"], claims, article["created_by"], stamp
                )
            except Invalid as exc:
                db.execute(
                    "UPDATE articles SET extraction = 'failed', extraction_error = ? WHERE id = ?",
                    (f"claim extraction failed: {exc}", article["id"]),
                )
                continue
            db.execute("UPDATE articles SET extraction = NULL WHERE id = ?", (article["id"],))
            done += 1
    return done


def extracting_article_ids(db: Database) -> list[int]:
    """Every article still waiting for its claims (to queue again when a worker starts)."""
    return [
        row[0]
        for row in db.execute("SELECT id FROM articles WHERE extraction = 'extracting' ORDER BY id")
    ]


def get_batch(db: Database, batch_id: int) -> dict[str, Any]:
    """The batch with its progress: ``extracting``, ``failed`` and ``done`` article counts."""
    batch = _row(db, "SELECT * FROM import_batches WHERE id = ?", (batch_id,))
    if batch is None:
        raise NotFound(f"import batch {batch_id}")
    counts = {"extracting": 0, "failed": 0, "done": 0}
    for state, count in db.execute(
        "SELECT extraction, count(*) FROM articles WHERE batch_id = ? GROUP BY extraction",
        (batch_id,),
    ):
        counts[state or "done"] = count
    batch.update(counts)
    batch["state"] = "extracting" if counts["extracting"] else "done"
    return batch


def batch_articles(
    db: Database, batch_id: int, *, limit: int = 50, failed_only: bool = False
) -> list[dict[str, Any]]:
    """The first articles of a batch (failed ones first), with their claim counts."""
    where = " AND a.extraction = 'failed'" if failed_only else ""
    return _rows(
        db,
        "SELECT a.id, a.title, a.extraction, a.extraction_error,"
        " (SELECT count(*) FROM claims c WHERE c.article_id = a.id) AS claims"
        f" FROM articles a WHERE a.batch_id = ?{where}"
        " ORDER BY a.extraction IS 'failed' DESC, a.id LIMIT ?",
        (batch_id, limit),
    )
