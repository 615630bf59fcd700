"""Streaming export renderers: CSV, JSON, JSONL, ClaimReview JSON-LD, Markdown.

Pure functions over *claim records* (plain dicts, one per claim, in article
order) as yielded by the store; see ``jsonout`` for the record shape.  Every
renderer is a generator of ``str`` chunks; the caller encodes them as UTF-8.

A record whose ``"claim"`` is None stands for an article without claims: the
JSON/JSONL exports keep the article, CSV/Markdown/ClaimReview skip it.

The pipeline that reads the store and calls them is :mod:`.stream` (with the ClaimReview
check, :mod:`.claimreview_check`); import it by name: it is not imported here, since the
store imports this package.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .claimreview import (
    claimreview,
    claimreview_chunks,
    jsonld_for_html,
    rating_bounds,
    validate_claimreview,
)
from .csv_export import CSV_BOM, CSV_COLUMNS, csv_chunks, neutralise_cell
from .fast import csv_fast_chunks, json_fast_chunks, jsonl_fast_chunks
from .jsonout import json_chunks, jsonl_lines, records_from_json
from .markdown import markdown_report, report_summary

__all__ = [
    "CSV_BOM",
    "CSV_COLUMNS",
    "batched",
    "claimreview",
    "claimreview_chunks",
    "csv_chunks",
    "current_ratings",
    "csv_fast_chunks",
    "json_chunks",
    "json_fast_chunks",
    "jsonld_for_html",
    "jsonl_fast_chunks",
    "jsonl_lines",
    "markdown_report",
    "neutralise_cell",
    "rating_bounds",
    "records_from_json",
    "report_summary",
    "validate_claimreview",
]


def current_ratings(verdicts: Iterable[dict]) -> list[str]:
    """The ratings of a record's current verdicts: those not returned to their reviewer
    (``"status": "returned"``), which agreement, majorities and "final" figures leave out."""
    return [v["rating"] for v in verdicts if v.get("status") != "returned"]


def batched(chunks: Iterable[str], size: int = 65536) -> Iterator[str]:
    """Join small string chunks into pieces of roughly ``size`` characters.

    Useful around :func:`jsonl_lines` before handing the stream to a WSGI server.
    """
    buf: list[str] = []
    n = 0
    for chunk in chunks:
        buf.append(chunk)
        n += len(chunk)
        if n >= size:
            yield "".join(buf)
            buf.clear()
            n = 0
    if buf:
        yield "".join(buf)
