"""Who made a claim and where its wording came from (migration m008): the claimant columns,
their checks, the changes a claimant set by hand makes, the wording's spans.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from sqlite_utils import Database

from .. import sanitize
from .base import Invalid, NotFound, _row

#: The claim columns of the claimant and the wording's source (migration m008), in the order
#: :func:`claimant_columns` gives their values.
CLAIMANT_COLUMNS = (
    "claimant, claimant_start, claimant_end, claimant_kind, wording_source, wording_spans"
)
#: The same as claim keys (records, the API), in export order.
CLAIMANT_KEYS = (
    "claimant",
    "claimant_kind",
    "claimant_start",
    "claimant_end",
    "wording_source",
    "wording_spans",
)
CLAIMANT_KINDS = ("person", "organization")
WORDING_SOURCES = ("rewritten", "quote", "edited")
CLAIMANT_MAX = 300


def _offset(value: Any, what: str) -> int:
    if value.__class__ is not int:
        raise Invalid(f"{what} must be a whole number")
    return value


def _span(body: str, start: Any, end: Any, what: str) -> tuple[int, int]:
    """``(start, end)`` checked against the body: whole numbers, ``0 <= start < end <= len``."""
    start, end = _offset(start, what), _offset(end, what)
    if not 0 <= start < end <= len(body):
        raise Invalid(f"{what} {start}:{end} lies outside the article")
    return start, end


def clean_claimant(claimant: Any, kind: Any) -> tuple[str | None, str | None]:
    """A claimant's name (stripped, None when empty: the publication) and kind, checked."""
    if claimant is not None and not isinstance(claimant, str):
        raise Invalid("A claimant is a name (text).", field="claimant")
    claimant = " ".join(sanitize.strip_control(claimant or "").split()) or None
    if claimant is not None and len(claimant) > CLAIMANT_MAX:
        raise Invalid(f"A claimant's name is at most {CLAIMANT_MAX} characters.", field="claimant")
    kind = kind or None
    if kind is not None and kind not in CLAIMANT_KINDS:
        raise Invalid("A claimant is a person or an organization.", field="claimant_kind")
    if claimant is None:
        kind = None  # (the publication)
    return claimant, kind


def claimant_columns(body: str, claim: Mapping[str, Any]) -> tuple[Any, ...]:
    """The values of :data:`CLAIMANT_COLUMNS` for a claim dict (extractor output, an export's
    claim), each key optional: no claimant (the publication), wording ``rewritten`` from no
    recorded spans. Offsets are checked against ``body``; raises :class:`Invalid`."""
    claimant, kind = clean_claimant(claim.get("claimant"), claim.get("claimant_kind"))
    start, end = claim.get("claimant_start"), claim.get("claimant_end")
    if claimant is None or (start is None and end is None):
        start = end = None
    else:
        start, end = _span(body, start, end, "the claimant's mention")
    source = claim.get("wording_source") or "rewritten"
    if source not in WORDING_SOURCES:
        raise Invalid(f"wording_source must be one of {', '.join(WORDING_SOURCES)}")
    spans = claim.get("wording_spans") or []
    if not isinstance(spans, list | tuple):
        raise Invalid("wording_spans is a list of [start, end] offsets")
    checked = []
    for span in spans:
        if not isinstance(span, list | tuple) or len(span) != 2:
            raise Invalid("wording_spans is a list of [start, end] offsets")
        checked.append(list(_span(body, span[0], span[1], "a wording span")))
    return claimant, start, end, kind, source, json.dumps(checked)


def checked_claimant(claimant: Any, kind: Any) -> tuple[str | None, str | None]:
    """A claimant set by hand: :func:`clean_claimant`, and a name needs its kind."""
    claimant, kind = clean_claimant(claimant, kind)
    if claimant is not None and kind is None:
        raise Invalid(
            "Say whether the claimant is a person or an organization.", field="claimant_kind"
        )
    return claimant, kind


def claimant_changes(
    db: Database, claimant: str | None, kind: str | None
) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """The claim columns a claimant set by hand changes (for :func:`change_claim`), as a
    function of the stored claim: the name's mention is its occurrence in the article nearest
    before the claim (else after it; none when the article does not name it), kept when the
    name is unchanged."""

    def changes(before: dict[str, Any]) -> dict[str, Any]:
        if claimant is None:
            start = end = None
        elif claimant == before["claimant"]:
            start, end = before["claimant_start"], before["claimant_end"]
        else:
            body = _row(db, "SELECT body FROM articles WHERE id = ?", (before["article_id"],))[
                "body"
            ]
            start = _mention(body, claimant, before["start"])
            end = None if start is None else start + len(claimant)
        return {
            "claimant": claimant,
            "claimant_kind": kind,
            "claimant_start": start,
            "claimant_end": end,
        }

    return changes


def wording_context(db: Database, claim: dict[str, Any]) -> dict[str, Any]:
    """The publisher of the claim's article and the text of each of the claim's
    ``wording_spans`` (what its wording was built from), read without the whole body."""
    article_id = claim["article_id"]
    row = _row(db, "SELECT publisher FROM articles WHERE id = ?", (article_id,))
    if row is None:
        raise NotFound(f"article {article_id}")
    spans = [
        db.execute(
            "SELECT substr(body, ?, ?) FROM articles WHERE id = ?",
            (start + 1, end - start, article_id),
        ).fetchone()[0]
        for start, end in claim.get("wording_spans") or ()
    ]
    return {"publisher": row["publisher"], "spans": spans}


def _mention(body: str, name: str, near: int) -> int | None:
    """The offset of ``name`` in ``body``: the last occurrence before ``near``, else the first
    after it, else None."""
    before = body.rfind(name, 0, near + len(name))
    return before if before != -1 else (None if (after := body.find(name)) == -1 else after)
