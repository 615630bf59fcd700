"""Reads for the review page's claim panel that the page would otherwise repeat."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

from .base import NotFound


def wording_spans(db: Database, article_id: int, spans: Sequence[Sequence[int]]) -> list[str]:
    """The text of each ``[start, end)`` span of the article's body (a claim's
    ``wording_spans``: what its wording was built from), in one query, without reading the
    whole body; none without spans."""
    spans = [(int(start), int(end)) for start, end in spans or ()]
    if not spans:
        return []
    columns = ", ".join("substr(body, ?, ?)" for _ in spans)
    params: list[Any] = [value for start, end in spans for value in (start + 1, end - start)]
    row = db.execute(
        f"SELECT {columns} FROM articles WHERE id = ?",  # noqa: S608 (placeholders only)
        (*params, article_id),
    ).fetchone()
    if row is None:
        raise NotFound(f"article {article_id}")
    return list(row)
