"""Atomic claims inside sentences: clause splitting, wording, kinds, values and scores."""

from __future__ import annotations

import datetime
import math
import re

from .model import load_model
from .segment import CLAIM_KINDS, Segment, split_sentences
from .values import find_values

__all__ = ["claim_spans", "extract_claims", "claim_kinds", "CLAIM_KIND_NAMES"]

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

_IRREGULAR_PAST = (
    "left took made gave said went came became held met won lost fell rose saw sent told led paid "
    "put set cut kept brought began spent built sold bought fought found thought stood struck "
    "wrote drove ran grew knew shot hit broke chose froze stole threw flew forbade sought taught "
    "caught meant felt heard hid hung laid lay lent lit quit rode rang sang sank slid spoke spun "
    "swore swept swung tore woke wore withdrew undertook overtook"
)
_NOT_VERBS_ED = frozenset(
    "armed united limited based detailed advanced skilled related concerned interested supposed "
    "alleged organized organised coordinated red bed need seed feed speed hundred kindred "
    "sacred naked wicked wretched rugged beloved learned aged biased indeed embed shed greed "
    "breed bleed creed deed weed steed reed tweed sled wed fled_".split()
)
_PAST_RE = re.compile(r"\b(?:[a-z]+ed|" + _IRREGULAR_PAST.replace(" ", "|") + r")\b")
_VERB_HINT_RE = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|will|would|can|could|may|might|must|should|"
    r"do|does|did|says|said|[a-z]{2,}ed|[a-z]{3,}s)\b"
)

_FINITE_RE = re.compile(
    r"\b(?:is|are|was|were|has|have|had|will|would|says|said|[a-z]+ed|"
    + _IRREGULAR_PAST.replace(" ", "|")
    + r")\b"
)
_QUOTE_SPAN_RE = re.compile(r"\"[^\"]*\"|“[^”]*”|\([^()]*\)")
_SPLIT_RE = re.compile(
    r"(?P<rel>,\s+(?:which|who|whose|where)\s+)"
    r"|(?P<app>,\s+(?=(?:the|a|an)\s+(?:first|second|third|fourth|fifth|last|only|latest|largest|"
    r"biggest|highest|lowest|worst|deadliest|best|most|least|\d+(?:st|nd|rd|th))\b))"
    r"|(?P<appnp>,\s+(?=(?:the|a|an)\s+[^\W\d_]+(?:\s+[^\W\d_'’]+){0,5}\s+(?:[a-z]+ing|[a-z]+ed|responsible|"
    r"that|which|who|whose|with|known|accused|blamed)\b))"
    r"|(?P<adv>,\s+(?:after|following|before|amid|despite|whereas|although|though|but|because|"
    r"especially when|while)\s+)"
    r"|(?P<semi>;\s+|\s+[—–]\s+|\s+--\s+)"
    r"|(?P<att>,\s+(?:according to|reported|said|says|told|added|noted|stated|announced|"
    r"confirmed|wrote|claimed)\s+)"
    r"|(?P<andv>\s+and\s+(?=(?:[a-z]+ed|" + _IRREGULAR_PAST.replace(" ", "|") + r")\s))"
)
_LEAD_DISCOURSE_RE = re.compile(
    r"(?:however|moreover|meanwhile|furthermore|in addition|additionally|still|yet|also|"
    r"nevertheless|nonetheless|indeed|so|and|but|or|well|now|then|first|second|finally|"
    r"in fact|of course)\b,?\s+",
    re.IGNORECASE,
)
_LEAD_ATTR_RE = re.compile(
    r"(?P<who>[^,;:\"“”]{2,120}?\b(?:said|says|noted|stressed|added|reported|announced|claimed|"
    r"argued|warned|insisted|confirmed|denied|acknowledged|estimated|wrote|told [^,]{1,40}?|"
    r"has pointed out|pointed out|explained|revealed|stated|maintained|alleged|admitted|found|"
    r"showed|shows|indicated)(?:\s+(?:in|on|at|during)\s+[^,]{1,40}?)?)\s+that\s+",
)
_TRAIL_ATTR_RE = re.compile(
    r",\s+(?P<who>(?:[^,;\"“”]{1,60}?\s+)?(?:said|says|told reporters|added|reported|noted|stated|"
    r"announced|wrote|claimed|confirmed|estimated)(?:\s+on\s+\w+)?)\s*[.!?]?[\"”’]?\s*$"
)
_LEAD_ACCORDING_RE = re.compile(r"according to (?P<who>[^,]{2,100}),\s+", re.IGNORECASE)
_DETERMINERS = frozenset(
    "the a an this that these those his her its their our my your some many several".split()
)
_STOP_BACK = frozenset(
    "to that which who following after before during since against than and or but when where "
    "is are was were has have had be been said says by from".split()
)
_SUMMARY_HEADS = frozenset(
    "move step decision development sign measure gesture blow reversal change shift setback "
    "breakthrough first".split()
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
_OPINION_RE = re.compile(
    r"\b(?:i think|i believe|we believe|i feel|in my view|in my opinion|should|must|ought to|"
    r"let's|let us|it is hoped|hopefully|we need|we have to|i hope|shame|disgrace|"
    r"terrible|wonderful|beautiful|amazing|great job)\b",
    re.IGNORECASE,
)


def _protected(sent: str) -> list[tuple[int, int]]:
    if '"' not in sent and "“" not in sent and "(" not in sent:
        return []
    return [(m.start(), m.end()) for m in _QUOTE_SPAN_RE.finditer(sent)]


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    for a, b in spans:
        if a < pos < b:
            return True
    return False


def _is_past(word: str) -> bool:
    w = word.lower()
    return w not in _NOT_VERBS_ED and bool(_PAST_RE.fullmatch(w))


_WORD_RE = re.compile(r"\S+")
_RESUME_RE = re.compile(r",\s+([A-Za-z]+)\b")
_AUX = frozenset(
    "is are was were has have had will would can could may might must remains remained".split()
)


def _antecedent(sent: str, a: int, b: int) -> tuple[int, int] | None:
    """Span of the noun phrase ending at ``b`` within ``sent[a:b]`` (the antecedent of a relative clause)."""  # noqa: E501
    words = [(m.start(), m.end()) for m in _WORD_RE.finditer(sent, a, b)]
    if not words:
        return None
    stop = -1
    for i in range(len(words) - 1, -1, -1):
        s, e = words[i]
        w = sent[s:e].strip(",;:\"“”'’()").lower()
        if sent[e - 1 : e] == "," and i != len(words) - 1:
            stop = i
            break
        if w in _STOP_BACK or (i != len(words) - 1 and _is_past(w)):
            stop = i
            break
    cand = words[stop + 1 :]
    if not cand:
        return None
    for j, (s, e) in enumerate(cand):
        w = sent[s:e].lower()
        if w in _DETERMINERS or sent[s].isupper():
            cand = cand[j:]
            break
    if len(cand) > 14:
        return None
    return cand[0][0], cand[-1][1]


def _trim(sent: str, s: int, e: int) -> tuple[int, int]:
    """Trim whitespace, trailing sentence punctuation and leading conjunctions from ``sent[s:e]``."""  # noqa: E501
    while s < e and (sent[s].isspace() or sent[s] in ",;:—–-"):
        s += 1
    while e > s and (sent[e - 1].isspace() or sent[e - 1] in ".,;:!?…—–-"):
        e -= 1
    # drop a dangling closing quote/bracket without its opener
    if e > s and (
        (sent[e - 1] == ")" and "(" not in sent[s : e - 1])
        or (sent[e - 1] == "”" and "“" not in sent[s : e - 1])
        or (sent[e - 1] == '"' and sent.count('"', s, e) % 2 == 1)
    ):
        e -= 1
        while e > s and (sent[e - 1].isspace() or sent[e - 1] in ".,;:!?…"):
            e -= 1
    if (
        e > s
        and sent[s] in '"“('
        and (
            (sent[s] == '"' and sent.count('"', s, e) % 2 == 1)
            or (sent[s] == "“" and "”" not in sent[s:e])
            or (sent[s] == "(" and ")" not in sent[s:e])
        )
    ):
        s += 1
    return s, e


def _decap(s: str) -> str:
    """Lower-case a leading determiner ("The plan" -> "the plan") for use after "X said that"."""
    w = s.split(" ", 1)[0]
    return s[:1].lower() + s[1:] if w.lower() in _DETERMINERS else s


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


def claim_spans(sentence: str) -> list[dict]:
    """Split one sentence into atomic claim pieces.

    Returns dicts with ``start``/``end`` (offsets into ``sentence``), ``text`` (self-contained
    wording where the sentence allows) and ``attribution`` (the source named, if any).
    """
    n = len(sentence)
    s0, e0 = _trim(sentence, 0, n)
    if e0 - s0 < 3:
        return []
    # leading discourse markers
    while True:
        m = _LEAD_DISCOURSE_RE.match(sentence, s0, e0)
        if not m or m.end() >= e0:
            break
        s0 = m.end()
    attribution = None
    m = _LEAD_ACCORDING_RE.match(sentence, s0, e0)
    if m:
        attribution = "according to " + m.group("who")
        s0 = m.end()
    else:
        m = _LEAD_ATTR_RE.match(sentence, s0, e0)
        if m:
            attribution = m.group("who")
            s0 = m.end()
    m = _TRAIL_ATTR_RE.search(sentence, s0, e0)
    if m and m.start() > s0:
        attribution = attribution or m.group("who").strip()
        e0 = _trim(sentence, s0, m.start())[1]
    prot = _protected(sentence)
    cuts: list[tuple[int, int, str]] = []  # (marker start, content start, type)
    for m in _SPLIT_RE.finditer(sentence, s0, e0):
        if _inside(m.start(), prot):
            continue
        typ = m.lastgroup or "semi"
        if typ == "andv":
            nxt = sentence[m.end() : m.end() + 30].split(" ", 1)[0]
            if not _is_past(nxt):
                continue
        elif typ in ("app", "appnp"):
            before = sentence[cuts[-1][1] if cuts else s0 : m.start()].lower()
            if not _FINITE_RE.search(before):
                continue
        cuts.append((m.start(), m.end(), typ))
    pieces: list[tuple[int, int, str, int]] = []  # start, end, type, index of the piece it hangs on
    cur_s, cur_t = s0, "main"
    owner = -1
    trailing_attr = None
    for ms, cs, typ in cuts:
        pieces.append((cur_s, ms, cur_t, owner))
        if typ == "att":
            trailing_attr = (ms, e0)
            cur_s = None
            break
        if typ == "andv":
            owner = len(pieces) - 1 if pieces[-1][2] != "andv" else pieces[-1][3]
        elif typ in ("semi",):
            owner = -1
        else:
            owner = len(pieces) - 1
        cur_s, cur_t = cs, typ
    if cur_s is not None:
        pieces.append((cur_s, e0, cur_t, owner))
    if trailing_attr is not None:
        a, b = _trim(sentence, *trailing_attr)
        if b > a:
            attr = sentence[a:b]
            attribution = attr if attribution is None else attribution
    past = bool(_PAST_RE.search(sentence[s0:e0].lower()))
    out: list[dict] = []
    main_subject: str | None = None
    bases: list[str] = []  # wording of each piece before the attribution is added
    spans: list[tuple[int, int]] = []
    extra: list[dict] = []
    for idx, (ps, pe, typ, own) in enumerate(pieces):
        ps, pe = _trim(sentence, ps, pe)
        quote = sentence[ps:pe]
        base = quote
        if typ == "andv" and own >= 0:
            # coordinated verb phrase: reuse the subject of the clause it belongs to
            owner_base, owner_quote = bases[own], sentence[spans[own][0] : spans[own][1]]
            if pieces[own][2] != "main" and owner_quote and owner_base.endswith(owner_quote):
                base = owner_base[: len(owner_base) - len(owner_quote)] + quote
            elif main_subject:
                base = main_subject + " " + quote
        elif typ in ("rel", "app", "appnp") and own >= 0:
            os_, oe_ = spans[own]
            ant = _antecedent(sentence, os_, oe_)
            if ant:
                ant_text = sentence[ant[0] : ant[1]].rstrip(",;: ")
                if typ == "rel":
                    rm = re.match(r",\s+(which|who|whose|where)\s+", sentence[pieces[idx - 1][1] :])
                    rel = rm.group(1).lower() if rm else "which"
                    if rel == "where":
                        base = "in " + ant_text + ", " + quote
                    elif rel == "whose":
                        base = ant_text + "'s " + quote
                    else:
                        base = ant_text + " " + quote
                else:
                    words = quote.split(" ", 2)
                    head = words[1].lower() if len(words) > 1 else ""
                    if head in _SUMMARY_HEADS and typ == "appnp":
                        base = sentence[os_:oe_] + ", " + quote
                    else:
                        base = ant_text + (" was " if past else " is ") + quote
        elif typ == "adv":
            am = re.match(r"(?:but|whereas|although|though|while)\s+", quote, re.IGNORECASE)
            if am and _VERB_HINT_RE.search(quote[am.end() :]):
                ps += am.end()
                quote = sentence[ps:pe]
                base = quote
        elif typ in ("main", "semi"):
            for w in re.finditer(r"\S+", quote):
                if _is_past(w.group(0)) or w.group(0).lower() in (
                    "is",
                    "are",
                    "was",
                    "were",
                    "has",
                    "have",
                    "had",
                    "will",
                ):
                    if typ == "main":
                        main_subject = quote[: w.start()].rstrip(", ") or None
                    break
        if typ == "rel" and own >= 0 and pieces[own][2] == "main":
            os_, oe_ = spans[own]
            vm = _RESUME_RE.search(sentence, ps, pe)
            if (
                vm
                and len(sentence[os_:oe_].split()) <= 6
                and (_is_past(vm.group(1)) or vm.group(1).lower() in _AUX)
            ):
                rest_s, rest_e = _trim(sentence, vm.start(1), pe)
                main_text = sentence[os_:oe_] + " " + sentence[rest_s:rest_e]
                extra.append(
                    {
                        "start": os_,
                        "end": rest_e,
                        "text": _cap(main_text),
                        "attribution": attribution,
                        "type": "main",
                    }
                )
                pe = _trim(sentence, ps, vm.start())[1]
                quote = sentence[ps:pe]
                base = (
                    base[: len(base) - (len(sentence[ps:rest_e]) - len(quote))]
                    if base.endswith(sentence[ps:rest_e])
                    else base
                )
        bases.append(base)
        spans.append((ps, pe))
        if pe - ps < 8 or len(quote.split()) < 3 or not any(c.isalpha() for c in quote):
            continue
        text = base
        if attribution:
            low = attribution.lower()
            if low.startswith(
                (
                    "according to",
                    "reported",
                    "said",
                    "says",
                    "told",
                    "added",
                    "noted",
                    "stated",
                    "announced",
                    "confirmed",
                    "wrote",
                    "claimed",
                )
            ):
                text = _cap(text) + ", " + attribution
            else:
                text = attribution + " that " + _decap(text)
        out.append(
            {"start": ps, "end": pe, "text": _cap(text), "attribution": attribution, "type": typ}
        )
    for x in extra:
        if attribution and not x["text"].endswith(attribution):
            x["text"] = (
                x["text"] + ", " + attribution
                if attribution.lower().startswith("according")
                else attribution + " that " + _decap(x["text"])
            )
        out.append(x)
    out.sort(key=lambda d: (d["start"], d["end"]))
    return out


def claim_kinds(quote: str, values: list[dict], attributed: bool) -> list[str]:
    """Kinds of a claim from its wording and values, in :data:`CLAIM_KIND_NAMES` order."""
    kinds = set()
    for v in values:
        t = v["type"]
        if t in ("quantity", "percent", "money"):
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
    if _PAST_RE.search(quote.lower()) and not kinds & {"quantity", "comparison", "causal"}:
        kinds.add("event")
    if not kinds:
        kinds.add("other")
    return [k for k in CLAIM_KIND_NAMES if k in kinds]


_CUE_WEIGHTS = {
    "quantity": 0.9,
    "time": 0.5,
    "superlative": 0.4,
    "comparison": 0.3,
    "causal": 0.5,
    "event": 0.2,
}


def _score(text: str, quote: str, kinds: list[str]) -> float:
    model = load_model()
    z = model.logit(text)
    for k in kinds:
        z += _CUE_WEIGHTS.get(k, 0.0)
    if quote.rstrip().endswith("?"):
        z -= 1.5
    if _OPINION_RE.search(quote):
        z -= 1.0
    if not _VERB_HINT_RE.search(quote.lower()):
        z -= 1.0
    if kinds == ["other"]:
        z -= 0.7
    z = max(-30.0, min(30.0, z))
    return 1.0 / (1.0 + math.exp(-z))


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
    for seg in segments:
        if seg.kind not in CLAIM_KINDS:
            continue
        sent = text[seg.start : seg.end]
        for piece in claim_spans(sent):
            start, end = seg.start + piece["start"], seg.start + piece["end"]
            if (start, end) in seen:
                continue
            seen.add((start, end))
            quote = text[start:end]
            values = [
                {k: v for k, v in d.items() if k[0] != "_"} for d in find_values(quote, published)
            ]
            kinds = claim_kinds(quote, values, piece["attribution"] is not None)
            score = round(_score(piece["text"], quote, kinds), 4)
            claims.append(
                {
                    "start": start,
                    "end": end,
                    "quote": quote,
                    "text": piece["text"],
                    "kind": kinds,
                    "score": score,
                    "checkworthy": score >= thr,
                    "values": values,
                    "sentence_start": seg.start,
                    "sentence_end": seg.end,
                }
            )
    claims.sort(key=lambda c: (c["start"], c["end"]))
    return claims
