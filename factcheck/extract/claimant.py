"""Who makes a claim: attributions ("X said", "according to X", quoted speakers) and who
a following sentence's "He"/"She" is."""

from __future__ import annotations

import re

from .grammar import (
    _AUX,
    _DETERMINERS,
    _FINITE_RE,
    _REPORTED_RE,
    _SUBJ_VERB_AUX,
    _VERB_HINT_RE,
    _cap,
    _decap,
    _inside,
    _is_past,
    _protected,
    _trim,
)

_LEAD_ATTR_RE = re.compile(
    r"(?P<who>[^,;:\"“”]{2,120}?\b(?:said|says|noted|stressed|added|reported|announced|claimed|"
    r"argued|warned|insisted|confirmed|denied|acknowledged|estimated|wrote|told [^,]{1,40}?|"
    r"has pointed out|pointed out|explained|revealed|stated|maintained|alleged|admitted|found|"
    r"showed|shows|indicated)(?:\s+(?:in|on|at|during)\s+[^,]{1,40}?)?)\s+that\s+",
)


_TRAIL_ATTR_RE = re.compile(
    r",\s+(?P<who>(?!(?:which|who|that|what)\b)(?:[^,;\"“”]{1,60}?\s+)?(?:said|says|told reporters|"
    r"added|reported|noted|stated|announced|wrote|claimed|confirmed|estimated|estimates|found|finds|"
    r"showed|shows|show|concluded)(?:\s+(?:on|in|at|during|last)\s+[^,;\"“”]{1,30}?)?)"
    r"\s*[.!?]?[\"”’]?\s*$"
)


_MID_ATTR_RE = re.compile(
    r",\s+(?P<who>(?!(?:which|who|that|what|as)\b)[^,;\"“”()]{1,50}?\s+(?:said|says|reported|"
    r"estimated|estimates|found|showed|shows|show|told reporters)),\s+"
    r"(?:while|but|whereas|although|though)\s+"
)


_MID_CONJ_RE = re.compile(r",\s+(?:while|but|whereas|although|though)\s")  # cheap pre-check


_LEAD_ACCORDING_RE = re.compile(r"according to (?P<who>[^,]{2,100}),\s+", re.IGNORECASE)


_SAY = (
    r"said|says|told reporters|added|noted|stated|announced|confirmed|claimed|estimated|"
    r"reported|insisted|warned|argued|wrote|explained|stressed|acknowledged"
)


_LEAD_SAID_RE = re.compile(
    r"(?P<who>[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|[a-z][\w'’-]*)){0,6}?)\s+"
    r"(?P<v>said|says|told reporters|added|insisted|argued|claimed|maintained)"
    r"(?:\s+(?:on|last)\s+[A-Z][a-z]+)?[,:]?\s+"
    r"(?=[\"“]|(?!that\b)(?:the|a|an|this|these|those|his|her|its|their|our|it|he|she|they|we|"
    r"there|[A-Z0-9$€£])\w*\b)"
)


_LEAD_APPOS_SAID_RE = re.compile(
    r"(?P<who>[A-Z][^,;:\"“”()]{1,60}?,\s+(?!(?:which|who|whose|where|when|that)\b)"
    r"[^,;:\"“”()]{2,60}?),\s+(?P<v>said|says|told reporters|added|insisted|argued|claimed)\s+"
)


_QUOTE_STMT_RE = re.compile(
    r"(?P<o>[\"“])(?P<q>[^\"“”]{6,}?)(?P<c>[\"”])\s*,?\s+(?P<rest>[^\"“”]*)$", re.DOTALL
)


_Q_WHO_RE = re.compile(
    r"(?P<who>(?:[A-Z]|(?:the|a|an|police|officials|witnesses|residents|analysts|experts|"
    r"researchers|doctors|prosecutors)\b|(?=(?:[a-z][\w'’-]*\s+){1,4}[A-Z]))[^,;:\"“”]{0,60}?)"
    # "union leader Karl Weiss, 52, told ...": the age is no part of the name
    r"(?:,\s+\d{1,3},)?\s+(?P<v>said|says|told|added|noted|stated|wrote|explained|"
    r"insisted|warned|claimed|confirmed|announced|recalled|argued|remarked)\b[^\"“”]*$",
    re.DOTALL,
)


_Q_INV_RE = re.compile(
    r"(?P<v>said|says|added|noted|stated|wrote|explained|insisted|warned|claimed|recalled|argued|"
    r"remarked)\s+(?P<who>[^,;:\"“”]{2,80}?)(?:,\s+(?P<rel>who|whose)\s+(?P<relc>[^\"“”]+?))?"
    r"\s*[.!…]?$",
    re.DOTALL,
)


class _Attr:
    """How a claim's source is worded: ``prefix`` + wording, or wording + ``suffix``."""

    __slots__ = ("who", "prefix", "suffix")

    def __init__(self, who: str, prefix: str = "", suffix: str = "") -> None:
        self.who = who
        self.prefix = prefix
        self.suffix = suffix

    def word(self, base: str) -> str:
        if self.prefix:
            return _cap(self.prefix + _decap(base))
        return _cap(base) + self.suffix


_NO_ATTR = _Attr("")


def _said_clause(sentence: str, m: re.Match, e0: int) -> bool:
    """Is ``m`` (``Who said ...``) a speaker followed by a reported clause?"""
    if m.end() >= e0:
        return False
    words = m.group("who").split()
    if words[-1].lower() in _DETERMINERS:
        return False
    for w in words[1:]:
        low = w.lower()
        if low in _SUBJ_VERB_AUX or low in _AUX or _is_past(low):
            return False
    return bool(_VERB_HINT_RE.search(sentence, m.end(), e0))


# a sentence that is a quotation and nothing else: its words without the marks and the stop
_BARE_QUOTE_RE = re.compile(r"[\"“](?P<q>[^\"“”]{3,}?)[.!…]?[\"”]")


_PERSON_RE = re.compile(r"[A-Z][\w'’-]+\s+[A-Z][\w'’-]+$")


_PROPER_RE = re.compile(r"(?:The\s+)?[A-Z][\w'’-]*(?:\s+(?:[A-Z][\w'’-]*|of|de|del|la))*$")


_NOT_ENTITY = frozenset("the a an it he she they we this that these those there i".split())


def _context(pieces: list[dict], person: str | None, thing: str | None) -> tuple:
    """Person and thing a following sentence's "He"/"She"/"It" may refer to."""
    subj = pieces[0].get("subject") if pieces else None
    cand = None
    for p in pieces:
        who = p.get("speaker") or p.get("attribution")
        if who and _PERSON_RE.search(who) and len(who.split()) <= 6:
            cand = who
            break
    subj_pron = bool(subj) and subj.lower() in _NOT_ENTITY
    if (
        cand is None
        and subj
        and not subj_pron
        and len(subj.split()) <= 6
        and subj.split()[0] not in ("The", "A", "An")
        and _PERSON_RE.search(subj)
    ):
        cand = subj
    new_person = cand or (
        person if subj_pron or (pieces and pieces[0].get("attribution") in ("He", "She")) else None
    )
    new_thing = None
    if subj and not subj_pron and len(subj.split()) <= 5 and _PROPER_RE.match(subj):
        new_thing = subj
    elif subj_pron:
        new_thing = thing
    return new_person, new_thing


def sentence_attribution(
    sentence: str, s0: int, e0: int
) -> tuple[_Attr, int, int, tuple[int, int] | None]:
    """The source named in ``sentence[s0:e0]`` ("X said that ...", "according to X, ...",
    "..., X said") and the stretch left once it is removed; the last item is the span of an
    attribution between two clauses (", the company said, but ..."), else ``None``."""
    attr = _NO_ATTR
    m = _LEAD_ACCORDING_RE.match(sentence, s0, e0)
    if m:
        attr = _Attr("according to " + m.group("who"), suffix=", according to " + m.group("who"))
        s0 = m.end()
    else:
        m = _LEAD_ATTR_RE.match(sentence, s0, e0)
        if m:
            attr = _Attr(m.group("who"), prefix=m.group("who") + " that ")
            s0 = m.end()
        else:
            m = _LEAD_SAID_RE.match(sentence, s0, e0)
            if m and not _said_clause(sentence, m, e0):
                m = None
            if m is None:
                # "The warehouse owner, Kevin Marsh, said he had lost everything"
                m = _LEAD_APPOS_SAID_RE.match(sentence, s0, e0)
                if m and (
                    _FINITE_RE.search(m.group("who"))
                    or not _REPORTED_RE.match(sentence, m.end(), e0)
                ):
                    m = None
            if m:
                who = m.group("who")
                attr = _Attr(who, prefix=sentence[m.start() : m.end("v")] + " ")
                s0 = m.end()
                if sentence[s0] in '"“' and sentence[e0 - 1 : e0] in '"”':
                    s0, e0 = _trim(sentence, s0 + 1, e0 - 1)
    m = _TRAIL_ATTR_RE.search(sentence, s0, e0)
    if m and m.start() > s0:
        if not attr.who:
            who = m.group("who").strip()
            attr = _Attr(who, suffix=", " + who)
        e0 = _trim(sentence, s0, m.start())[1]
    if e0 - s0 < 3:
        return attr, s0, e0, None
    if not attr.who and _MID_CONJ_RE.search(sentence, s0, e0):
        m = _MID_ATTR_RE.search(sentence, s0, e0)
        if m and not _inside(m.start(), _protected(sentence)):
            who = m.group("who").strip()
            return _Attr(who, suffix=", " + who), s0, e0, (m.start(), m.end())
    return attr, s0, e0, None


def quote_speaker(rest: str) -> tuple[str, str, tuple[int, int] | None] | None:
    """Who speaks a quotation, from what follows it (``rest``: '" Name said.' / 'said Name,
    who ...'): (who, "said"|"says", span in ``rest`` of a relative clause about them)."""
    wm = _Q_WHO_RE.match(rest)
    if wm and len(wm.group("who").split()) <= 6:
        return wm.group("who").strip(), "says" if wm.group("v") == "says" else "said", None
    wm = _Q_INV_RE.match(rest)
    if not wm or len(wm.group("who").split()) > 8:
        return None
    rel = (wm.start("relc"), wm.end("relc")) if wm.group("relc") else None
    return wm.group("who").strip(), "says" if wm.group("v") == "says" else "said", rel
