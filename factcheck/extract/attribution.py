"""Source forms: how a sentence attributes what it says ("X said that ...", "according to X,
...", "..., X said", "X, who ..., said ...") and the stretch left once the source is removed."""

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
from .names import _NAME_CLAUSE_RE, _NAME_RUN_RE, _POSSESSIVE_RE, TITLE_WORDS, name_of

_LEAD_ATTR_RE = re.compile(
    r"(?P<who>[^,;:\"“”]{2,120}?\b(?:said|says|noted|stressed|added|reported|announced|claimed|"
    r"argued|warned|insisted|confirmed|denied|acknowledged|estimated|wrote|told [^,]{1,40}?|"
    r"has pointed out|pointed out|explained|revealed|stated|maintained|alleged|admitted|found|"
    r"countered|responded|conceded|contended|asserted|complained|recalled|cautioned|"
    r"showed|shows|indicated|heard|replied|testified)(?:\s+(?:in|on|at|during|last|this)\s+[^,]{1,40}?)?)\s+that\s+",
)


_TRAIL_ATTR_RE = re.compile(
    r",[\"”]?\s+(?P<who>(?!(?:which|who|that|what)\b)"
    # "..., the broadcaster, CTV Castrelle, said": a title and the name in apposition
    r"(?:(?:the|its|a|an)\s+[a-z][^,;\"“”]{1,40}?,\s+[A-Z][^,;\"“”]{1,40}?,\s+)?"
    r"(?:[^,;\"“”]{1,60}?\s+)?(?:said|says|"
    r"told (?:reporters|journalists|the [a-z]+|parliament|lawmakers|(?:a|an) (?:[a-z]+ )?[a-z]+|"
    r"[A-Z][\w'’]*(?:\s+[A-Z][\w'’]*){0,3})|"
    r"added|reported|noted|stated|announced|wrote|claimed|confirmed|estimated|estimates|found|finds|"
    r"showed|shows|show|concluded)(?:\s+(?:on|in|at|during|last)\s+[^,;\"“”]{1,30}?)?)"
    r"\s*[.!?]?[\"”’]?\s*$"
)


_MID_ATTR_RE = re.compile(
    r",\s+(?P<who>(?!(?:which|who|that|what|as)\b)[^,;\"“”()]{1,50}?\s+(?:said|says|reported|"
    r"estimated|estimates|found|showed|shows|show|told reporters)"
    # "the statistics institute said in a separate release", "the office said on Thursday"
    r"(?:\s+(?:on|in|at|last)\s+(?:[A-Z][a-z]+|(?:a|an|its|their)\s+[a-z]+(?:\s+[a-z]+)?)"
    r"|\s+last\s+(?:week|month|year))?),\s+"
    # "..., the office said, mainly because hotels hired more staff": the office's cause too
    # "..., the office said, after prices rose 1.6% in September": the office's figure too
    # (not "after rising ...": no clause of its own); "..., meaning ...": the writer's
    r"(?:while|but|whereas|although|though|and|as|(?:after|before)(?!\s+[a-z]+ing\b)|"
    r"meaning|suggesting|"
    r"(?:(?:mainly|partly|largely|mostly|chiefly|in part)\s+)?because)\s+"
)


_MID_CONJ_RE = re.compile(
    r",\s+(?:while|but|whereas|although|though|and|as|after|before|meaning|suggesting|"
    r"(?:(?:mainly|partly|largely|mostly|chiefly|in part)\s+)?because)\s"
)  # pre-check
# "..., according to analysts at Greystone Energy.": a source closing the sentence
_INFERENCE_RE = re.compile(r"\b(?:meaning|suggesting)\s+(?:that\s+)?$")


def inference(sentence: str, mid: tuple[int, int, int]) -> bool:
    """Is the clause after the attribution ``mid`` ("..., the office said, meaning real incomes
    rose") an inference, the writer's?"""
    return _INFERENCE_RE.search(sentence, mid[0], mid[1]) is not None


_TRAIL_ACCORDING_RE = re.compile(
    r",\s+according to (?P<who>(?:[^,;\"“”]|(?<=\d),(?=\d)){2,100}?)\s*[.!?]?[\"”’]?\s*$"
)


_POLLED_BY_RE = re.compile(
    r"[A-Za-z][\w'’-]*(?:\s+[\w'’-]+){0,3}?\s+(?:polled|surveyed|questioned|interviewed)\s+by\s+"
    r"(?P<who>(?:the\s+)?[\w'’-]+(?:\s+[A-Z][\w'’-]+){0,4})"
)
_INTRO_RE = re.compile(
    r"(?:In|On|At|During|After|Before|Speaking|Asked|Writing|Later|Earlier|Separately|"
    r"Interviewed|Responding|Commenting|Addressing|Testifying)\b[^,;:\"“”]{0,80},\s+(?=\S)"
)
_MID_ACCORDING_RE = re.compile(r",\s+according to (?P<who>[^,;\"“”]{2,80}),\s+(?=[a-z])")
_LEAD_ACCORDING_RE = re.compile(
    # "According to Hale's lawyer, Tom Reed, ...": the name in apposition is part of the source
    r"according to (?P<who>[^,]{2,100}(?:,\s+(?-i:[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){1,3})"
    r"(?=,))?),\s+",
    re.IGNORECASE,
)


_SAY = (
    r"said|says|told reporters|added|noted|stated|announced|confirmed|claimed|estimated|"
    r"reported|insisted|warned|argued|wrote|explained|stressed|acknowledged"
)


_LEAD_SAID_RE = re.compile(
    r"(?P<who>(?:[A-Z]|(?:the|a|an)\s|(?=(?:residents|witnesses|officials|police|analysts|"
    r"economists|experts|doctors|rescuers|traders|locals|villagers|neighbours|neighbors|"
    r"workers|farmers|investigators|prosecutors)\s))"
    r"[\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|[a-z][\w'’-]*)){0,6}?)\s+"
    r"(?P<v>said|says|added|insisted|argued|claimed|maintained|told (?:reporters|journalists|"
    r"parliament|lawmakers|the [a-z]+|[A-Z][\w'’]*(?:\s+[A-Z][\w'’]*){0,3}))"
    r"(?:\s+(?:on|last)\s+[A-Z][a-z]+)?[,:]?\s+"
    r"(?=[\"“]|(?!that\b|to\b|in\b|on\b|at\b|for\b|goodbye\b|so\b|nothing\b)[\w$€£])"
)


_LEAD_APPOS_SAID_RE = re.compile(
    r"(?P<who>[A-Z][^,;:\"“”()]{1,60}?,\s+(?!(?:which|who|whose|where|when|that)\b)"
    r"[^,;:\"“”()]{2,60}?),\s+(?P<v>said|says|told reporters|added|insisted|argued|claimed)[,:]?\s+"
)


# "Bettina Kross, the general secretary of the federation, whose predecessor resigned ...,
# said the budget was ...": a source, asides about it (appositions, relative clauses), then
# its verb and the clause it reports; the asides are no part of the source's words
_SUBJECT_ASIDE_SAID_RE = re.compile(
    r"(?P<head>[A-Z][^,;:\"“”()]{1,80}?)"
    r"(?P<mid>(?:,\s+(?:[^,;:\"“”()]|(?<=\d),(?=\d)){1,150}?){1,4}?)"
    r",\s+(?P<v>(?:said|says|added|noted|insisted|argued|claimed|warned|stressed|acknowledged|"
    r"confirmed|explained|announced|estimated|found|finds|showed|shows|concluded|"
    r"told (?:reporters|journalists|the [a-z]+|"
    r"parliament|lawmakers|[A-Z][\w'’]*(?:\s+[A-Z][\w'’]*){0,3}))"
    r"(?:\s+(?:on|last)\s+[A-Z][a-z]+)?(?:,?\s+that\b)?)[,:]?\s+"
)
_ASIDE_SPLIT_RE = re.compile(r",\s+")
_NOT_SOURCE_HEADS = frozenset("it there this that these those what when if as while".split())


def _subject_aside_said(
    sentence: str, s0: int, e0: int
) -> tuple[re.Match, str, list[tuple[int, int]]] | None:
    """``Source, aside(s), said CLAUSE`` at ``s0``: the match, the source as worded before
    the verb (the name in apposition to a title: "Its leader, Anna Kvist, who ...") and the
    asides' spans; ``None`` unless a source opens the sentence and a reported clause follows."""
    m = _SUBJECT_ASIDE_SAID_RE.match(sentence, s0, e0)
    if m is None or m.end() >= e0:
        return None
    head = m.group("head").strip()
    words = head.split()
    if (
        len(words) > 10
        or words[0].lower() in _NOT_SOURCE_HEADS
        or words[0].lower() in _PREP_HEADS
        or _FINITE_RE.search(head.lower())
    ):
        return None
    if not (
        sentence[m.end()] in '"“'
        or _REPORTED_RE.match(sentence, m.end(), e0)
        or _NAME_CLAUSE_RE.match(sentence, m.end(), e0)
    ):
        return None
    kind = name_of(head)[2]
    who = head
    asides: list[tuple[int, int]] = []
    pos = m.start("mid")
    for cm in _ASIDE_SPLIT_RE.finditer(sentence, pos, m.end("mid")):
        if cm.start() > pos:
            asides.append((pos, cm.start()))
        pos = cm.end()
    asides.append((pos, m.end("mid")))
    asides = [(a, b) for a, b in asides if b > a]
    for a, b in asides:
        chunk = sentence[a:b]
        if _NAME_RUN_RE.fullmatch(chunk) and " " in chunk:
            if (
                words[-1].lower() in TITLE_WORDS
                or _POSSESSIVE_RE.search(head)
                or words[0].lower() in ("its", "his", "her", "their", "our")
            ):
                # "Its leader, Anna Kvist, ...": the name in apposition is the source
                who, kind = chunk, "person"
    if kind is None:
        return None
    return m, who, asides


_PREP_HEADS = frozenset(
    "in on at for to from with by into over against about after before during since under "
    "among amid despite following".split()
)


class _Attr:
    """How a claim's source is worded: ``prefix`` + wording, or wording + ``suffix``."""

    __slots__ = ("who", "prefix", "suffix", "direct", "asides", "lead")

    def __init__(self, who: str, prefix: str = "", suffix: str = "", direct: bool = False) -> None:
        self.who = who
        self.prefix = prefix
        self.suffix = suffix
        self.direct = direct  # a quotation: every word of it is the speaker's
        # (start, end) of the asides between the source and its verb ("X, who ..., said"):
        # the article's own statements about the source, not the source's claim
        self.asides: list[tuple[int, int]] = []
        self.lead: int | None = None  # where the span of a claim after the asides starts

    def word(self, base: str) -> str:
        if self.prefix:
            return _cap(self.prefix + _decap(base)) + self.suffix
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
    return bool(
        _VERB_HINT_RE.search(sentence, m.end(), e0) or _FINITE_RE.search(sentence, m.end(), e0)
    )


def sentence_attribution(
    sentence: str, s0: int, e0: int
) -> tuple[_Attr, int, int, tuple[int, int, int] | None]:
    """The source named in ``sentence[s0:e0]`` ("X said that ...", "according to X, ...",
    "..., X said") and the stretch left once it is removed; the last item is the span of an
    attribution between two clauses (", the company said, but ...") and where its "said"
    ends, else ``None``."""
    im = _INTRO_RE.match(sentence, s0, e0)
    if im is not None and im.end() < e0:
        # "In a statement, the ministry said ...", "Speaking on Monday, the minister said ...":
        # the source past an opening phrase
        found = sentence_attribution(sentence, im.end(), e0)
        if found[0].prefix:
            return found
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
                    or not (
                        sentence[m.end()] in '"“'
                        or _REPORTED_RE.match(sentence, m.end(), e0)
                        or _NAME_CLAUSE_RE.match(sentence, m.end(), e0)
                    )
                ):
                    m = None
            asides: list[tuple[int, int]] = []
            if m is None:
                found = _subject_aside_said(sentence, s0, e0)
                if found is not None:
                    m, who, asides = found
                    attr = _Attr(who, prefix=who + " " + m.group("v") + " ")
                    attr.asides = asides
                    # the claim's span starts at the verb: the asides are other claims (the
                    # source's name is the claimant's own span)
                    attr.lead = m.start("v")
                    s0 = m.end()
            if m and not asides and m.re is _LEAD_APPOS_SAID_RE:
                # "Dora Weil, a political scientist at X, said ...": the apposition is the
                # writer's statement about the source (an aside), the rest the source's
                head, _, app = m.group("who").partition(", ")
                app_at = m.start("who") + len(head) + 2
                if (
                    _NAME_RUN_RE.fullmatch(head)
                    and " " in head
                    and app.split(" ", 1)[0].lower() in ("a", "an", "the")
                ):
                    attr = _Attr(head, prefix=head + " " + m.group("v") + " ")
                    attr.asides = [(app_at, app_at + len(app.rstrip()))]
                    attr.lead = m.start("v")
                    s0 = m.end()
                    asides = attr.asides
            if m and not asides:
                who = m.group("who")
                attr = _Attr(
                    who,
                    prefix=named_prefix(who, m.group("v"))
                    or (sentence[m.start() : m.end("v")] + " "),
                )
                s0 = m.end()
                if sentence[s0] in '"“' and sentence[e0 - 1 : e0] in '"”':
                    s0, e0 = _trim(sentence, s0 + 1, e0 - 1)
    m = _TRAIL_ATTR_RE.search(sentence, s0, e0)
    if m and m.start() > s0:
        if not attr.who:
            who = m.group("who").strip()
            attr = _Attr(who, suffix=", " + who)
        e0 = _trim(sentence, s0, m.start())[1]
    elif not attr.who:
        m = _TRAIL_ACCORDING_RE.search(sentence, s0, e0)
        if m and m.start() > s0 and not _inside(m.start(), _protected(sentence)):
            who = "according to " + m.group("who").strip()
            attr = _Attr(who, suffix=", " + who)
            e0 = _trim(sentence, s0, m.start())[1]
    if e0 - s0 < 3:
        return attr, s0, e0, None
    if not attr.who:
        am = _MID_ACCORDING_RE.search(sentence, s0, e0)
        if am is not None and not _inside(am.start(), _protected(sentence)):
            # "Exports, according to the ministry, fell 5%": the clause keeps its words
            return _Attr("according to " + am.group("who")), s0, e0, None
        pm = _POLLED_BY_RE.match(sentence, s0, e0)
        if pm is not None:
            # "Viewers polled by the broadcaster ... were split: 36% picked Holst, 34% ...":
            # every figure of the sentence is the poll's, worded as the article words it
            return _Attr("by " + pm.group("who")), s0, e0, None
    if not attr.who and _MID_CONJ_RE.search(sentence, s0, e0):
        m = _MID_ATTR_RE.search(sentence, s0, e0)
        if m and not _inside(m.start(), _protected(sentence)):
            who = m.group("who").strip()
            return _Attr(who, suffix=", " + who), s0, e0, (m.start(), m.end(), m.end("who"))
    return attr, s0, e0, None


_POSSESSIVE_TITLE_RE = re.compile(
    r"(?:its|his|her|their|our)\s+[^,;:\"“”]{1,50}?,\s+"
    # "Her challenger, former police chief Omar Frey": the name with its own title words
    r"(?P<name>(?:[a-z][\w'’-]*\s+){0,4}[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){1,3}),?$",
)


def named_prefix(who: str, verb: str) -> str | None:
    """ "Its chair, Ben Okafor" + "said" -> "Ben Okafor said ": a wording opens with the name,
    never with a possessive it cannot resolve ("Its chair")."""
    m = _POSSESSIVE_TITLE_RE.fullmatch(who.strip()[:1].lower() + who.strip()[1:])
    return _cap(m.group("name")) + " " + verb + " " if m else None
