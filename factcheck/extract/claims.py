"""Atomic claims of an article: the pipeline segment -> attribution -> clauses -> wording
-> kinds, values -> score, and the public API ``extract_claims`` / ``claim_spans``."""

from __future__ import annotations

import datetime

from .claimant import (
    _BARE_QUOTE_RE,
    _QUOTE_STMT_RE,
    _Attr,
    _context,
    quote_speaker,
    sentence_attribution,
)
from .clauses import _clause_claims
from .filters import drop_repeats
from .grammar import (
    _LEAD_DISCOURSE_RE,
    _cap,
    _decap,
    _trim,
)
from .kinds import CLAIM_KIND_NAMES, claim_kinds
from .model import load_model
from .score import _score
from .segment import CLAIM_KINDS, Segment, _split_paragraph, split_sentences
from .values import find_values
from .wording import _resolve_pronoun

__all__ = ["claim_spans", "extract_claims", "claim_kinds", "drop_repeats", "CLAIM_KIND_NAMES"]


def claim_spans(sentence: str) -> list[dict]:
    """Split one sentence into atomic claim pieces.

    Returns dicts with ``start``/``end`` (offsets into ``sentence``), ``text`` (self-contained
    wording where the sentence allows), ``attribution`` (the source named, if any) and
    ``subject`` (the subject of the main clause, if found).
    """
    n = len(sentence)
    s0, e0 = _trim(sentence, 0, n)
    if e0 - s0 < 3:
        return []
    if sentence[s0] in '"“':
        quoted = _quoted_statement(sentence, s0, e0)
        if quoted is not None:
            return quoted
    # leading discourse markers
    while True:
        m = _LEAD_DISCOURSE_RE.match(sentence, s0, e0)
        if not m or m.end() >= e0:
            break
        s0 = m.end()
    attr, s0, e0, mid = sentence_attribution(sentence, s0, e0)
    if e0 - s0 < 3:
        return []
    if mid is not None:
        # "House prices rose 3%, the registry said, while rents climbed 7%": both halves are
        # the registry's, and neither quote holds the attribution
        out = _clause_claims(sentence, s0, mid[0], attr)
        if e0 - mid[1] >= 3:
            out += _clause_claims(sentence, mid[1], e0, attr)
        out.sort(key=lambda d: (d["start"], d["end"]))
        return out
    return _clause_claims(sentence, s0, e0, attr)


def _quoted_statement(sentence: str, s0: int, e0: int) -> list[dict] | None:
    """``"Quoted words," Name said`` / ``said Name``: claims from the quoted words, attributed."""
    m = _QUOTE_STMT_RE.match(sentence, s0, e0)
    if not m:
        return None
    rest_s = m.start("rest")
    found = quote_speaker(sentence[rest_s:e0])
    if found is None:
        return None
    who, verb, rel = found
    if rel is not None:
        rel = (rest_s + rel[0], rest_s + rel[1])
    attr = _Attr(who, prefix=who + " " + verb + " ")
    segs: list[Segment] = []
    _split_paragraph(sentence, m.start("q"), m.end("q"), "sentence", segs)
    out: list[dict] = []
    for seg in segs:
        a, b = _trim(sentence, seg.start, seg.end)
        while True:
            dm = _LEAD_DISCOURSE_RE.match(sentence, a, b)
            if not dm or dm.end() >= b:
                break
            a = dm.end()
        if b - a >= 3:
            out.extend(_clause_claims(sentence, a, b, attr))
    if rel is not None:
        a, b = _trim(sentence, *rel)
        if b - a >= 8 and len(sentence[a:b].split()) >= 3:
            out.append(
                {
                    "start": a,
                    "end": b,
                    "text": _cap(who + " " + sentence[a:b]),
                    "attribution": None,
                    "subject": who,
                    "type": "rel",
                }
            )
    for d in out:
        d.setdefault("speaker", who)
    out.sort(key=lambda d: (d["start"], d["end"]))
    return out


def extract_claims(
    text: str,
    published: datetime.date | str | None = None,
    threshold: float | None = None,
) -> list[dict]:
    """Return the atomic claims of an article, sorted by position.

    ``published`` (a date or ``YYYY-MM-DD``) resolves relative dates; ``threshold``
    overrides the model's default decision threshold for ``checkworthy``.
    """
    if not isinstance(text, str) or not text.strip():
        return []
    thr = load_model().threshold if threshold is None else float(threshold)
    segments: list[Segment] = split_sentences(text)
    seen: set[tuple[int, int]] = set()
    claims: list[dict] = []
    person: str | None = None  # who "He"/"She" in the next sentence most likely is
    thing: str | None = None  # what "It" in the next sentence most likely is
    speaker: str | None = None  # who spoke the quotation just before
    for seg in segments:
        if seg.kind not in CLAIM_KINDS:
            person = thing = speaker = None
            continue
        sent = text[seg.start : seg.end]
        pieces = claim_spans(sent)
        bare = _BARE_QUOTE_RE.fullmatch(sent)
        if bare and speaker and len(pieces) == 1 and not pieces[0]["attribution"]:
            # '"Insurance covers half." ' after '"...," said Petra Lund': her words too
            a, b = bare.span("q")
            pieces = [
                dict(
                    pieces[0],
                    start=a,
                    end=b,
                    text=_cap(speaker + " said " + _decap(sent[a:b])),
                    attribution=speaker,
                    speaker=speaker,
                )
            ]
        speaker = next((p["speaker"] for p in pieces if p.get("speaker")), None)
        question = sent.rstrip().rstrip("\"'”’»)").endswith("?")
        for piece in pieces:
            start, end = seg.start + piece["start"], seg.start + piece["end"]
            if (start, end) in seen:
                continue
            quote = text[start:end]
            values = [
                {k: v for k, v in d.items() if k[0] != "_"} for d in find_values(quote, published)
            ]
            if question and not values:
                continue  # a question asserts nothing, unless it takes a figure or date as given
            seen.add((start, end))
            kinds = claim_kinds(
                quote, values, piece["attribution"] is not None, piece["type"] == "item"
            )
            wording = _resolve_pronoun(piece["text"], person, thing)
            score = round(_score(wording, quote, kinds), 4)
            claims.append(
                {
                    "start": start,
                    "end": end,
                    "quote": quote,
                    "text": wording,
                    "kind": kinds,
                    "score": score,
                    "checkworthy": score >= thr,
                    "values": values,
                    "sentence_start": seg.start,
                    "sentence_end": seg.end,
                }
            )
        person, thing = _context(pieces, person, thing)
    claims.sort(key=lambda c: (c["start"], c["end"]))
    return drop_repeats(claims)
