"""Kinds of a claim (quantity, time, superlative, ...), from its wording and values."""

from __future__ import annotations

import re

from .grammar import _PAST_RE

CLAIM_KIND_NAMES = (
    "quantity",
    "time",
    "superlative",
    "comparison",
    "attribution",
    "causal",
    "event",
    "other",
)


_SUPERLATIVE_RE = re.compile(
    r"\b(?:first|only|the last|largest|biggest|highest|lowest|most|least|best|worst|deadliest|"
    r"record|never|ever|unprecedented|greatest|longest|shortest|oldest|youngest|fastest|"
    r"slowest|strongest|weakest|richest|poorest|top)\b",
    re.IGNORECASE,
)


_COMPARISON_RE = re.compile(
    r"\b(?:more|less|fewer|higher|lower|greater|larger|smaller|bigger|than|compared|"
    r"increase[ds]?|decrease[ds]?|rose|risen|fell|fallen|doubled|tripled|halved|grew|"
    r"declined?|dropped|surged|soared|plunged|jumped)\b",
    re.IGNORECASE,
)


_CAUSAL_RE = re.compile(
    r"\b(?:caus(?:ed|es|e|ing)|led to|leads to|lead to|because|due to|result(?:ed|s)? in|as a result|"  # noqa: E501
    r"trigger(?:ed|s)?|spark(?:ed|s)?|responsible for|blamed|forced|killed|left\s+(?:\S+\s+){0,4}dead|"  # noqa: E501
    r"thanks to|contributed to)\b",
    re.IGNORECASE,
)


_ATTRIB_RE = re.compile(
    r"[\"“”]|\b(?:said|says|according to|reported|noted|stressed|announced|claimed|told|stated|"
    r"confirmed|denied|warned|pointed out|added)\b",
    re.IGNORECASE,
)


_TIME_RE = re.compile(
    r"\b(?:ago|since|until|yesterday|today|tomorrow|last|next|earlier|later|monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday|night|morning|week|month|year|decade)\b",
    re.IGNORECASE,
)


def claim_kinds(quote: str, values: list[dict], attributed: bool, event: bool = False) -> list[str]:
    """Kinds of a claim from its wording and values, in :data:`CLAIM_KIND_NAMES` order."""
    kinds = set()
    for v in values:
        t = v["type"]
        if t in ("quantity", "percent", "money", "fraction"):
            kinds.add("quantity")
        elif t == "date":
            kinds.add("time")
        elif t == "ordinal":
            kinds.add("superlative")
    if "time" not in kinds and _TIME_RE.search(quote):
        kinds.add("time")
    if _SUPERLATIVE_RE.search(quote):
        kinds.add("superlative")
    if _COMPARISON_RE.search(quote):
        kinds.add("comparison")
    if attributed or _ATTRIB_RE.search(quote):
        kinds.add("attribution")
    if _CAUSAL_RE.search(quote):
        kinds.add("causal")
    if (event or _PAST_RE.search(quote.lower())) and not kinds & {
        "quantity",
        "comparison",
        "causal",
    }:
        kinds.add("event")
    if not kinds:
        kinds.add("other")
    return [k for k in CLAIM_KIND_NAMES if k in kinds]
