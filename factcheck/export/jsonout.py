"""JSON and JSONL exports (complete: offsets, verdicts, rationales, sources, timestamps).

Claim record shape, as yielded by the store, one per claim in article order::

    {"article": {"id", "title", "url", "publisher", "author", "published", "body_sha256",
                 "published_at", "publications": [{"action", "at", "note", "by", "article"}]},
     "claim": {"id", "start", "end", "quote", "text", "kind", "score", "checkworthy",
               "dismissed", "origin", "claimant", "claimant_kind", "claimant_start",
               "claimant_end", "wording_source", "wording_spans", "created_at",
               "updated_at"},
     "verdicts": [{"reviewer", "rating", "label", "value", "rationale", "rationale_html",
                   "created_at", "updated_at", "sources": [{"url", "title", "publisher",
                   "excerpt", "stance", "accessed"}]}],
     "final": {"rating", "label", "value", "reason", "decided_by", "decided_at"} | None,
     "published": {...} | None,  # the published record (factcheck.store.published)
     "comments": [{"by", "kind", "body", "created_at", "updated_at",
                   "returned": {"reviewer", "at", "resolved_at"} | None}],  # the claim's thread
     "agreement": {...}}

``"claim": None`` marks an article without claims (kept in both formats).

JSONL: each line is one record, unchanged.  JSON: one document
``{"factcheck_export": 1, "meta": {...}, "articles": [{<article fields>,
"claims": [{<claim fields>, "verdicts": [...], "final": ..., "agreement": ...}]}]}``.
Extra record keys (besides "article" and "claim") are carried into each claim object.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Iterable, Iterator
from typing import Any

__all__ = ["FORMAT_VERSION", "json_chunks", "jsonl_lines", "records_from_json"]

FORMAT_VERSION = 1


def _default(obj: Any) -> Any:
    if isinstance(obj, (_dt.date, _dt.datetime, _dt.time)):
        return obj.isoformat()
    if isinstance(obj, (set, frozenset)):
        return sorted(obj)
    raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")


_encode = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), check_circular=False, default=_default
).encode


def jsonl_lines(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """One compact JSON object per record, each ``\\n``-terminated (UTF-8 text, no BOM)."""
    for record in records:
        yield _encode(record) + "\n"


def _claim_entry(record: dict[str, Any]) -> dict[str, Any]:
    entry = dict(record["claim"])
    for key, value in record.items():
        if key not in ("article", "claim"):
            entry[key] = value
    return entry


def json_chunks(
    records: Iterable[dict[str, Any]], meta: dict[str, Any], *, chunk_size: int = 65536
) -> Iterator[str]:
    """Stream one JSON document, grouping consecutive records of the same article.

    Article fields are written once, followed by its ``"claims"`` list.  Output
    is concatenated text chunks of about ``chunk_size`` characters; only one
    record is held at a time.  A non-consecutive repeat of an article id
    starts a new article entry (the store yields records in article order).
    """
    buf: list[str] = [
        f'{{"factcheck_export":{FORMAT_VERSION},"meta":',
        _encode(meta),
        ',"articles":[',
    ]
    size = 0
    current: Any = object()  # sentinel: never equals an article id
    first_article = True
    first_claim = True
    for record in records:
        article = record.get("article") or {}
        article_id = article.get("id")
        if first_article or article_id != current:
            if not first_article:
                buf.append("]}")
            head = _encode(article)
            # '{...}' -> '{...,"claims":[' ; '{}' -> '{"claims":['
            buf.append(
                ("," if not first_article else "")
                + head[:-1]
                + ("," if len(head) > 2 else "")
                + '"claims":['
            )
            first_article = False
            first_claim = True
            current = article_id
        if record.get("claim") is not None:
            piece = _encode(_claim_entry(record))
            buf.append(piece if first_claim else "," + piece)
            first_claim = False
            size += len(piece)
        if size >= chunk_size:
            yield "".join(buf)
            buf.clear()
            size = 0
    if not first_article:
        buf.append("]}")
    buf.append("]}")
    yield "".join(buf)


def records_from_json(doc: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Turn a parsed JSON export back into claim records (inverse of :func:`json_chunks`).

    Articles without claims yield one record with ``"claim": None``.
    """
    if doc.get("factcheck_export") != FORMAT_VERSION:
        raise ValueError(f"not a factcheck export (version {FORMAT_VERSION})")
    for entry in doc.get("articles") or ():
        article = {k: v for k, v in entry.items() if k != "claims"}
        claims = entry.get("claims") or []
        if not claims:
            yield {
                "article": article,
                "claim": None,
                "verdicts": [],
                "final": None,
                "agreement": None,
            }
            continue
        for c in claims:
            record: dict[str, Any] = {"article": article}
            claim = {}
            for key, value in c.items():
                if key in _RECORD_KEYS:
                    record[key] = value
                else:
                    claim[key] = value
            record["claim"] = claim
            record.setdefault("verdicts", [])
            record.setdefault("final", None)
            yield record


# Keys of a claim object in the JSON document that belong to the record, not the claim.
_RECORD_KEYS = frozenset(
    [
        "verdicts",
        "final",
        "agreement",
        "corrections",
        "history",
        "published_at",
        "published",
        "comments",
    ]
)
