"""Fast paths of the CSV, JSON and JSONL exports: the same text as :func:`csv_chunks`,
:func:`json_chunks` and :func:`jsonl_lines` over :func:`factcheck.store.export_records`, made
straight from the tuples of :func:`factcheck.store.export_batches` (no record dicts).

Each renderer takes an iterable of batches (``articles``, ``items``, ``verdicts``,
``sources``, ``corrections``, ``users``, ``bodies``; see :class:`factcheck.store.ExportBatch`)
and the rating scale. Given :func:`factcheck.store.exports.export_batches`, the renderers ask
for its fragment batches: most claims then arrive as the text stored for them (migration
m005; :data:`~factcheck.store.exports.CSV_PIECES`, :data:`~factcheck.store.exports.JSON_PIECES`)
and only what depends on the rating scale is added here; the others as claim tuples.
JSON values are written with the encoder of :mod:`.jsonout`'s settings
(``ensure_ascii=False``, compact separators): strings through the C string encoder, repeated
pieces (articles, reviewer/rating prefixes, final verdict labels, agreement figures) encoded
once. ``tests/test_store_exports.py`` compares every byte with the reference renderers.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from json import loads as _loads
from json.encoder import encode_basestring
from operator import itemgetter
from typing import Any

from ..agreement import claim_agreement, ordinal_order
from ..store.exports import CSV_PIECES, JSON_PIECES
from ..store.published import with_label
from .csv_export import (
    _DANGEROUS,
    CSV_BOM,
    CSV_COLUMNS,
    _cell,
    _num,
    one_line_break,
    published_cells,
    returned_mark,
)
from .jsonout import FORMAT_VERSION, _encode

__all__ = ["csv_fast_chunks", "json_fast_chunks", "jsonl_fast_chunks"]

_enc = encode_basestring  # a str as JSON (C), as the JSONEncoder with ensure_ascii=False


def _js(value: Any) -> str:
    """Any value as JSON (strings the fast way)."""
    return _enc(value) if value.__class__ is str else _encode(value)


def _score_json(score: Any) -> bytes:
    if score is None:
        return b"null"
    if score.__class__ is float and score - score == 0.0:
        return b"%r" % score
    return _encode(score).encode()


class _Scale:
    """Labels, values and per-claim agreement of a rating scale, as export_records has them."""

    def __init__(self, scale: Sequence[dict[str, Any]], disagreement_mode: str):
        self.labels = {entry["key"]: entry.get("label", entry["key"]) for entry in scale}
        self.values = {entry["key"]: entry.get("value") for entry in scale}
        self.order = ordinal_order(scale)
        self.mode = disagreement_mode
        self.scale = scale

    @functools.cached_property
    def agreement(self) -> Callable[[tuple[str, ...]], dict[str, Any]]:
        @functools.lru_cache(maxsize=4096)
        def compute(ratings: tuple[str, ...]) -> dict[str, Any]:
            figures = claim_agreement(ratings, self.order, self.mode)
            figures["majority_label"] = self.labels.get(figures["majority"], figures["majority"])
            return figures

        return compute


def _neutral(value: Any) -> str:
    if value.__class__ is str:
        if value and value[0] in _DANGEROUS:
            value = "'" + value
        return one_line_break(value) if "\r" in value else value
    return _cell(value)


# CSV -------------------------------------------------------------------------------------------

_NEEDS_QUOTES = re.compile('[,"\r\n]').search


def _quoted(cell: str) -> str:
    """A cell as csv.writer writes it (minimal quoting, ``"`` doubled, ``\\r\\n`` lines)."""
    if _NEEDS_QUOTES(cell) is None:
        return cell
    return '"' + cell.replace('"', '""') + '"'


_ratings_of = itemgetter(2, 3)


def csv_fast_chunks(
    batches: Iterable[Any],
    scale: Sequence[dict[str, Any]],
    *,
    disagreement_mode: str = "any",
    bom: bool = False,
) -> Iterator[bytes]:
    """:func:`factcheck.export.csv_chunks` of the batches' claims (batches read without
    ``full``), encoded as UTF-8: the header chunk, then one chunk per batch."""
    sc = _Scale(scale, disagreement_mode)
    labels = sc.labels
    q = _quoted
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    yield ((CSV_BOM if bom else "") + buf.getvalue()).encode()
    article_cells: dict[int, bytes] = {}  # the current article's cells, built once

    def article_head(a: tuple[Any, ...]) -> bytes:
        article_cells.clear()
        head = article_cells[a[0]] = ",".join(
            [q(_num(a[0])), q(_neutral(a[1])), q(_neutral(a[2])), q(_neutral(a[3])),
             q(_neutral(a[5]))]
        ).encode()  # fmt: skip
        return head

    # (reviewer, rating) pairs of a claim -> summary, n, majority, spread, disagreement cells
    summaries: dict[tuple[Any, ...], tuple[bytes, bytes]] = {}
    final_cells: dict[bytes, bytes] = {}

    def summary_of(
        pairs: tuple[Any, ...], users: dict[int, str], returned: tuple[Any, ...] = ()
    ) -> tuple[bytes, bytes]:
        """The cells of the verdicts' ``(user id, rating)`` pairs; ``returned``: each
        verdict's return (None: current), when some are returned (not cached then)."""
        shown: dict[Any, str] = {}
        parts = []
        current = []
        for n, (user_id, rating) in enumerate(pairs):
            label = labels.get(rating, rating) or rating or ""
            shown[rating] = label
            back = returned[n] if returned else None
            if back is None:
                parts.append(f"{users.get(user_id)}: {label}")
                current.append(rating)
            else:
                parts.append(f"{users.get(user_id)}: {label} {returned_mark(back)}")
        figures = sc.agreement(tuple(current))
        majority = figures.get("majority")
        cells = (
            q(_neutral("; ".join(parts))).encode(),
            ",".join(
                [
                    q(_num(figures.get("n", len(pairs)))),
                    q(_neutral(shown.get(majority, majority))),
                    q(_num(figures.get("spread"))),
                    q(_neutral(figures.get("disagreement"))),
                ]
            ).encode(),
        )
        if len(summaries) < 65536 and not returned:
            summaries[pairs] = cells
        return cells

    csv_batches = getattr(batches, "csv_batches", None)
    if csv_batches is not None:
        batches = csv_batches()  # claims read from the stored fragments where they can be
    by_key: dict[bytes, tuple[bytes, bytes]] = {}  # summary cells by b"user ids[ratings]"

    def final_of(key: bytes) -> bytes:
        rating = key.decode()
        cells = final_cells[key] = (
            f"{q(_neutral(rating))},{q(_neutral(labels.get(rating, rating)))}".encode()
        )
        return cells

    for batch in batches:
        users = batch.users
        rows = []
        for c in batch.items:
            if c.__class__ is int:
                continue  # an article without claims
            article_id = c[1]
            head = article_cells.get(article_id) or article_head(batch.articles[article_id])
            if len(c) == CSV_PIECES:  # from csv_fragments
                key = c[10]
                if key is None:
                    summary = summaries.get(()) or summary_of((), users)
                else:
                    summary = by_key.get(key)
                    if summary is None:
                        ids, _, ratings = key.partition(b"[")
                        pairs = tuple(
                            zip(map(int, ids.split(b",")), _loads(b"[" + ratings), strict=True)
                        )
                        summary = summaries.get(pairs) or summary_of(pairs, users)
                        if len(by_key) < 65536:
                            by_key[key] = summary
            else:
                c, pairs, returned = _csv_pieces(c, batch)
                if returned:
                    summary = summary_of(pairs, users, returned)
                else:
                    summary = summaries.get(pairs) or summary_of(pairs, users)
            rating = c[8]
            final = b",,," if rating is None else final_cells.get(rating) or final_of(rating)
            score = c[5]
            entry = batch.published.get(c[0])
            if entry is None:
                published = b",,"
            elif not entry[2]:  # (no corrections: nothing to read in its JSON)
                published = f"{entry[1]},{entry[0]},".encode()
            else:
                published = ",".join(map(q, published_cells(_loads(entry[4])))).encode()
            rows.append(
                b",".join(
                    (
                        head,
                        c[6],
                        b"%r" % score if score.__class__ is float else q(_num(score)).encode(),
                        c[7],
                        final,
                        c[9] or b"",
                        summary[0],
                        c[11],
                        summary[1],
                        c[12],
                        published + b"\r\n",
                    )
                )
            )
        if rows:
            yield b"".join(rows)


def _csv_pieces(
    c: tuple[Any, ...], batch: Any
) -> tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...]]:
    """A claim tuple (:data:`~factcheck.store.exports.CLAIM_COLUMNS`) in the shape of a
    :data:`~factcheck.store.exports.CSV_PIECES` one (cells and final rating as bytes; no
    ``reviewers``), the (reviewer, rating) pairs of its verdicts, and each verdict's open
    return (``{"reason", "by", "at"}``, None when current; empty when none is returned)."""
    q, dangerous, users = _quoted, _DANGEROUS, batch.users
    vs = batch.verdicts.get(c[0])
    returned: tuple[Any, ...] = ()
    if vs:
        pairs = tuple(map(_ratings_of, vs))
        if batch.returns and any(v[0] in batch.returns for v in vs):
            returned = tuple(batch.returns[v[0]][1] if v[0] in batch.returns else None for v in vs)
        rationales = "\n\n".join([f"{users.get(v[2])}: {v[4]}" for v in vs if v[4]])
        source_cell = "\n".join(
            [f"{users.get(v[2])}: {s[1]}" for v in vs for s in batch.sources.get(v[0], ())]
        )
    else:
        pairs = ()
        rationales = source_cell = ""
    quote, text = c[4], c[5]
    head = (
        f"{c[0]},{_num(c[2])},{_num(c[3])},{q(_neutral(quote))},{q(_neutral(text))},"
        f"{_kind_cell(c[6])}"
    )
    middle = (
        f"{'true' if c[8] else 'false'},{'true' if c[9] else 'false'},{q(_neutral(c[10]))},"
        f"{q(_neutral(c[17]))},{c[18] or ''},{c[21]}"
    )
    rating = final = None
    if c[13] is not None:
        rating = c[13].encode()
        final = (
            f"{q(_neutral(c[14]))},{q(_neutral(users.get(c[15])))},{q(_neutral(c[16]))}".encode()
        )
    if rationales and rationales[0] in dangerous:
        rationales = "'" + rationales
    if source_cell and source_cell[0] in dangerous:
        source_cell = "'" + source_cell
    rationales, source_cell = one_line_break(rationales), one_line_break(source_cell)
    pieces = (
        c[0], c[1], c[2], c[3], c[6], c[7], head.encode(), middle.encode(), rating, final, None,
        q(rationales).encode(), q(source_cell).encode(),
    )  # fmt: skip
    return pieces, pairs, returned


@functools.lru_cache(maxsize=1024)
def _kind_cell(text: str) -> str:
    import json

    return _quoted(_neutral(";".join(json.loads(text) or ())))


def _spans_json(text: str) -> str:
    """Stored ``wording_spans`` as the encoder writes the list (compact)."""
    if text == "[]":
        return text
    return _encode(_loads(text))


@functools.lru_cache(maxsize=1024)
def _kind_json(text: str | bytes) -> bytes:
    import json

    return _encode(list(json.loads(text))).encode()


# JSON and JSONL --------------------------------------------------------------------------------


def _article_dict(a: tuple[Any, ...]) -> dict[str, Any]:
    return {
        "id": a[0],
        "title": a[1],
        "url": a[2],
        "publisher": a[3],
        "author": a[4],
        "published": a[5],
        "body_sha256": a[6],
        "published_at": a[7],
        "publications": _loads(a[8]),
    }


def _jv(value: Any) -> str:
    """A value as JSON: strings and None the fast way, anything else by the encoder."""
    if value.__class__ is str:
        return _enc(value)
    return "null" if value is None else _encode(value)


def _article_json(a: tuple[Any, ...]) -> str:
    """``_encode(_article_dict(a))``, written directly."""
    return (
        f'{{"id":{_jv(a[0])},"title":{_jv(a[1])},"url":{_jv(a[2])},"publisher":{_jv(a[3])},'
        f'"author":{_jv(a[4])},"published":{_jv(a[5])},"body_sha256":{_jv(a[6])},'
        f'"published_at":{_jv(a[7])},"publications":{a[8]}}}'
    )


class _Pieces:
    """JSON pieces of claim records, encoded once where they repeat."""

    def __init__(self, scale: Sequence[dict[str, Any]], disagreement_mode: str):
        self.sc = _Scale(scale, disagreement_mode)
        self.prefixes: dict[tuple[Any, Any], str] = {}
        self.finals: dict[Any, str] = {}
        self.agreements: dict[tuple[str, ...], bytes] = {}
        self.users: dict[Any, str] = {}
        self.marks: dict[tuple[bytes, Any], tuple[bytes, ...]] = {}

    def prefix(self, user_id: Any, rating: Any, users: dict[int, str]) -> str:
        labels, values = self.sc.labels, self.sc.values
        text = (
            f'{{"reviewer":{_js(users.get(user_id))},"rating":{_js(rating)},'
            f'"label":{_js(labels.get(rating, rating))},"value":{_js(values.get(rating))},'
            '"rationale":'
        )
        self.prefixes[(user_id, rating)] = text
        return text

    def marks_of(self, key: tuple[bytes, Any]) -> tuple[bytes, ...]:
        """``,"label":…,"value":…`` of each rating of ``(JSON array of the verdicts' ratings,
        final rating or None)``: what the ``%s`` of a stored JSON tail stand for."""
        labels, values = self.sc.labels, self.sc.values
        ratings = _loads(key[0]) + ([] if key[1] is None else [key[1].decode()])
        marks = tuple(
            f',"label":{_js(labels.get(r, r))},"value":{_js(values.get(r))}'.encode()
            for r in ratings
        )
        if len(self.marks) < 65536:
            self.marks[key] = marks
        return marks

    def final_tail(self, rating: Any) -> str:
        labels, values = self.sc.labels, self.sc.values
        text = f',"label":{_js(labels.get(rating, rating))},"value":{_js(values.get(rating))}}}'
        self.finals[rating] = text
        return text

    def agreement(self, ratings: tuple[str, ...]) -> bytes:
        text = _encode(self.sc.agreement(ratings)).encode()
        if len(self.agreements) < 65536:
            self.agreements[ratings] = text
        return text


def _rationale_html(text: str) -> str:
    from ..store.exports import rationale_html

    return rationale_html(text)


def _claim_pieces(batches: Iterable[Any], pieces: _Pieces) -> Iterator[tuple[Any, ...]]:
    """``(article_id, article_json, claim_json_without_braces, rest)`` per item of the batches,
    the JSON as UTF-8 bytes: ``article_json`` carries the body on an article's first item;
    ``claim_json…`` is None for an article without claims, whose ``rest`` is the record's
    remaining keys; otherwise ``rest`` is ``,"verdicts":…`` up to the agreement (without the
    closing brace)."""
    agreements = pieces.agreements
    by_json: dict[bytes, bytes] = {}  # agreement JSON by the JSON array of the ratings
    json_batches = getattr(batches, "json_batches", None)
    if json_batches is not None:
        batches = json_batches()  # claims read from the stored fragments where they can be
    marks = pieces.marks
    labels = pieces.sc.labels
    current = None
    article_json = article_plain = b""
    published_at = b"null"
    for batch in batches:
        bodies = batch.bodies
        for c in batch.items:
            if c.__class__ is int:
                part = _article_dict(batch.articles[c])
                article = {**part, "body": bodies[c]} if bodies is not None else part
                rest = _encode(
                    {
                        "verdicts": [],
                        "final": None,
                        "corrections": [],
                        "published_at": part["published_at"],
                        "published": None,
                    }
                )
                yield c, _encode(article).encode(), None, rest.encode()
                continue
            article_id = c[1]
            if article_id != current:
                current = article_id
                a = batch.articles[article_id]
                plain = _article_json(a)
                published_at = _jv(a[7]).encode()
                article_plain = plain.encode()
                article_json = (
                    f'{plain[:-1]},"body":{_jv(bodies[article_id])}}}'.encode()
                    if bodies is not None
                    else article_plain
                )
            else:
                article_json = article_plain
            if len(c) == JSON_PIECES:  # from json_fragments
                ratings = c[8]
                agreement = by_json.get(ratings)
                if agreement is None:
                    key = tuple(_loads(ratings))
                    agreement = agreements.get(key) or pieces.agreement(key)
                    if len(by_json) < 65536:
                        by_json[ratings] = agreement
                key = (ratings, c[9])  # the labels and values that the %s stand for
                labels_values = marks.get(key)
                if labels_values is None:
                    labels_values = pieces.marks_of(key)
                claim = b"".join(
                    (c[6], b',"kind":', _kind_json(c[4]), b',"score":', _score_json(c[5]), c[7])
                )
                tail = c[10] % labels_values
            else:
                claim, tail, key = _json_pieces(c, batch, pieces)
                agreement = agreements.get(key) or pieces.agreement(key)
            entry = batch.published.get(c[0])
            published = b"null" if entry is None else with_label(entry, labels).encode()
            yield (
                article_id,
                article_json,
                claim,
                b"".join(
                    (
                        tail,
                        b',"published_at":',
                        published_at,
                        b',"published":',
                        published,
                        b',"comments":',
                        _comments_json(batch.comments.get(c[0])),
                        b',"agreement":',
                        agreement,
                    )
                ),
            )


def _comments_json(thread: list[dict[str, Any]] | None) -> bytes:
    """A claim's comments (:attr:`ExportBatch.comments`) as JSON (UTF-8)."""
    return _encode(thread).encode() if thread else b"[]"


def _json_pieces(
    c: tuple[Any, ...], batch: Any, pieces: _Pieces
) -> tuple[bytes, bytes, tuple[str, ...]]:
    """A claim tuple (:data:`~factcheck.store.exports.CLAIM_COLUMNS`) as its JSON without
    braces and its ``,"verdicts":…,"corrections":[…]`` (UTF-8), and the ratings of its current
    verdicts (those not returned to their reviewer: what agreement counts)."""
    enc, users = _enc, batch.users
    prefixes, finals = pieces.prefixes, pieces.finals
    claim = (
        f'"id":{c[0]},"start":{c[2]},"end":{c[3]},"quote":{enc(c[4])},'
        f'"text":{enc(c[5])},"kind":{_kind_json(c[6]).decode()},'
        f'"score":{_score_json(c[7]).decode()},'
        f'"checkworthy":{"true" if c[8] else "false"},'
        f'"dismissed":{"true" if c[9] else "false"},"origin":{enc(c[10])},'
        f'"claimant":{_jv(c[17])},"claimant_kind":{_jv(c[18])},'
        f'"claimant_start":{_jv(c[19])},"claimant_end":{_jv(c[20])},'
        f'"wording_source":{enc(c[21])},"wording_spans":{_spans_json(c[22])},'
        f'"created_at":{_js(c[11])},"updated_at":{_js(c[12])}'
    )
    vs = batch.verdicts.get(c[0])
    returns = batch.returns
    if vs:
        out = []
        current = []  # the ratings of the current verdicts (not returned): for agreement
        for v in vs:
            returned = returns.get(v[0]) if returns else None
            if returned is None:
                current.append(v[3])
                status = ',"status":"current","returned":null'
            else:
                status = f',"status":"returned","returned":{_encode(returned[1])}'
            prefix = prefixes.get((v[2], v[3])) or pieces.prefix(v[2], v[3], users)
            html = v[5]
            if html is None:
                html = _rationale_html(v[4])
            ss = batch.sources.get(v[0])
            if ss:
                src = ",".join(
                    [
                        f'{{"url":{enc(s[1])},"title":{enc(s[2])},'
                        f'"publisher":{enc(s[3])},"excerpt":{enc(s[4])},'
                        f'"stance":{enc(s[5])},"accessed":{_js(s[6])},"archive":{s[7]}}}'
                        for s in ss
                    ]
                )
            else:
                src = ""
            out.append(
                f'{prefix}{enc(v[4])},"rationale_html":{enc(html)},'
                f'"created_at":{enc(v[6])},"updated_at":{enc(v[7])},"sources":[{src}]'
                f"{status}}}"
            )
        verdict_json = ",".join(out)
        ratings = tuple(current)
    else:
        verdict_json = ""
        ratings = ()
    rating = c[13]
    if rating is None:
        final = "null"
    else:
        final = (
            f'{{"rating":{_js(rating)},"reason":{_js(c[14])},"decided_at":{_js(c[16])},'
            f'"decided_by":{_js(users.get(c[15]))}'
            + (finals.get(rating) or pieces.final_tail(rating))
        )
    fixes = batch.corrections.get(c[0])
    if fixes:
        correction_json = _encode(
            [
                {
                    "before_rating": r[1],
                    "after_rating": r[2],
                    "note": r[3],
                    "by": users.get(r[4]),
                    "created_at": r[5],
                }
                for r in fixes
            ]
        )
    else:
        correction_json = "[]"
    tail = f',"verdicts":[{verdict_json}],"final":{final},"corrections":{correction_json}'
    return claim.encode(), tail.encode(), ratings


def jsonl_fast_chunks(
    batches: Iterable[Any],
    scale: Sequence[dict[str, Any]],
    *,
    disagreement_mode: str = "any",
    size: int = 65536,
) -> Iterator[bytes]:
    """:func:`factcheck.export.jsonl_lines` of the batches' records (read with ``full``),
    encoded as UTF-8 and joined into chunks of about ``size`` bytes."""
    buf: list[bytes] = []
    n = 0
    for _article_id, article, claim, rest in _claim_pieces(
        batches, _Pieces(scale, disagreement_mode)
    ):
        if claim is None:
            line = b'{"article":%s,"claim":null,%s\n' % (article, rest[1:])
        else:
            line = b"".join((b'{"article":', article, b',"claim":{', claim, b"}", rest, b"}\n"))
        buf.append(line)
        n += len(line)
        if n >= size:
            yield b"".join(buf)
            buf.clear()
            n = 0
    if buf:
        yield b"".join(buf)


def json_fast_chunks(
    batches: Iterable[Any],
    scale: Sequence[dict[str, Any]],
    meta: dict[str, Any],
    *,
    disagreement_mode: str = "any",
    chunk_size: int = 65536,
) -> Iterator[bytes]:
    """:func:`factcheck.export.json_chunks` of the batches' records (read with ``full``),
    encoded as UTF-8."""
    buf: list[bytes] = [
        f'{{"factcheck_export":{FORMAT_VERSION},"meta":{_encode(meta)},"articles":['.encode()
    ]
    size = 0
    current: Any = object()
    first_article = True
    first_claim = True
    for article_id, article, claim, rest in _claim_pieces(
        batches, _Pieces(scale, disagreement_mode)
    ):
        if first_article or article_id != current:
            if not first_article:
                buf.append(b"]}")
            buf.append(
                (b"," if not first_article else b"")
                + article[:-1]
                + (b"," if len(article) > 2 else b"")
                + b'"claims":['
            )
            first_article = False
            first_claim = True
            current = article_id
        if claim is not None:
            piece = b"{%s%s}" % (claim, rest)
            buf.append(piece if first_claim else b"," + piece)
            first_claim = False
            size += len(piece)
        if size >= chunk_size:
            yield b"".join(buf)
            buf.clear()
            size = 0
    if not first_article:
        buf.append(b"]}")
    buf.append(b"]}")
    yield b"".join(buf)
