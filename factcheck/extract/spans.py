"""One sentence -> its claim pieces: the attribution taken off ("X said that ...", ", the
office said", a source between two halves), quoted words, a subject's apposition, then the
clauses (:mod:`factcheck.extract.clauses`), each piece's span taking in the attribution next to
it. Pure: sentence in, pieces out (offsets into the sentence)."""

from __future__ import annotations

import re

from .apposition import subject_apposition
from .asides import _aside_claims
from .claimant import _NO_ATTR, _Attr, inference, sentence_attribution
from .clauses import _clause_claims, takes_trailing_attribution
from .grammar import _LEAD_DISCOURSE_RE, _PAST_RE, _cap, _trim
from .quoted import _quoted_claims, _quoted_statement

__all__ = ["claim_spans", "check_attribution"]


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
    # a wire story's dateline ("LINDHOLM, Brevia, Nov 12 (Meridian Press) - "): no part of
    # the claim
    dm = _DATELINE_RE.match(sentence, s0, e0)
    if dm is not None and dm.end() < e0:
        s0 = dm.end()
    # leading discourse markers
    while True:
        m = _LEAD_DISCOURSE_RE.match(sentence, s0, e0)
        if not m or m.end() >= e0:
            break
        s0 = m.end()
    a0, b0 = s0, e0
    attr, s0, e0, mid = check_attribution(sentence, a0, b0, *sentence_attribution(sentence, s0, e0))
    if e0 - s0 < 3:
        return []
    closing = sentence[e0:].lstrip(".!?…")[:1]
    if attr.prefix and 0 < s0 and sentence[s0 - 1] in '"“' and closing and closing in '"”':
        # 'X said: "A. B."': each quoted sentence is a claim of the speaker's own words
        attr.direct = True
        out, count = _quoted_claims(sentence, s0, e0, attr, stop=True)
        if count > 1:
            return _with_attribution(sentence, out, s0, a0, b0, b0)  # (no closing mark)
    if mid is not None:
        # "House prices rose 3%, the registry said, while rents climbed 7%": both halves are
        # the registry's; the first one's span takes the attribution next to it
        out = _with_attribution(
            sentence, _clause_claims(sentence, s0, mid[0], attr), 0, 0, mid[0], mid[2]
        )
        if e0 - mid[1] >= 3:
            # "..., the ministry said, though officials cautioned that ...": a second half
            # naming its own source is that source's, never the first half's
            own, s1, e1, _ = sentence_attribution(sentence, mid[1], e0)
            if inference(sentence, mid):
                # "..., the office said, meaning real incomes rose": the writer's inference
                # from the whole sentence (GUIDE.md section 3), worded with what it rests on
                whole = _clause_claims(sentence, s0, e0, _NO_ATTR)
                out += [d for d in whole if d["start"] > mid[0]]
            elif own.who and e1 - s1 >= 3:
                out += _with_attribution(
                    sentence, _clause_claims(sentence, s1, e1, own), s1, mid[1], e1, e0
                )
            else:
                out += _clause_claims(sentence, mid[1], e0, attr)
        out.sort(key=lambda d: (d["start"], d["end"]))
        return out
    if attr.lead is not None:
        a0 = attr.lead
    sm = None if attr.asides or attr.direct else subject_apposition(sentence, s0, e0)
    if sm is not None:
        # "The minister said the group, the armed wing of X, had crossed the river": the
        # apposition is the writer's (GUIDE.md section 3), the rest the clause's own claim
        np_, app, verb_at = sm
        verb = sentence[verb_at:e0].split(" ", 1)[0].lower()
        past = bool(_PAST_RE.search(sentence, verb_at, e0)) and verb not in _PRESENT_AUX
        copula = "was" if past else "is"  # "Brask, a town of ..., has cut": "Brask is a town"
        inner = _Attr(attr.who, prefix=attr.prefix + sentence[np_[0] : np_[1]] + " ")
        inner.suffix = attr.suffix
        out = _with_attribution(
            sentence, _clause_claims(sentence, verb_at, e0, inner), verb_at, a0, e0, b0
        )
        out.append(
            {
                "start": app[0],
                "end": app[1],
                "text": _cap(
                    sentence[np_[0] : np_[1]] + " " + copula + " " + sentence[app[0] : app[1]]
                ),
                "attribution": None,
                "subject": sentence[np_[0] : np_[1]],
                "type": "app",
                "glue": frozenset((copula,)),
                "own_voice": True,
            }
        )
        out.sort(key=lambda d: (d["start"], d["end"]))
        return out
    out = _with_attribution(sentence, _clause_claims(sentence, s0, e0, attr), s0, a0, e0, b0)
    if attr.asides:
        out += _aside_claims(sentence, attr)
        out.sort(key=lambda d: (d["start"], d["end"]))
    return out


_PRESENT_AUX = frozenset("has have is are will can may must does".split())
_DATELINE_RE = re.compile(
    r"[A-Z][A-Z'’.-]+(?:\s+[A-Z][A-Z'’.-]+)*"  # the place, in capitals
    r"(?:,\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)?"  # its country or region
    r"(?:,?\s+[A-Z][a-z]{2,4}\.?\s+\d{1,2})?"  # the date
    r"(?:\s+\([^()\n]{2,40}\))?"  # the agency
    r"\s+[-–—]+\s+"
)
# a trailing "..., against the 2.9 billion the Treasury had estimated" is a comparison, not a
# source: a source never opens with one of these
_NOT_SOURCE_OPENERS = frozenset(
    "against compared than unlike from to with as below above versus up down".split()
)
# "The agency said temperatures would stay high and warned that ...": the first reporting verb
_FIRST_SAID_RE = re.compile(r"(?P<who>[^,;:\"“”]{2,80}?)\s+(?P<v>said|says)\s+(?=\S)")


def check_attribution(
    sentence: str, a0: int, b0: int, attr: _Attr, s0: int, e0: int, mid: tuple | None
) -> tuple[_Attr, int, int, tuple | None]:
    """Guards on what :func:`sentence_attribution` found in ``sentence[a0:b0]``: a trailing
    "source" that opens with a comparison word is none (the stretch is the clause's own), and
    a leading "X said A and warned that B" is X's "said" (A and B are then two claims), never
    a source named "X said A and warned"."""
    if mid is None and e0 < b0:
        first = sentence[e0:b0].lstrip(" ,").split(" ", 1)[0].lower()
        if first in _NOT_SOURCE_OPENERS:
            if attr.suffix and not attr.prefix:
                return _Attr(""), a0, b0, None
            e0 = b0
    if attr.prefix and attr.who and " " in attr.who:
        m = _FIRST_SAID_RE.match(sentence, a0, b0)
        if m is not None and m.end("v") < a0 + len(attr.who) and attr.who.startswith(m["who"]):
            who = m.group("who")
            return _Attr(who, prefix=who + " " + m.group("v") + " "), m.end(), b0, None
    return attr, s0, e0, mid


def _with_attribution(
    sentence: str, pieces: list[dict], s0: int, a0: int, e0: int, b0: int
) -> list[dict]:
    """The span of a claim takes in the attribution next to it ("X said that" before
    ``s0``, from ``a0``; ", X said" after ``e0``, to ``b0``), as a desk would quote it."""
    for d in pieces:
        if a0 < s0 and d["start"] == s0 and d.get("type") in ("main", "item", "semi"):
            d["start"] = a0
        if e0 < b0 and d["end"] == e0 and takes_trailing_attribution(d, sentence):
            d["end"] = b0
    return pieces
