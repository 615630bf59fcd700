"""Fast, streaming export records over a filtered set of claims.

Claims are read in reading order (article id, then position) with keyset pagination over the
``claims_article`` index: one query per window of articles and one per window of claims, then
one query each for the window's verdicts, sources and corrections (the fast paths of
:func:`export_batches` read most claims' text from the stored export fragments instead, see
``factcheck.db.m005_export_fragments``). Memory stays flat however many claims match; each
record has the shape of :func:`factcheck.store.claim_records` plus ``corrections``,
``published_at`` (also inside ``article``) and ``agreement``.

Each window is a query of its own: an export of one moment reads them all through one read
snapshot (:func:`factcheck.store.snapshot`), where a claim marked stale in that snapshot is
read the slow way as well, whatever commits meanwhile.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from sqlite_utils import Database

from .. import sanitize
from ..agreement import claim_agreement, ordinal_order
from .base import Invalid
from .discussion import comments_of_claims, current_verdict_sql, open_returns_of_claims
from .evidence import ARCHIVE_CELL_SQL, ARCHIVE_JSON_SQL
from .published import published_json, with_label

#: Review states a claim can be filtered by.
STATUSES = ("unreviewed", "in-review", "decided", "disputed")

ARTICLE_WINDOW = 500
CLAIM_WINDOW = 2000


@dataclass(frozen=True)
class ExportFilter:
    """Which claims an export covers; every criterion left as None matches everything.

    ``since``/``until`` (ISO dates, inclusive) apply to the article's publication date;
    ``verdict`` is a rating key matched against the final verdict, or against the reviewers'
    strict majority when there is no final verdict; ``reviewer`` is a username with a verdict
    on the claim; ``status`` is one of :data:`STATUSES`; ``published`` picks articles an editor
    has (True) or has not (False) published.
    """

    article_id: int | None = None
    since: str | None = None
    until: str | None = None
    publisher: str | None = None
    verdict: str | None = None
    reviewer: str | None = None
    status: str | None = None
    published: bool | None = None
    include_dismissed: bool = False

    def claim_level(self) -> bool:
        """Whether a criterion looks at claims (articles without matching claims drop out)."""
        return bool(self.verdict or self.reviewer or self.status)

    def as_dict(self) -> dict[str, Any]:
        """The criteria that are set, for export metadata."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if getattr(self, f.name) not in (None, False, "")
        }


def _article_where(flt: ExportFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if flt.article_id is not None:
        clauses.append("a.id = ?")
        params.append(flt.article_id)
    if flt.since:
        clauses.append("a.published >= ?")
        params.append(flt.since)
    if flt.until:
        clauses.append("substr(a.published, 1, 10) <= ?")
        params.append(flt.until)
    if flt.publisher:
        clauses.append("a.publisher = ? COLLATE NOCASE")
        params.append(flt.publisher.strip())
    if flt.published is True:
        clauses.append("a.published_at IS NOT NULL")
    elif flt.published is False:
        clauses.append("a.published_at IS NULL")
    return (" AND ".join(clauses) or "1"), params


def _claim_where(db: Database, flt: ExportFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if flt.published is True:
        # What is public now: claims whose latest published version is not a withdrawal
        # (live dismissals change nothing public).
        clauses.append(
            "(SELECT p.status FROM published_claims p WHERE p.claim_id = c.id"
            " ORDER BY p.version DESC LIMIT 1) = 'published'"
        )
    elif not flt.include_dismissed:
        clauses.append("NOT c.dismissed")
    if flt.reviewer:
        row = db.execute(
            "SELECT id FROM users WHERE username = ?", (flt.reviewer.strip(),)
        ).fetchone()
        if row is None:
            raise Invalid(f"There is no reviewer named {flt.reviewer!r}.")
        clauses.append(
            "EXISTS (SELECT 1 FROM verdicts rv WHERE rv.claim_id = c.id AND rv.user_id = ?)"
        )
        params.append(row[0])
    if flt.verdict:
        # The final verdict, or (without one) the reviewers' strict majority (of the current
        # verdicts: one returned to its reviewer is left out, as agreement leaves it out).
        clauses.append(
            "(f.rating = ? OR (f.claim_id IS NULL"
            " AND (SELECT count(*) FROM verdicts mv WHERE mv.claim_id = c.id AND mv.rating = ?"
            f"   AND {current_verdict_sql('mv')})"
            " > coalesce((SELECT max(n) FROM (SELECT count(*) AS n FROM verdicts ov"
            f"   WHERE ov.claim_id = c.id AND ov.rating <> ? AND {current_verdict_sql('ov')}"
            "   GROUP BY ov.rating)), 0)))"
        )
        params += [flt.verdict, flt.verdict, flt.verdict]
    if flt.status:
        if flt.status not in STATUSES:
            raise Invalid(f"Status must be one of {', '.join(STATUSES)}.")
        clauses.append(
            {
                "unreviewed": "NOT EXISTS (SELECT 1 FROM verdicts sv WHERE sv.claim_id = c.id)"
                " AND f.claim_id IS NULL",
                "in-review": "EXISTS (SELECT 1 FROM verdicts sv WHERE sv.claim_id = c.id)"
                " AND f.claim_id IS NULL",
                "decided": "f.claim_id IS NOT NULL",
                "disputed": "(SELECT count(DISTINCT sv.rating) FROM verdicts sv"
                f" WHERE sv.claim_id = c.id AND {current_verdict_sql('sv')}) > 1",
            }[flt.status]
        )
    return (" AND ".join(clauses) or "1"), params


def check_export_filter(db: Database, flt: ExportFilter) -> None:
    """Raise :class:`Invalid` for a filter that cannot run (unknown reviewer or status)."""
    _claim_where(db, flt)


def count_export_claims(db: Database, flt: ExportFilter) -> dict[str, int]:
    """How many claims, and of how many articles, the filter matches."""
    article_where, article_params = _article_where(flt)
    claim_where, claim_params = _claim_where(db, flt)
    row = db.execute(
        "SELECT count(*), count(DISTINCT c.article_id) FROM claims c"
        " LEFT JOIN final_verdicts f ON f.claim_id = c.id"
        f" WHERE c.article_id IN (SELECT a.id FROM articles a WHERE {article_where})"  # noqa: S608
        f" AND {claim_where}",
        (*article_params, *claim_params),
    ).fetchone()
    return {"claims": row[0], "articles": row[1]}


# Rationale HTML --------------------------------------------------------------------------------

# Text made only of these characters, with every "." followed by a space or the end, and each
# line starting with a letter or an opening quote or bracket, has no Markdown syntax and nothing
# for linkify to find: its HTML is its escaped paragraphs (tests compare with render_markdown).
_PLAIN = re.compile(r"[\w .,;:?!'\"()%/’‘“”–—€$£\n]*")
_DOT_INSIDE = re.compile(r"\.(?=\S)")
_LINE_START = re.compile(r"^[^\W\d_\"'(’‘“”]", re.MULTILINE)


def _plain_paragraphs(text: str) -> str | None:
    """The HTML of plain prose (as render_markdown would make it), or None if not plain."""
    if (
        not _PLAIN.fullmatch(text)
        or _DOT_INSIDE.search(text)
        or "_" in text
        or "!" in text
        or "//" in text
    ):
        return None
    paragraphs = []
    for block in re.split(r"\n{2,}", text.strip("\n")):
        lines = block.split("\n")
        for line in lines:
            if not line or line != line.strip() or "  " in line or not _LINE_START.match(line):
                return None
        paragraphs.append("<p>" + html.escape("\n".join(lines), quote=False) + "</p>\n")
    return "".join(paragraphs)


@functools.lru_cache(maxsize=2048)
def _markdown_html(text: str) -> str:
    return str(sanitize.render_markdown(text))


def rationale_html(text: str) -> str:
    """Sanitised HTML of a rationale: a fast path for plain prose, else render_markdown."""
    if not text:
        return ""
    plain = _plain_paragraphs(text)
    return plain if plain is not None else _markdown_html(text)


# Records ---------------------------------------------------------------------------------------

_ARTICLE_COLUMNS = (
    "a.id, a.title, a.url, a.publisher, a.author, a.published, a.body_sha256, a.published_at"
)
#: The article's publications and withdrawals (``article_publications``, m009), oldest first,
#: as the JSON text of the export's ``article.publications``: each ``{"action", "at", "note",
#: "by", "article"}`` (``by`` the editor's username, ``article`` its details as published), so
#: that a JSON import restores the published record (see factcheck.store.publish_restore).
_PUBLICATIONS_SQL = (
    "coalesce((SELECT json_group_array(json(e)) FROM (SELECT json_object('action', p.action,"
    " 'at', p.at, 'note', p.note, 'by', u.username, 'article', json(p.article)) AS e"
    " FROM article_publications p LEFT JOIN users u ON u.id = p.user_id"
    " WHERE p.article_id = a.id ORDER BY p.id)), '[]')"
)


@functools.lru_cache(maxsize=1024)
def _kinds(text: str) -> tuple[str, ...]:
    return tuple(json.loads(text))


def _loads(text: str) -> Any:
    return [] if text == "[]" else json.loads(text)


#: Columns of a claim tuple in :attr:`ExportBatch.items` (as in :func:`export_records`): the
#: claim, its final verdict, then its claimant and wording's source (migration m008).
CLAIM_COLUMNS = (
    'c.id, c.article_id, c.start, c."end", c.quote, c.text, c.kind, c.score,'
    " c.checkworthy, c.dismissed, c.origin, c.created_at, c.updated_at,"
    " f.rating, f.reason, f.decided_by, f.updated_at,"
    " c.claimant, c.claimant_kind, c.claimant_start, c.claimant_end, c.wording_source,"
    " c.wording_spans"
)


def _article_windows(
    cursor: Any, article_where: str, article_params: Sequence[Any]
) -> Iterator[list[tuple[Any, ...]]]:
    """The matching articles in id order, ``ARTICLE_WINDOW`` rows at a time (keyset paging):
    :data:`_ARTICLE_COLUMNS`, then the JSON text of the article's publications (``'[]'`` on
    a database before m009)."""
    versioned = cursor.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'article_publications'"
    ).fetchone()
    columns = f"{_ARTICLE_COLUMNS}, {_PUBLICATIONS_SQL if versioned else repr('[]')}"
    last_article = -1
    while True:
        articles = cursor.execute(
            f"SELECT {columns} FROM articles a"  # noqa: S608
            f" WHERE a.id > ? AND {article_where} ORDER BY a.id LIMIT ?",
            (last_article, *article_params, ARTICLE_WINDOW),
        ).fetchall()
        if not articles:
            return
        last_article = articles[-1][0]
        yield articles


def _ids_json(ids: Sequence[int]) -> str:
    return "[" + ",".join(map(str, ids)) + "]"


def export_records(
    db: Database,
    flt: ExportFilter,
    scale: Sequence[dict[str, Any]],
    *,
    html: bool = True,
    body: bool = False,
    agreement: bool = True,
    disagreement_mode: str = "any",
) -> Iterator[dict[str, Any]]:
    """Stream one export record per matching claim, in reading order, article by article.

    ``html`` adds each rationale's sanitised HTML (JSON exports; CSV does not need it);
    ``body`` puts the article text into the first record of each article (for re-import);
    ``agreement`` adds per-claim agreement figures (``disagreement_mode`` as in
    :func:`factcheck.agreement.is_disagreement`). An article without matching claims gives
    one record whose ``claim`` is None, unless a claim-level criterion is set.
    """
    labels = {entry["key"]: entry.get("label", entry["key"]) for entry in scale}
    values = {entry["key"]: entry.get("value") for entry in scale}
    order = ordinal_order(scale)
    article_where, article_params = _article_where(flt)
    claim_where, claim_params = _claim_where(db, flt)
    keep_empty = not flt.claim_level()
    users = {row[0]: row[1] for row in db.execute("SELECT id, username FROM users")}
    cursor = db.conn.cursor()
    cursor.row_factory = None
    agreement_of = _agreement_cache(order, labels, disagreement_mode) if agreement else None

    for articles in _article_windows(cursor, article_where, article_params):
        parts: dict[int, dict[str, Any]] = {}
        for row in articles:
            part = {
                "id": row[0],
                "title": row[1],
                "url": row[2],
                "publisher": row[3],
                "author": row[4],
                "published": row[5],
                "body_sha256": row[6],
                "published_at": row[7],
                "publications": json.loads(row[8]),
            }
            parts[row[0]] = part
        # Bodies are read one article at a time, when its first record goes out.
        bodies = _BodyReader(db.conn) if body else None
        ids_json = _ids_json(list(parts))
        emitted: set[int] = set()
        current_id = -1
        article: dict[str, Any] = {}
        key: tuple[Any, ...] = (-1, -1, -1, -1)
        first_id, last_id = articles[0][0], articles[-1][0]
        while True:
            claims = cursor.execute(
                f"SELECT {CLAIM_COLUMNS}"  # noqa: S608
                " FROM claims c LEFT JOIN final_verdicts f ON f.claim_id = c.id"
                ' WHERE (c.article_id, c.start, c."end", c.id) > (?, ?, ?, ?)'
                " AND c.article_id >= ? AND c.article_id <= ?"
                " AND c.article_id IN (SELECT value FROM json_each(?))"
                f" AND {claim_where}"  # noqa: S608
                ' ORDER BY c.article_id, c.start, c."end", c.id LIMIT ?',
                (*key, first_id, last_id, ids_json, *claim_params, CLAIM_WINDOW),
            ).fetchall()
            if not claims:
                break
            last = claims[-1]
            key = (last[1], last[2], last[3], last[0])
            verdicts, corrections = _window_details(cursor, [c[0] for c in claims], users)
            threads = comments_of_claims(cursor, _ids_json([c[0] for c in claims]))
            published = published_json(db, [c[0] for c in claims], claims[0][1], claims[-1][1])
            for c in claims:
                claim_id, article_id = c[0], c[1]
                if article_id != current_id:
                    # Articles without matching claims come before the next one with some.
                    if keep_empty:
                        yield from _empty_before(parts, emitted, article_id, bodies)
                    emitted.add(article_id)
                    current_id = article_id
                    article = parts[article_id]
                    if body:
                        article = {**article, "body": bodies[article_id]}
                elif body:
                    article = parts[article_id]
                claim_verdicts = []
                for (
                    reviewer,
                    rating,
                    rationale,
                    created,
                    updated,
                    sources,
                    returned,
                ) in verdicts.get(claim_id, ()):
                    if html:
                        entry = {
                            "reviewer": reviewer,
                            "rating": rating,
                            "label": labels.get(rating, rating),
                            "value": values.get(rating),
                            "rationale": rationale,
                            "rationale_html": rationale_html(rationale),
                            "created_at": created,
                            "updated_at": updated,
                            "sources": sources,
                            "status": "returned" if returned else "current",
                            "returned": returned,
                        }
                    else:
                        entry = {
                            "reviewer": reviewer,
                            "rating": rating,
                            "label": labels.get(rating, rating),
                            "value": values.get(rating),
                            "rationale": rationale,
                            "created_at": created,
                            "updated_at": updated,
                            "sources": sources,
                            "status": "returned" if returned else "current",
                            "returned": returned,
                        }
                    claim_verdicts.append(entry)
                final = None
                if c[13] is not None:
                    final = {
                        "rating": c[13],
                        "reason": c[14],
                        "decided_at": c[16],
                        "decided_by": users.get(c[15]),
                        "label": labels.get(c[13], c[13]),
                        "value": values.get(c[13]),
                    }
                record = {
                    "article": article,
                    "claim": {
                        "id": claim_id,
                        "start": c[2],
                        "end": c[3],
                        "quote": c[4],
                        "text": c[5],
                        "kind": list(_kinds(c[6])),
                        "score": c[7],
                        "checkworthy": bool(c[8]),
                        "dismissed": bool(c[9]),
                        "origin": c[10],
                        "claimant": c[17],
                        "claimant_kind": c[18],
                        "claimant_start": c[19],
                        "claimant_end": c[20],
                        "wording_source": c[21],
                        "wording_spans": _loads(c[22]),
                        "created_at": c[11],
                        "updated_at": c[12],
                    },
                    "verdicts": claim_verdicts,
                    "final": final,
                    "corrections": corrections.get(claim_id, []),
                    "published_at": article["published_at"],
                    "published": (
                        json.loads(with_label(published[claim_id], labels))
                        if claim_id in published
                        else None
                    ),
                    "comments": threads.get(claim_id, []),
                }
                if agreement_of is not None:
                    # (a verdict returned to its reviewer is not current: left out)
                    record["agreement"] = agreement_of(
                        tuple(v[1] for v in verdicts.get(claim_id, ()) if v[6] is None)
                    )
                yield record
            if len(claims) < CLAIM_WINDOW:
                break
        if keep_empty:
            yield from _empty_before(parts, emitted, None, bodies)


class _BodyReader:
    """``bodies[article_id]``: the article's text, read when asked for (memory stays flat)."""

    def __init__(self, conn: Any):
        self.cursor = conn.cursor()
        self.cursor.row_factory = None

    def __getitem__(self, article_id: int) -> str:
        return self.cursor.execute(
            "SELECT body FROM articles WHERE id = ?", (article_id,)
        ).fetchone()[0]


def _empty_before(
    parts: dict[int, dict[str, Any]],
    emitted: set[int],
    article_id: int | None,
    bodies: _BodyReader | None,
) -> Iterator[dict[str, Any]]:
    """Records for the window's articles before ``article_id`` (None: all) without claims."""
    for other_id, part in parts.items():
        if article_id is not None and other_id >= article_id:
            return
        if other_id not in emitted:
            emitted.add(other_id)
            article = {**part, "body": bodies[other_id]} if bodies is not None else part
            yield {
                "article": article,
                "claim": None,
                "verdicts": [],
                "final": None,
                "corrections": [],
                "published_at": part["published_at"],
                "published": None,
            }


def _agreement_cache(order: list[str], labels: dict[str, str], mode: str) -> Any:
    """Per-claim agreement, memoised by the tuple of ratings (few distinct tuples occur)."""

    @functools.lru_cache(maxsize=4096)
    def compute(ratings: tuple[str, ...]) -> dict[str, Any]:
        figures = claim_agreement(ratings, order, mode)
        figures["majority_label"] = labels.get(figures["majority"], figures["majority"])
        return figures

    def agreement_of(ratings: tuple[str, ...]) -> dict[str, Any]:
        figures = compute(ratings)
        return {**figures, "distribution": dict(figures["distribution"])}

    return agreement_of


def _window_details(
    cursor: Any, claim_ids: list[int], users: dict[int, str]
) -> tuple[dict[int, list[tuple[Any, ...]]], dict[int, list[dict[str, Any]]]]:
    """Verdicts (with sources) and corrections of a window of claims, by claim id."""
    ids_json = _ids_json(claim_ids)
    rows = cursor.execute(
        "SELECT v.id, v.claim_id, v.user_id, v.rating, v.rationale, v.created_at, v.updated_at"
        " FROM verdicts v WHERE v.claim_id IN (SELECT value FROM json_each(?))"
        " ORDER BY v.claim_id, v.created_at, v.id",
        (ids_json,),
    ).fetchall()
    sources: dict[int, list[dict[str, Any]]] = {}
    if rows:
        for s in cursor.execute(
            "SELECT verdict_id, url, title, publisher, excerpt, stance, accessed,"
            f" {ARCHIVE_JSON_SQL} FROM sources s"
            " WHERE verdict_id IN (SELECT value FROM json_each(?))"
            " ORDER BY verdict_id, position, id",
            (_ids_json([r[0] for r in rows]),),
        ):
            sources.setdefault(s[0], []).append(
                {
                    "url": s[1],
                    "title": s[2],
                    "publisher": s[3],
                    "excerpt": s[4],
                    "stance": s[5],
                    "accessed": s[6],
                    "archive": json.loads(s[7]),
                }
            )
    returns = open_returns_of_claims(cursor, ids_json) if rows else {}
    verdicts: dict[int, list[tuple[Any, ...]]] = {}
    for r in rows:
        returned = returns.get(r[0])
        verdicts.setdefault(r[1], []).append(
            (
                users.get(r[2]),
                r[3],
                r[4],
                r[5],
                r[6],
                sources.get(r[0], []),
                returned[1] if returned else None,
            )
        )
    corrections: dict[int, list[dict[str, Any]]] = {}
    for r in cursor.execute(
        "SELECT claim_id, before_rating, after_rating, note, user_id, at FROM corrections"
        " WHERE claim_id IN (SELECT value FROM json_each(?)) ORDER BY claim_id, id",
        (ids_json,),
    ):
        corrections.setdefault(r[0], []).append(
            {
                "before_rating": r[1],
                "after_rating": r[2],
                "note": r[3],
                "by": users.get(r[4]),
                "created_at": r[5],
            }
        )
    return verdicts, corrections


# Export batches (the columnar fast path) ---------------------------------------------------------

#: Claims per batch of the fast path (its memory: one batch of tuples at a time).
BATCH_CLAIMS = 4000


@dataclass
class ExportBatch:
    """One window of an export, as tuples, for the renderers' fast paths.

    ``items`` is the output order: a claim tuple (the columns of :data:`CLAIM_COLUMNS`) or, for
    an article without matching claims, that article's id (an int). ``articles`` maps article
    id to ``(id, title, url, publisher, author, published, body_sha256, published_at,
    publications)`` (``publications``: JSON text, see :data:`_PUBLICATIONS_SQL`).
    ``verdicts`` maps claim id to its verdicts in order, each ``(id, claim_id, user_id, rating,
    rationale)`` plus, with ``full``, ``(rationale_html or None, created_at, updated_at)``;
    ``sources`` maps verdict id to its sources in order, each ``(verdict_id, csv_cell)`` or,
    with ``full``, ``(verdict_id, url, title, publisher, excerpt, stance, accessed)``;
    ``corrections`` (``full`` only) maps claim id to ``(claim_id, before_rating, after_rating,
    note, user_id, at)`` tuples. ``users`` maps user id to username. ``published`` maps the
    id of each published claim of the batch to its published record
    (:func:`factcheck.store.published.published_json`). ``returns`` maps the id of each
    verdict returned to its reviewer (an open return) to ``(claim_id, {"reason", "by",
    "at"})``; a claim with one is always a claim tuple (never read from its fragments).
    ``comments`` (``full`` only) maps claim id to its thread
    (:func:`factcheck.store.discussion.comments_of_claims`).
    """

    articles: dict[int, tuple[Any, ...]]
    items: list[Any]
    verdicts: dict[int, list[tuple[Any, ...]]]
    sources: dict[int, list[tuple[Any, ...]]]
    corrections: dict[int, list[tuple[Any, ...]]]
    users: dict[int, str]
    bodies: Any = None
    published: dict[int, dict[str, Any]] = field(default_factory=dict)
    returns: dict[int, tuple[int, Any]] = field(default_factory=dict)
    comments: dict[int, list[dict[str, Any]]] = field(default_factory=dict)


class ExportBatches:
    """The batches of :func:`export_batches`: iterate for :class:`ExportBatch` es of claim
    tuples, or call :meth:`json_batches` / :meth:`csv_batches` for batches whose claims are
    read from the stored export fragments (migration m005)."""

    def __init__(self, db: Database, flt: ExportFilter, **options: Any):
        self.db, self.flt, self.options = db, flt, options

    def __iter__(self) -> Iterator[ExportBatch]:
        return _export_batches(self.db, self.flt, **self.options)

    def json_batches(self) -> Iterator[ExportBatch]:
        """Batches (read ``full``) whose claim items are :data:`JSON_PIECES` tuples, read from
        ``json_fragments`` (else the claim tuples of :data:`CLAIM_COLUMNS`)."""
        if not self.options.get("full", True):
            return iter(self)
        return _export_batches(self.db, self.flt, fragments="json", **self.options)

    def csv_batches(self) -> Iterator[ExportBatch]:
        """Batches whose claim items are :data:`CSV_PIECES` tuples, read from
        ``csv_fragments`` (else the claim tuples of :data:`CLAIM_COLUMNS`)."""
        return _export_batches(self.db, self.flt, fragments="csv", **self.options)


def export_batches(
    db: Database,
    flt: ExportFilter,
    *,
    full: bool = True,
    body: bool = False,
    batch_claims: int | None = None,
) -> ExportBatches:
    """The claims of :func:`export_records` (same filter, same order, same empty articles) as
    batches of tuples, read with a handful of set-based queries per batch.

    ``full`` reads everything the JSON formats hold; without it only what CSV needs.
    ``batch_claims`` defaults to :data:`BATCH_CLAIMS`. Every batch is read through ``db``:
    for batches of one moment, give a snapshot's connection
    (:func:`factcheck.store.snapshot`), as :func:`factcheck.export.stream.export_stream` does.
    """
    batch_claims = BATCH_CLAIMS if batch_claims is None else batch_claims
    return ExportBatches(db, flt, full=full, body=body, batch_claims=batch_claims)


def _flat_sql(column: str) -> str:
    """SQL of a source field on one line (line breaks as spaces), as csv_export._flat."""
    return (
        f"replace(replace(replace(coalesce({column}, ''), char(13) || char(10), ' '),"
        f" char(13), ' '), char(10), ' ')"
    )


#: SQL of a source's line in the CSV sources cell, after its ``reviewer: ``:
#: ``stance | title | publisher | url | excerpt`` (see
#: :func:`factcheck.export.csv_export.source_line`), over a row of ``sources`` (alias ``s``
#: optional).
CSV_SOURCE_LINE = " || ' | ' || ".join(
    _flat_sql(name) for name in ("stance", "title", "publisher", "url", "excerpt")
)

#: The line as exported since m016: :data:`CSV_SOURCE_LINE`, then `` | `` and the source's
#: archive in one line (:func:`factcheck.store.evidence.archive_summary`), over ``sources s``.
CSV_SOURCE_LINE_ARCHIVE = f"{CSV_SOURCE_LINE} || ' | ' || {_flat_sql(ARCHIVE_CELL_SQL)}"


#: A claim of :meth:`ExportBatches.json_batches`: ``(id, article_id, start, end, kind, score,
#: head, middle, ratings, final_rating, tail)`` from ``json_fragments`` (see ``factcheck.db``).
#: ``head`` is the claim's JSON from ``"id"`` to ``"text"``, ``middle`` from ``,"checkworthy"``
#: to ``"updated_at"`` (``kind`` and ``score`` go between them, written by Python), ``ratings``
#: the JSON array of the verdicts' ratings, ``final_rating`` the final verdict's (or None),
#: ``tail`` ``,"verdicts":[…],"final":…,"corrections":[…]`` as a %-format whose ``%s`` stand
#: for ``,"label":…,"value":…`` of each verdict's rating in order, then the final verdict's
#: (they come from the configured scale). Its text columns are UTF-8 bytes.
JSON_PIECES = 11

#: A claim of :meth:`ExportBatches.csv_batches`: ``(id, article_id, start, end, kind, score,
#: head, middle, final_rating, final, reviewers, rationales, sources)`` from
#: ``csv_fragments`` (see ``factcheck.db``), cells neutralised and quoted as
#: :func:`factcheck.export.csv_chunks` writes them: ``head`` the cells ``claim_id`` to
#: ``kind``, ``middle`` ``checkworthy`` to ``origin``, ``final`` (None without a final verdict)
#: ``final_reason`` to ``decided_at``, ``rationales`` and ``sources`` their cells;
#: ``reviewers`` (None without verdicts) the verdicts' user ids joined by ``,`` followed by
#: the JSON array of their ratings. The score, the final verdict's rating and label cells, the
#: verdict summary and agreement are left to Python (they depend on the configured scale).
#: Its text columns are UTF-8 bytes.
CSV_PIECES = 13

# A claim marked stale (written outside the store since its last transaction) reads as if it
# had no fragment: its "missing" column (see _export_batches) is NULL.
_STALE = "c.id IN (SELECT claim_id FROM fragments_stale)"
_FRAGMENT_SQL = {
    "json": 'c.id, c.article_id, c.start, c."end", c.kind, c.score, x.head, x.middle,'
    f" x.ratings, x.final_rating, CASE WHEN {_STALE} THEN NULL ELSE x.tail END"
    " FROM claims c LEFT JOIN json_fragments x ON x.claim_id = c.id",
    "csv": f'c.id, c.article_id, c.start, c."end", c.kind, c.score,'
    f" CASE WHEN {_STALE} THEN NULL ELSE x.head END, x.middle, x.final_rating, x.final,"
    " x.reviewers, x.rationales, x.sources FROM claims c"
    " LEFT JOIN csv_fragments x ON x.claim_id = c.id",
}


def _export_batches(
    db: Database,
    flt: ExportFilter,
    *,
    full: bool = True,
    body: bool = False,
    batch_claims: int = BATCH_CLAIMS,
    fragments: str | None = None,
) -> Iterator[ExportBatch]:
    from bisect import bisect_right
    from itertools import groupby
    from operator import itemgetter

    article_where, article_params = _article_where(flt)
    claim_where, claim_params = _claim_where(db, flt)
    keep_empty = not flt.claim_level()
    users = {row[0]: row[1] for row in db.execute("SELECT id, username FROM users")}
    cursor = db.conn.cursor()
    cursor.row_factory = None
    text_factory = db.conn.text_factory
    bodies = _BodyReader(db.conn) if body else None
    by_claim, by_first = itemgetter(1), itemgetter(0)
    if full:
        verdict_sql = (
            "SELECT v.id, v.claim_id, v.user_id, v.rating, v.rationale, v.rationale_html,"
            " v.created_at, v.updated_at FROM verdicts v"
        )
        source_sql = (
            "SELECT verdict_id, url, title, publisher, excerpt, stance, accessed,"
            f" {ARCHIVE_JSON_SQL}"
        )
    else:
        verdict_sql = "SELECT v.id, v.claim_id, v.user_id, v.rating, v.rationale FROM verdicts v"
        # A source's line of the CSV sources cell, after "reviewer: " (csv_export.source_line).
        source_sql = f"SELECT verdict_id, {CSV_SOURCE_LINE_ARCHIVE}"
    verdict_sql += (
        " WHERE v.claim_id IN (SELECT value FROM json_each(?)) ORDER BY v.claim_id, v.created_at,"
        " v.id"
    )
    source_sql += (
        " FROM sources s WHERE verdict_id IN (SELECT value FROM json_each(?))"
        " ORDER BY verdict_id, position, id"
    )
    final_join = " LEFT JOIN final_verdicts f ON f.claim_id = c.id"
    if fragments is None:
        select = f"{CLAIM_COLUMNS} FROM claims c{final_join}"
    else:
        # The final verdict is joined only for a filter that looks at it.
        select = _FRAGMENT_SQL[fragments] + (final_join if "f." in claim_where else "")
    # A claim without its fragment (JSON: or with a verdict without stored HTML) is read
    # again as CLAIM_COLUMNS (its item index: the column that is NULL then).
    missing = {"json": 10, "csv": 6}.get(fragments or "")
    claim_sql = (
        f"SELECT {select}"  # noqa: S608
        ' WHERE (c.article_id, c.start, c."end", c.id) > (?, ?, ?, ?)'
        " AND c.article_id >= ? AND c.article_id <= ?"
        " AND c.article_id IN (SELECT value FROM json_each(?))"
        f" AND {claim_where}"
        ' ORDER BY c.article_id, c.start, c."end", c.id LIMIT ?'
    )

    for articles in _article_windows(cursor, article_where, article_params):
        parts = {row[0]: row for row in articles}
        ids_json = _ids_json(list(parts))
        pending = list(parts) if keep_empty else []  # articles not yet seen, in id order
        next_pending = 0
        key: tuple[Any, ...] = (-1, -1, -1, -1)
        while True:
            if fragments is not None:
                # The fragments' text as its UTF-8 bytes (no str made; the renderers write
                # bytes), on this fetch only.
                db.conn.text_factory = bytes
            try:
                claims = cursor.execute(
                    claim_sql,
                    (*key, articles[0][0], articles[-1][0], ids_json, *claim_params, batch_claims),
                ).fetchall()
            finally:
                db.conn.text_factory = text_factory
            if not claims:
                break
            last = claims[-1]
            key = (last[1], last[2], last[3], last[0])
            n_claims = len(claims)
            slow = claims  # the claims read as CLAIM_COLUMNS tuples
            returns = open_returns_of_claims(cursor, _ids_json([c[0] for c in claims]))
            if missing is not None:
                # (a claim with a returned verdict too: its fragments know of no returns)
                returned = {claim_id for claim_id, _ in returns.values()}
                slow = [c for c in claims if c[missing] is None or c[0] in returned]
                if slow:
                    again = {
                        c[0]: c
                        for c in cursor.execute(
                            f"SELECT {CLAIM_COLUMNS} FROM claims c{final_join}"  # noqa: S608
                            " WHERE c.id IN (SELECT value FROM json_each(?))",
                            (_ids_json([c[0] for c in slow]),),
                        )
                    }
                    claims = [again.get(c[0], c) for c in claims]
                    slow = list(again.values())
            stop = bisect_right(pending, key[0], next_pending) if keep_empty else 0
            if not keep_empty:
                items = claims
            elif set(pending[next_pending:stop]) <= set(map(by_claim, claims)):
                items = claims  # no article without claims among this batch's
                next_pending = stop
            else:
                items = []
                for c in claims:
                    article_id = c[1]
                    while next_pending < len(pending) and pending[next_pending] <= article_id:
                        if pending[next_pending] < article_id:
                            items.append(pending[next_pending])
                        next_pending += 1
                    items.append(c)
            rows = (
                cursor.execute(verdict_sql, (_ids_json([c[0] for c in slow]),)).fetchall()
                if slow
                else []
            )
            sources = {}
            if rows:
                source_rows = cursor.execute(
                    source_sql, (_ids_json([r[0] for r in rows]),)
                ).fetchall()
                sources = {k: list(g) for k, g in groupby(source_rows, by_first)}
            verdicts = {k: list(g) for k, g in groupby(rows, by_claim)}
            corrections: dict[int, list[tuple[Any, ...]]] = {}
            if full and slow:
                correction_rows = cursor.execute(
                    "SELECT claim_id, before_rating, after_rating, note, user_id, at"
                    " FROM corrections WHERE claim_id IN (SELECT value FROM json_each(?))"
                    " ORDER BY claim_id, id",
                    (_ids_json([c[0] for c in slow]),),
                ).fetchall()
                corrections = {k: list(g) for k, g in groupby(correction_rows, by_first)}
            published = published_json(
                db, [c[0] for c in claims], claims[0][1], claims[-1][1], full=full
            )
            threads = comments_of_claims(cursor, _ids_json([c[0] for c in claims])) if full else {}
            yield ExportBatch(
                parts,
                items,
                verdicts,
                sources,
                corrections,
                users,
                bodies,
                published,
                returns,
                threads,
            )
            if n_claims < batch_claims:
                break
        if keep_empty and next_pending < len(pending):
            yield ExportBatch(parts, pending[next_pending:], {}, {}, {}, users, bodies)
