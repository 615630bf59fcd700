"""Full-text search over the claims (the FTS5 index ``claims_fts`` of migration m007).

``match`` is always an FTS5 query built by :mod:`factcheck.search` from quoted terms, never
text a user typed. Who may see what is decided by the caller (:mod:`factcheck.access`): the
store only applies the scope it is given.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

from .articles import VISIBLE_ARTICLE_IDS

# What ``highlight()`` puts around a matched term: two private-use characters, which
# :func:`factcheck.search.split_marked` turns into segments (text that holds them itself is
# shown without highlighting, so a claim cannot forge a match).
MARK_START = "\ue000"
MARK_END = "\ue001"

# bm25 weights of the indexed columns (text, quote): the wording counts twice the quote.
_BM25 = "bm25(claims_fts, 2.0, 1.0)"


def match_counts(db: Database, matches: Sequence[str], cap: int) -> list[int]:
    """How many claims (dismissed ones too) each FTS5 query of ``matches`` matches, counted
    up to ``cap`` only (reading a common word's whole list of claims would cost as much as
    the search it is meant to spare)."""
    return [
        db.execute(
            "SELECT count(*) FROM (SELECT 1 FROM claims_fts WHERE claims_fts MATCH ? LIMIT ?)",
            (match, cap),
        ).fetchone()[0]
        for match in matches
    ]


# How many of the best matches the index ranks alone (see _ranked_in_index), per result
# wanted, and at least; beyond RANKED_MAX wanted results the joined query ranks them.
RANKED_FACTOR = 4
RANKED_MIN = 200
RANKED_MAX = 2000


def _ranked_in_index(
    db: Database, match: str, scope: str, params: dict[str, Any]
) -> list[Any] | None:
    """The page of (id, score) that the joined ranking query would give, found by ranking
    in the index alone (no claim read per match: about half the cost when many claims
    match) the best ``RANKED_FACTOR`` times as many as wanted, then keeping those in scope
    (live, visible). None when that is not enough to be sure of the page (too few of the
    best in scope, or a page too deep): then the joined query ranks them all. ``scope`` is
    what a claim must be besides matching (SQL over ``c``, the claim). The order is
    the same either way: score, then id, over a total order.
    """
    wanted = params["offset"] + params["limit"]
    if wanted > RANKED_MAX:
        return None
    size = max(wanted * RANKED_FACTOR, RANKED_MIN)
    best = db.execute(
        f"SELECT rowid, {_BM25} AS score FROM claims_fts WHERE claims_fts MATCH :match"
        " ORDER BY score, rowid LIMIT :size",  # noqa: S608
        {"match": match, "size": size},
    ).fetchall()
    if not best:
        return []
    ids = json.dumps([row[0] for row in best])
    kept = {
        row[0]
        for row in db.execute(
            "SELECT c.id FROM claims c"
            f" WHERE c.id IN (SELECT value FROM json_each(:ids)) AND {scope}",  # noqa: S608
            {**params, "ids": ids},
        )
    }
    in_scope = [(row[0], row[1]) for row in best if row[0] in kept]
    if len(in_scope) < wanted and len(best) == size:
        return None  # (more of the best may lie beyond the ones ranked)
    return in_scope[params["offset"] : wanted]


def search_claims(
    db: Database,
    match: str,
    *,
    visible_to: int | None = None,
    viewer_id: int | None = None,
    sees_all_finals: bool = True,
    exclude_article: int | None = None,
    prefer_final: bool = False,
    newest: bool = False,
    limit: int = 20,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Live (undismissed) claims matching the FTS5 query ``match``, best first (bm25), or
    with ``newest`` the most recently stored first.

    ``visible_to``: only claims of articles assigned to that user or added by them (None:
    every article). ``exclude_article``: leave that article's claims out. ``prefer_final``:
    a claim whose final verdict the viewer may see ranks as if it matched twice as well;
    the viewer (``viewer_id``) sees a final verdict when ``sees_all_finals`` or they gave
    their own verdict on the claim (blind review), so the order tells them nothing more.

    Each result: the claim's ``id``, ``article_id``, ``text``, ``quote``, ``checkworthy``,
    the two texts with matches marked (``text_marked``, ``quote_marked``, see
    :data:`MARK_START`), ``score`` (bm25: lower is better), the ``article`` (id, title,
    publisher, published), ``verdicts`` (reviewer, rating; oldest first), ``final``
    ({rating} or None) and ``own`` (whether ``viewer_id`` gave a verdict on it).
    """
    where = ["NOT c.dismissed"]
    params: dict[str, Any] = {
        "match": match,
        "viewer": viewer_id,
        "limit": limit,
        "offset": offset,
        "sees_all": 1 if sees_all_finals else 0,
    }
    if visible_to is not None:
        where.append(f"c.article_id IN ({VISIBLE_ARTICLE_IDS})")
        params["user"] = visible_to
    if exclude_article is not None:
        where.append("c.article_id != :exclude")
        params["exclude"] = exclude_article
    order = _BM25
    if prefer_final:
        order = (
            f"{_BM25} * CASE WHEN EXISTS (SELECT 1 FROM final_verdicts f"
            " WHERE f.claim_id = c.id) AND (:sees_all OR EXISTS (SELECT 1 FROM verdicts v"
            " WHERE v.claim_id = c.id AND v.user_id = :viewer)) THEN 2.0 ELSE 1.0 END"
        )
    # First the page of ids, then what is shown of them: highlighting and verdicts cost per
    # row, so only the page pays for them.
    scope = " AND ".join(where)  # (what the claim itself must be, besides matching)
    if newest:  # (FTS5 walks the index newest first and stops at the page: no ranking)
        hits = db.execute(
            "SELECT c.id, 0.0 AS score FROM claims_fts JOIN claims c ON c.id = claims_fts.rowid"
            f" WHERE claims_fts MATCH :match AND {scope}"
            " ORDER BY claims_fts.rowid DESC LIMIT :limit OFFSET :offset",  # noqa: S608
            params,
        ).fetchall()
    else:
        # Ranking in the index first pays when most matches are in scope (every article);
        # a reviewer's scope is a small share of the desk, where it would mostly fall back.
        first_in_index = visible_to is None and not prefer_final
        hits = _ranked_in_index(db, match, scope, params) if first_in_index else None
        if hits is None:
            hits = db.execute(
                f"SELECT c.id, {order} AS score FROM claims_fts"
                " JOIN claims c ON c.id = claims_fts.rowid"
                f" WHERE claims_fts MATCH :match AND {scope}"
                " ORDER BY score, c.id LIMIT :limit OFFSET :offset",  # noqa: S608
                params,
            ).fetchall()
    if not hits:
        return []
    ids = [row[0] for row in hits]
    marks = ", ".join("?" * len(ids))
    rows = db.execute(
        "SELECT c.id, c.article_id, c.text, c.quote, c.checkworthy,"
        f" highlight(claims_fts, 0, '{MARK_START}', '{MARK_END}') AS text_marked,"
        f" highlight(claims_fts, 1, '{MARK_START}', '{MARK_END}') AS quote_marked,"
        " a.title, a.publisher, a.published, f.rating AS final_rating,"
        " (SELECT json_group_array(json_array(u.username, v.rating)) FROM (SELECT * FROM verdicts"
        "   WHERE claim_id = c.id ORDER BY created_at, id) v JOIN users u ON u.id = v.user_id)"
        "   AS verdicts,"
        " EXISTS (SELECT 1 FROM verdicts WHERE claim_id = c.id AND user_id = ?) AS own"
        " FROM claims_fts JOIN claims c ON c.id = claims_fts.rowid"
        " JOIN articles a ON a.id = c.article_id"
        " LEFT JOIN final_verdicts f ON f.claim_id = c.id"
        f" WHERE claims_fts MATCH ? AND claims_fts.rowid IN ({marks})",  # noqa: S608
        (viewer_id, match, *ids),
    ).fetchall()
    by_id = {row["id"]: row for row in rows}
    results = []
    for claim_id, score in hits:
        row = by_id.get(claim_id)
        if row is None:  # (deleted between the two reads)
            continue
        results.append(
            {
                "id": row["id"],
                "article_id": row["article_id"],
                "text": row["text"],
                "quote": row["quote"],
                "checkworthy": bool(row["checkworthy"]),
                "text_marked": row["text_marked"],
                "quote_marked": row["quote_marked"],
                "score": score,
                "article": {
                    "id": row["article_id"],
                    "title": row["title"],
                    "publisher": row["publisher"],
                    "published": row["published"],
                },
                "verdicts": [
                    {"reviewer": name, "rating": rating}
                    for name, rating in json.loads(row["verdicts"] or "[]")
                ],
                "final": {"rating": row["final_rating"]}
                if row["final_rating"] is not None
                else None,
                "own": bool(row["own"]),
            }
        )
    return results
