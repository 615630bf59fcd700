"""Quoted words as claims: each quoted sentence a claim of the speaker ('X said: "A. B."'),
and '"Quoted words," Name said' with what follows the speaker (", adding that ...", ", who
runs a bakery")."""

from __future__ import annotations

import re

from .claimant import _QUOTE_STMT_RE, _Attr, named_prefix, quote_speaker
from .clauses import _clause_claims
from .grammar import _LEAD_DISCOURSE_RE, _cap, _decap, _trim
from .segment import Segment, _split_paragraph


def _quoted_claims(
    sentence: str, start: int, end: int, attr: _Attr, stop: bool = False
) -> tuple[list[dict], int]:
    """Claims of each sentence of the quoted words ``sentence[start:end]``, worded with the
    speaker's ``attr`` (without a closing stop when ``stop``), and how many sentences."""
    segs: list[Segment] = []
    _split_paragraph(sentence, start, end, "sentence", segs)
    out: list[dict] = []
    for seg in segs:
        a, b = _trim(sentence, seg.start, seg.end)
        while stop and b > a and sentence[b - 1] in ".!?… ":
            b -= 1
        while True:
            dm = _LEAD_DISCOURSE_RE.match(sentence, a, b)
            if not dm or dm.end() >= b:
                break
            a = dm.end()
        if b - a >= 3:
            out.extend(_clause_claims(sentence, a, b, attr))
    return out, len(segs)


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
    attr = _Attr(who, prefix=named_prefix(who, verb) or who + " " + verb + " ", direct=True)
    out, _ = _quoted_claims(sentence, m.start("q"), m.end("q"), attr)
    am = _ADDING_RE.search(sentence, rest_s, e0)
    if am is not None and rel is None:
        # '"...," the minister said, adding that imports rose 2%': the speaker's too
        a, b = _trim(sentence, am.end(), e0)
        while b > a and sentence[b - 1] in ".!?… ":
            b -= 1
        if b - a >= 8:
            out.append(
                {
                    "start": a,
                    "end": b,
                    "text": _cap(who + " said " + _decap(sentence[a:b])),
                    "attribution": who,
                    "subject": None,
                    "type": "main",
                    "glue": frozenset(("said",)),
                }
            )
    if rel is not None:
        a, b = _trim(sentence, *rel)
        if b - a >= 8 and len(sentence[a:b].split()) >= 3:
            out.append(
                {
                    "start": a,
                    "end": b,
                    # "said Ingrid Solberg, whose two sons attend the school": her sons
                    "text": _cap(
                        who
                        + ("'s " if sentence[:a].rstrip().lower().endswith("whose") else " ")
                        + sentence[a:b]
                    ),
                    "attribution": None,
                    "subject": who,
                    "type": "rel",
                    "own_voice": True,  # "said Ana Ruiz, who runs a bakery": the article's
                }
            )
    for d in out:
        d.setdefault("speaker", who)
    out.sort(key=lambda d: (d["start"], d["end"]))
    return out


_ADDING_RE = re.compile(
    r",\s+(?:adding|saying|noting|warning|arguing|insisting|claiming)\s+(?:that\s+)?(?=\S)"
)
