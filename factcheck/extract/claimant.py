"""Who makes a claim: attributions ("X said", "according to X", quoted speakers) and who
a following sentence's "He"/"She" is."""

from __future__ import annotations

import re
from typing import NamedTuple

from .grammar import (
    _AUX,
    _DETERMINERS,
    _FINITE,
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


_QUOTE_STMT_RE = re.compile(
    r"(?P<o>[\"“])(?P<q>[^\"“”]{6,}?)(?P<c>[\"”])\s*,?\s+(?P<rest>[^\"“”]*)$", re.DOTALL
)


_Q_WHO_RE = re.compile(
    r"(?P<who>(?:[A-Z]|(?:he|she|they|the|a|an|police|officials|witnesses|residents|analysts|experts|"
    r"researchers|doctors|prosecutors)\b|(?=(?:[a-z][\w'’-]*\s+){1,4}[A-Z]))[^,;:\"“”]{0,60}?)"
    # "union leader Karl Weiss, 52, told ...": the age is no part of the name
    r"(?:,\s+\d{1,3},)?\s+(?P<v>said|says|told|added|noted|stated|wrote|explained|"
    r"insisted|warned|claimed|confirmed|announced|recalled|argued|remarked|replied|countered|"
    r"responded|conceded)\b[^\"“”]*$",
    re.DOTALL,
)


_Q_INV_RE = re.compile(
    r"(?P<v>said|says|added|noted|stated|wrote|explained|insisted|warned|claimed|recalled|argued|"
    r"remarked|replied|countered|responded|conceded)\s+(?P<who>[^,;:\"“”]{2,80}?)(?:,\s+(?P<rel>who|whose)\s+(?P<relc>[^\"“”]+?)"
    r"|,\s+\d{1,3}(?:,\s+[^\"“”]{2,80}?)?|,\s+(?!who\b|whose\b)(?P<app>[^,\"“”]{2,80}?)"
    # 'said Jonas Berggren, chief economist at Nordvik Bank, who expects ...': the name's
    # apposition, then a clause about the speaker
    r"(?:,\s+(?:who|whose)\s+[^\"“”]+?)?|,\s+(?!who\b|whose\b)(?P<app2>[^\"“”]{2,80}?))?"
    r"\s*[.!…]?$",
    re.DOTALL,
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


# a sentence that is a quotation and nothing else: its words without the marks and the stop
_BARE_QUOTE_RE = re.compile(r"[\"“](?P<q>[^\"“”]{3,}?)[.!…]?[\"”]")


_PERSON_RE = re.compile(r"[A-Z][\w'’-]+\s+[A-Z][\w'’-]+$")


_PROPER_RE = re.compile(r"(?:The\s+)?[A-Z][\w'’-]*(?:\s+(?:[A-Z][\w'’-]*|of|de|del|la))*$")


_NOT_ENTITY = frozenset("the a an it he she they we this that these those there i".split())


_OF_SPLIT_RE = re.compile(r"\s+(?:for|of|in|at|on|from|with)\s+")
# (not "coach": "The coach was carrying 41 passengers. ... he said" is no person)
_TITLE_HEADS = frozenset("executive chief commander captain president governor".split())
_TITLED_SUBJECT_RE = re.compile(r"(?:The|the)(?:\s+[a-z][\w'’-]*){1,3}")


_TOLD_RE = re.compile(r"\s+told\s+")


def _context(pieces: list[dict], person: str | None, thing: str | None) -> tuple:
    """Person and thing a following sentence's "He"/"She"/"It" may refer to."""
    subj = pieces[0].get("subject") if pieces else None
    cand = None
    for p in pieces:
        who = p.get("speaker") or p.get("attribution")
        if who:
            # "harbour master Ivo Rask told Baltic Radio": the teller, not whom he told
            who = _TOLD_RE.split(who, 1)[0]
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
        and " and " not in subj  # "Tomas Brek and Lena Sova": two people, no "he"
        and _PERSON_RE.search(subj)
    ):
        cand = subj
    if cand is None and subj and not subj_pron and _TITLED_SUBJECT_RE.fullmatch(subj):
        # "The mayor met protesters. He said ...": a person named by a title
        head = subj.split()[-1].lower()
        if (head in _PERSON_NOUNS or head in _TITLE_HEADS) and not head.endswith("s"):
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
    who = wm.group("who").strip()
    app = wm.group("app") or wm.group("app2")
    if app and who[:1].islower() and app[:1].isupper() and _NAME_RUN_RE.fullmatch(app.strip()):
        # 'said its president, Arvid Tollen': the name in apposition names the speaker
        who = rest[wm.start("who") : wm.end("app")].strip()
    return who, "says" if wm.group("v") == "says" else "said", rel


# --- the claimant: who makes a claim, named, with the offsets of the name ----------------

_SAY_WORD_RE = re.compile(
    r"\b(?:said|says|say|noted|notes|stressed|added|adds|reported|reports|announced|claimed|"
    r"claims|argued|argues|warned|warns|insisted|confirmed|denied|acknowledged|estimated|"
    r"estimates|wrote|writes|told|tells|has pointed out|pointed out|explained|revealed|stated|"
    r"states|maintained|alleged|admitted|found|finds|showed|shows|show|indicated|concluded|"
    r"recalled|remarked|replied|testified|heard|cautioned|countered|responded|conceded|"
    r"contended|asserted|complained)\b"
)
# what follows a source's name and is no part of it: "on Thursday", "in an interview", ", 52"
_SOURCE_TAIL_RE = re.compile(
    r"(?:,?\s+(?:on|in|at|during|last|this|earlier|late|early|late on|published|released|"
    # "It also found", "The ministry later said": the adverb is no part of the name
    r"issued|who|which|whose|told|to|also|later|separately|previously|again|further)\b.*"
    r"|,(?!\d{3}).*)$",
    re.DOTALL,
)
_APPOS_NAME_RE = re.compile(
    # "His challenger, councillor Amira Haddad of the People's Party, said": lower-case title
    # words before the name, and the party or employer after it, are no part of it
    r"[^,]{2,60},\s+(?:[a-z][\w'’-]*\s+){0,4}(?P<name>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){1,3})"
    r"(?:,|\s*$|\s+(?:said|says|told|added)|\s+(?:of|at|from)\s)"
)
# (not "commissioned by": who pays for a review is not who reviewed)
_PUBLISHED_BY_RE = re.compile(
    r"\b(?:published|released|issued|compiled|conducted)\s+by\s+"
    r"(?P<who>(?:the\s+)?[\w'’-]+(?:\s+(?!in\b|on\b|at\b|last\b|this\b|said\b|says\b|"
    r"found\b|finds\b|showed\b|shows\b)[\w'’-]+){0,4})"
)
_TIME_ONLY_RE = re.compile(r"\s*(?:on|in|at|last|this|late|early|earlier)\b")
_LEAD_DET_RE = re.compile(r"(?:according to|by)\s+", re.IGNORECASE)
TITLE_WORDS = frozenset(
    "president vice prime minister secretary senator sen sen. governor gov gov. mayor deputy "
    "chancellor chairman chairwoman chair chief director general gen gen. colonel col col. "
    "captain capt capt. judge justice ambassador spokesman spokeswoman spokesperson commissioner "
    "inspector superintendent sergeant officer dr dr. prof prof. professor mr mr. mrs mrs. ms ms. "
    "sir dame lord lady king queen prince princess pope bishop rev rev. father sister leader "
    "head founder ceo chief executive manager economist analyst councillor councilor "
    "councilman councilwoman representative rep rep. congressman congresswoman lawmaker "
    "speaker premier attorney prosecutor lawyer coach owner union interior foreign finance "
    "defence defense health economy trade labour labor justice education energy home "
    "environment transport agriculture former acting outgoing incoming opposition "
    "leftist rightist conservative liberal democratic republican incumbent challenger "
    "candidate rival veteran".split()
)
_PERSON_NOUNS = frozenset(
    "spokesman spokeswoman spokesperson mayor minister president governor senator director "
    "owner master leader resident witness witnesses analyst analysts economist economists "
    "doctor doctors chief officer officers judge lawyer prosecutor teacher manager farmer "
    "driver secretary chairman chairwoman chair researcher researchers scientist scientists "
    "expert experts official officials residents neighbour neighbor neighbours neighbors "
    "victim mother father son daughter wife husband student students worker workers aide aides "
    "adviser advisers advisor advisors allies supporters lawyers staff spokespeople".split()
)
ORG_WORDS = frozenset(
    "ministry department agency office bank council company corporation corp corp. inc inc. "
    "ltd ltd. group party government police army navy military court commission committee "
    "service services union authority authorities board institute institution university "
    "association federation foundation organisation organization society league network "
    "reuters ap afp bureau administration parliament congress senate assembly cabinet "
    "embassy hospital school club team firm operator registry regulator watchdog tribunal "
    "study survey report reports data figures statistics census poll index panel unit "
    "house centre center fund programme program nations forces guard journal gazette herald "
    "tribune courier observer broadcaster newspaper research".split()
)
COUNTRIES = frozenset(
    "afghanistan albania algeria andorra angola argentina armenia australia austria azerbaijan "
    "bahamas bahrain bangladesh barbados belarus belgium belize benin bhutan bolivia bosnia "
    "botswana brazil brunei bulgaria burundi cambodia cameroon canada chad chile china colombia "
    "comoros congo croatia cuba cyprus czechia denmark djibouti dominica ecuador egypt eritrea "
    "estonia eswatini ethiopia fiji finland france gabon gambia georgia germany ghana greece "
    "grenada guatemala guinea guyana haiti honduras hungary iceland india indonesia iran iraq "
    "ireland israel italy jamaica japan jordan kazakhstan kenya kiribati kosovo kuwait "
    "kyrgyzstan laos latvia lebanon lesotho liberia libya liechtenstein lithuania luxembourg "
    "madagascar malawi malaysia maldives mali malta mauritania mauritius mexico micronesia "
    "moldova monaco mongolia montenegro morocco mozambique myanmar namibia nauru nepal "
    "netherlands nicaragua niger nigeria norway oman pakistan palau palestine panama paraguay "
    "peru philippines poland portugal qatar romania russia rwanda samoa senegal serbia "
    "seychelles singapore slovakia slovenia somalia spain sudan suriname sweden switzerland "
    "syria taiwan tajikistan tanzania thailand togo tonga tunisia turkey turkmenistan tuvalu "
    "uganda ukraine uruguay uzbekistan vanuatu venezuela vietnam yemen zambia zimbabwe "
    "washington moscow beijing london paris brussels kyiv caracas bogota tehran".split()
)
_DOC_WORDS = frozenset(
    "data figures statistics records report reports survey study poll census analysis "
    "estimates".split()
)
_NOT_NAMES = frozenset(
    "the a an this that these those it he she they we i there his her its their our my your "
    "some many most several both all no one two three last next today yesterday".split()
)
_NAME_CLAUSE_RE = re.compile(r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*\s+(?:" + _FINITE + r")\b")
_PRONOUN_SOURCES = frozenset("he she".split())
_NAME_RUN_RE = re.compile(
    r"[A-Z][\w'’.-]*(?:\s+(?:(?:de|del|la|van|von|bin|al|of|for|and)\s+)*[A-Z][\w'’.-]*)*"
    r"(?<![\s.])"
)
_OF_ORG_RE = re.compile(r"(?P<name>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){1,3})\s+(?:of|at|from)\s")
_POSSESSIVE_RE = re.compile(r"[A-Za-z]['’]s\s+\S")
_JOINER_RE = re.compile(r"\s+(?:of|for|and)\s+")


class Claimant(NamedTuple):
    """Who makes a claim: ``name`` as the article gives it, the offsets of that mention in
    the text it was found in, and ``kind`` ("person" | "organization" | None)."""

    name: str
    start: int
    end: int
    kind: str | None
    phrase: str = ""  # the whole source phrase, titles included ("Interior Minister Ana Ruiz")


def source_phrase(who: str) -> tuple[int, int] | None:
    """The span of the source inside an attribution phrase: "reported Colombian Interior
    Minister Ana Ruiz on Thursday" -> "Colombian Interior Minister Ana Ruiz"; "the ministry
    noted in a statement" -> "the ministry"; "according to the agency" -> "the agency"."""
    s, e = 0, len(who)
    m = _LEAD_DET_RE.match(who)
    if m:
        s = m.end()
    pm = _PUBLISHED_BY_RE.search(who, s, e)
    if pm:
        return pm.span("who")  # "figures published by the force in January": the force
    am = _APPOS_NAME_RE.match(who, s, e)
    if am:
        # "The farm's owner, Rosa Lind(, 52), said": the name in apposition
        return am.span("name")
    vm = None if m else _SAY_WORD_RE.search(who, s, e)
    if vm is not None:
        if not who[s : vm.start()].strip(" ,"):
            if vm.group(0) in ("told", "tells"):
                return None  # "told the jury": whom, not who
            s = vm.end()  # "said Mayor Ana Ruiz"
            if _TIME_ONLY_RE.match(who, s, e):
                return None  # "said on Wednesday": nobody named here
            if who.startswith(" reporters", s):
                s += len(" reporters")
        else:
            e = vm.start()  # "the ministry said"
    while s < e and who[s] in " ,":
        s += 1
    tm = _SOURCE_TAIL_RE.search(who, s, e)
    while tm is not None and tm.start() > s:
        e = tm.start()
        tm = _SOURCE_TAIL_RE.search(who, s, e)
    while e > s and who[e - 1] in " ,.":
        e -= 1
    return (s, e) if e > s else None


def name_of(phrase: str) -> tuple[int, int, str | None]:
    """The name inside a source phrase and its kind: "Colombian Interior Minister Ana Ruiz"
    -> "Ana Ruiz" (person); "The farm's owner, Rosa Lind" -> "Rosa Lind"; "the health
    ministry" -> the phrase itself (organization); "police" -> organization."""
    low_words = phrase.lower().replace("'s", "").split()
    first = next((w for w in low_words if w not in ("the", "a", "an")), "")
    if (
        first in _DOC_WORDS
        and len(low_words) > 1
        and not _POSSESSIVE_RE.search(phrase)
        and not any(w[:1].isupper() for w in phrase.split()[1:])
    ):
        return 0, len(phrase), "organization"  # "Data from the statistics office"
    if _POSSESSIVE_RE.search(phrase):
        # "Senator Jo Hale's former aides": the aides, not the senator
        head = low_words[-1].strip(",.") if low_words else ""
        if head in ORG_WORDS:
            return 0, len(phrase), "organization"  # "Veradia's agriculture ministry"
        return 0, len(phrase), "person" if head in _PERSON_NOUNS else None
    runs = [m for m in _NAME_RUN_RE.finditer(phrase) if m.group(0)[:1].isupper()]
    if runs and runs[0].start() == 0 and " " not in runs[0].group(0):
        rest = phrase[runs[0].end() :].split()
        if rest and rest[0][:1].islower() and rest[0] not in ("of", "at", "from"):
            runs = runs[1:]  # "Crime figures published by ...": a capital, not a name
    if runs:
        run = runs[-1]
        of = _OF_ORG_RE.search(phrase)  # ("Incumbent mayor Oskar Lindqvist of the ...")
        if of is not None and runs[0].end() == of.end("name"):
            run = runs[0]  # "Lea Moravec of the Institute for Fiscal Research": the person
        words = list(re.finditer(r"\S+", run.group(0)))
        title = False
        first = 0
        for i, w in enumerate(words):
            if w.group(0).lower().rstrip(",") in TITLE_WORDS:
                title = True
                first = i + 1
        lows = [w.group(0).lower() for w in words]
        if any(x in ORG_WORDS for x in lows) or (len(words) == 1 and words[0].group(0).isupper()):
            return run.start(), run.end(), "organization"
        if len(words) == 1 and lows[0].strip(".") in COUNTRIES:
            return run.start(), run.end(), "organization"
        if first < len(words) and (title or len(words) >= 2 or len(runs) == 1):
            a = run.start() + words[first].start()
            if run.start() == 0 and first == 0 and lows[0] in ("the", "a", "an"):
                return 0, len(phrase), None
            b = run.end()
            jm = _JOINER_RE.search(phrase, a, b)
            if jm is not None and len(phrase[a : jm.start()].split()) >= 2:
                b = jm.start()  # "Henrik Aune of Fjellmark (police)": the person
            return a, b, "person"
    head = low_words[-1].strip(",.") if low_words else ""
    if head in ORG_WORDS or head in ("police", "officials", "authorities"):
        return 0, len(phrase), "organization"
    if head in _PERSON_NOUNS:
        return 0, len(phrase), "person"
    return 0, len(phrase), None


def find_claimant(who: str, sentence: str, avoid: tuple[int, int]) -> Claimant | None:
    """The claimant named by the attribution ``who`` (a slice of ``sentence`` or
    "according to" + one), with offsets in ``sentence``; ``avoid`` is the claim's own span
    (the name is looked for outside it first). He/She are left to the caller."""
    if not who:
        return None
    span = source_phrase(who)
    if span is None:
        return None
    phrase = who[span[0] : span[1]]
    both = _coordinated(phrase, sentence, avoid)
    if both is not None:
        return both
    a, b, kind = name_of(phrase)
    name = phrase[a:b].strip()
    if not name or len(name.split()) > 12:
        return None
    pos = -1
    for m in re.finditer(re.escape(name), sentence, re.IGNORECASE):
        pos = m.start()
        if m.end() <= avoid[0] or m.start() >= avoid[1]:
            break
    if pos < 0:
        return None
    if name.split(" ", 1)[0].lower() in _POSSESSIVES:
        # "Its leader, Anton Berg, called ... and said ...": the name the sentence gives
        nm = re.compile(re.escape(name) + r",\s+(?P<name>" + _NAME_RUN_RE.pattern + r")(?=,)")
        m = nm.search(sentence)
        if m is not None and len(m.group("name").split()) >= 2:
            a, b = m.span("name")
            return Claimant(sentence[a:b], a, b, "person", phrase)
    return Claimant(sentence[pos : pos + len(name)], pos, pos + len(name), kind, phrase)


_POSSESSIVES = frozenset("its his her their our".split())
_BOTH_RE = re.compile(
    r"^(?:both\s+)?(?P<co>.+?)(?:,?\s+(?:both|all|each|together|jointly))?$", re.I
)
_AND_RE = re.compile(r",\s+(?:and\s+)?|\s+and\s+")


def _coordinated(phrase: str, sentence: str, avoid: tuple[int, int]) -> Claimant | None:
    """ "Mayor Ana Ruiz and Governor Tom Hale (both) said": one claim made by both, never by
    one of them: the claimant names them all ("Ana Ruiz and Tom Hale"), its offsets span the
    mention of the first to the last."""
    m = _BOTH_RE.match(phrase.strip())
    co = m.group("co") if m else phrase
    parts = _AND_RE.split(co)
    if not 2 <= len(parts) <= 4 or " and " not in co:
        return None
    names, kinds = [], set()
    for part in parts:
        a, b, kind = name_of(part)
        name = part[a:b].strip()
        if not name or kind is None or len(name.split()) > 6:
            return None
        names.append(name)
        kinds.add(kind)
    spans = []
    for name in names:
        found = [x for x in re.finditer(re.escape(name), sentence) if x.end() <= avoid[0]]
        found = found or list(re.finditer(re.escape(name), sentence))
        if not found:
            return None
        spans.append(found[-1].span())
    start, end = min(a for a, _ in spans), max(b for _, b in spans)
    if end - start > len(co) + 5:
        return None
    name = ", ".join(names[:-1]) + " and " + names[-1]
    kind = kinds.pop() if len(kinds) == 1 else None
    return Claimant(name, start, end, kind, phrase)


def is_pronoun_source(c: Claimant | None) -> bool:
    return c is not None and c.name.lower() in _PRONOUN_SOURCES


class People:
    """Named people an article has quoted so far, to name who a later "he"/"she", a title
    ("the minister") or a bare surname refers to."""

    def __init__(self) -> None:
        self.seen: list[Claimant] = []
        self.org: Claimant | None = None  # the organisation an "It said" most likely is
        self.speaker: Claimant | None = None  # the last person a claim was credited to
        self.genders: dict[str, str] = {}  # surname -> "he"/"she", from pronouns resolved

    def resolve(
        self,
        found: Claimant | None,
        offset: int,
        person: str | None,
        mentions: dict[str, tuple[int, int]],
        near: str | None = None,
    ) -> Claimant | None:
        """``found`` (offsets in the sentence starting at ``offset``) in article offsets,
        resolved: "He"/"She" to ``person`` (named at ``mentions[person]``), "the minister"
        to the last person quoted with that title, a surname to the full name."""
        c = self._resolve(found, offset, person, mentions, near)
        if c is not None and c.kind == "person":
            if found is not None and found.name.lower() in _PRONOUN_SOURCES:
                self.genders[c.name.split()[-1]] = found.name.lower()
            self.speaker = c
        return c

    def _resolve(
        self,
        found: Claimant | None,
        offset: int,
        person: str | None,
        mentions: dict[str, tuple[int, int]],
        near: str | None = None,
    ) -> Claimant | None:
        if found is None:
            return None
        low = found.name.lower()
        if low == "it":
            # "The board met on Monday. It said ...": the organisation named last; never "It"
            return self.org
        if low in _NOT_ENTITY and low not in _PRONOUN_SOURCES:
            return None  # "They said", "This shows": nobody the article names here
        if low in _PRONOUN_SOURCES:
            if not person or person not in mentions:
                # the last person quoted, if the paragraph so far (``near``) names them
                last = self.seen[-1] if self.seen else None
                if last is not None and near is not None and last.name.split()[-1] not in near:
                    # "Holst, 38, would be ..., but she has said ...": the person the
                    # paragraph named last, if "she" fits them
                    at, nearest = -1, None
                    for c in self.seen:
                        sur = c.name.split()[-1]
                        i = near.rfind(sur)
                        if i > at and self.genders.get(sur, low) == low:
                            at, nearest = i, c
                    if nearest is not None:
                        return nearest
                    # "She said ..." opening a paragraph after one that quoted a woman (a
                    # "she" resolved to her before): that speaker; else nobody
                    sp = self.speaker
                    if sp is not None and self.genders.get(sp.name.split()[-1]) == low:
                        return sp
                    return None
                return last
            a, b, _ = name_of(person)
            at = mentions[person][0]
            return Claimant(person[a:b], at + a, at + b, "person", person)
        words = low.split()
        if (
            len(words) == 2
            and words[0] in ("the", "a")
            and words[1] in TITLE_WORDS
            and words[1] not in ORG_WORDS  # "the union" is the union, not its leader
        ):
            for c in reversed(self.seen):
                if words[1] in c.phrase.lower().split():
                    return c
        c = Claimant(found.name, found.start + offset, found.end + offset, found.kind, found.phrase)
        if c.kind == "person" and len(words) == 1:
            for i in range(len(self.seen) - 1, -1, -1):
                p = self.seen[i]
                if p.name.lower().split()[-1] == low:
                    # "Farouk said ... She said ...": the speaker just quoted by surname is
                    # the likeliest "she" from here on
                    self.seen.append(self.seen.pop(i))
                    return p
        if (
            c.kind == "person"
            and len(words) >= 2
            and words[0] not in ("the", "a", "an")
            and " and " not in low  # "Ana Ruiz and Tom Hale": no "he"
        ):
            self.seen.append(c)
        return c

    def note_subject(
        self, subject: str | None, sentence: str, offset: int, claimant: Claimant | None
    ) -> None:
        """Who a following "It said" is: the organisation this sentence quoted or whose
        subject it is ("The board met on Monday. It said ..."); nobody once another source
        speaks or another subject comes in between."""
        if claimant is not None:
            self.org = claimant if claimant.kind == "organization" else None
            return
        if not subject or len(subject.split()) > 6:
            self.org = None
            return
        if subject.lower() in ("it", "its"):
            return  # "It also said ...": the same one
        self.org = self.subject_org(subject, sentence, offset) or None

    def subject_org(self, subject: str | None, sentence: str, offset: int) -> Claimant | None:
        """The organisation ``subject`` names ("The health authority for the district"), with
        its offsets, made the likeliest "it" of what follows; ``None`` for anything else."""
        if not subject or len(subject.split()) > 8:
            return None
        head = _OF_SPLIT_RE.split(subject, 1)[0].split()
        word = head[-1].lower().removesuffix("'s").removesuffix("’s") if head else ""
        i = sentence.find(subject)
        if word not in ORG_WORDS or i < 0 or subject.lower() in _NOT_ENTITY:
            return None
        self.org = Claimant(subject, offset + i, offset + i + len(subject), "organization", subject)
        return self.org

    def note_mentions(self, sentence: str, offset: int) -> None:
        """People named in a sentence ("Sofia Reinholt", or a surname opening it: "Abel, a
        former police commander, ..."), the last one the likeliest "he"/"she" of the next."""
        for m in _NAME_RUN_RE.finditer(sentence):
            words = m.group(0).split()
            if len(words) > 2 and any(w in _JOINERS for w in words[1:-1]):
                # "Chief Inspector Henrik Aune of Fjellmark (police)": a name and a place
                i = next(i for i, w in enumerate(words) if i and w in _JOINERS)
                words = words[:i]
            if _BUSINESS_BEFORE_RE.search(sentence, 0, m.start()):
                continue  # "the Kessel firm Alpen Reisen": a company, no "he"
            if m.start() == 0 and len(words) == 1 and sentence[m.end() : m.end() + 1] in ",":
                for i in range(len(self.seen) - 1, -1, -1):
                    if self.seen[i].name.split()[-1] == words[0]:
                        self.seen.append(self.seen.pop(i))
                        break
                continue
            while words and words[0].lower().rstrip(".") in TITLE_WORDS:
                words = words[1:]
            if not 2 <= len(words) <= 3 or words[0].lower() in _NOT_NAMES:
                continue
            if any(
                w.lower() in ORG_WORDS or w.lower().strip(".") in COUNTRIES or "'" in w or "’" in w
                for w in words
            ):
                continue
            name = " ".join(words)
            at = m.start() + m.group(0).find(name)
            self.seen.append(Claimant(name, offset + at, offset + at + len(name), "person"))


_JOINERS = frozenset(("of", "for", "and"))
_BUSINESS_BEFORE_RE = re.compile(
    r"\b(?:firm|company|carmaker|airline|carrier|chain|group|operator|retailer|grocer|bank|"
    r"insurer|lender|maker|manufacturer|developer|broadcaster|newspaper|agency|party)\s+$"
)


# "HALE: We cut the deficit." / "Senator Jo Hale: ...": a transcript's speaker label
_LABEL_RE = re.compile(
    r"(?P<who>[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,2}|[A-Z][a-z.'’-]+(?:\s+[A-Z][a-z.'’-]+){1,3})"
    r":\s+(?=\S)"
)
_NOT_LABELS = frozenset(
    "update note correction exclusive watch read breaking live analysis opinion editor photo "
    "video key related source sources background context timeline listen update factbox "
    "fact box in brief".split()
)


def speaker_label(text: str, line_start: int, end: int) -> Claimant | None:
    """The speaker label opening the line (from ``line_start``) of a sentence ending at
    ``end`` ("BIDEN:", "Senator Jo Hale:"), as the claimant of what it says, or ``None``."""
    m = _LABEL_RE.match(text, line_start, end)
    if m is None or m.end("who") > end:
        return None
    who = m.group("who")
    if who.lower().strip(".") in _NOT_LABELS or who.split()[0].lower() in _NOT_LABELS:
        return None
    return Claimant(who, m.start("who"), m.end("who"), "person", who)


# "Northline, which ..., said on Monday that ...": a source the clause itself opens with
_WORDING_SOURCE_RE = re.compile(
    r"(?:(?:On|In|At|For|After|Before|During|Asked about)\s[^,;\"“”]{1,30},\s+)?"
    # "A poll of 1,200 voters": a comma between digits is no clause boundary
    r"(?P<who>[A-Z](?:[^,;:\"“”]|(?<=\d),(?=\d)){1,80}?(?:,\s+[A-Z][^,;:\"“”]{1,40}?)?)"
    # "Ilse Marten, the mayor of Dunholt, ...": an apposition after the name
    r"(?:,\s+(?P<app>(?!(?:who|whom|whose|which)\b)[a-z][^,;:\"“”]{1,60}?)(?=,|\s+(?:said|called)\b))?"
    r"(?:,\s+(?:who|whom|whose)\b[^,;\"“”]{1,80},)?,?\s+"
    # "Economists polled by X had expected a rate of 5.7%": the figure is theirs
    r"(?:(?:had|has|have)\s+)?"
    r"(?P<v>said|says|told|added|noted|stated|announced|heard|"
    r"confirmed|estimated|estimates|found|showed|shows|called|argued|warned|claimed|replied|"
    r"insisted|denied|admitted|reported|replied|cautioned|put|puts|accused|expects|expected|"
    # "Chief executive Mats Lindgren blamed a perfect storm of ...": an assertion (GUIDE.md 3)
    r"blamed|blames|urged|urges|stressed|emphasi[sz]ed|"
    # a plural source in the present ("Insurers estimate the damage at ...", "Police say"),
    # and a source disputing something ("The union disputes the figures")
    r"say|estimate|warn|report|claim|argue|insist|believe|fear|expect|disputes?|disputed|show)\b"
)
# "put inflation for last year at 5.8%", "put Abel on 44%": an estimate, not an action
_PUT_FIGURE_RE = re.compile(
    r"[^.;:\"“”]{1,80}?\s(?:at|on)\s+(?:about\s+|around\s+|nearly\s+|almost\s+|just\s+)?"
    r"[$€£]?\d"
)
_PERSON_NAME_RE = re.compile(r"(?:[A-Z][\w'’.-]+\s+){1,3}[A-Z][\w'’-]+")
_PERSON_END_RE = re.compile(r"(?:^|\s)[A-Z][\w'’.-]+\s+[A-Z][\w'’-]+$")


# "The bakery will, Ostrow said, close its shop": a source set between commas mid-clause
_PAREN_SOURCE_RE = re.compile(
    r"[A-Z][^,;:\"“”]{1,60}?\s(?:will|would|could|can|may|might|must|should|is|are|was|were|"
    r"has|have|had)(?:\s+not)?,\s+"
    r"(?P<who>(?:the\s+)?[A-Z]?[\w'’.-]+(?:\s+[\w'’.-]+){0,3}?)\s+(?:said|says|added|noted),\s+"
    r"(?!(?:while|but|and|whereas|although|though)\b)[a-z]"
)


def wording_source(wording: str) -> str | None:
    """The source a wording opens with ("Northline said ..."), or ``None``."""
    pm = _PAREN_SOURCE_RE.match(wording)
    if pm is not None and not _FINITE_RE.search(pm.group("who").lower()):
        return pm.group("who")
    m = _WORDING_SOURCE_RE.match(wording)
    if (
        m is not None
        and m.group("v") in ("put", "puts")
        and not _PUT_FIGURE_RE.match(wording, m.end())
    ):
        return None
    if m is not None and m.group("app") is not None:
        # the name, not its apposition: "Ilse Marten, the mayor of Dunholt, said"
        # ("Opposition leader Ruth Andersen, of the People's Party, called ...": the name)
        return m.group("who") if _PERSON_END_RE.search(m.group("who")) else None
    if m is not None and ", " in m.group("who") and not _APPOS_NAME_RE.match(m.group("who")):
        return None
    if m is None or _FINITE_RE.search(_PARTICIPLE_RE.sub("", m.group("who").lower())):
        return None  # ("A poll published on Monday puts ...": a participle, no verb)
    if m.group("who").split(" ", 1)[0].lower() in _PREP_HEADS:
        return None  # "In a joint letter accused ...": a phrase, nobody
    if _NEGATED_RE.search(m.group("who")):
        return None  # "Lindqvist did not dispute the number": no source of a claim
    if (
        m.group("v") in _FINDING_VERBS
        and not _REPORTED_CLAUSE_RE.match(wording, m.end())
        and not (m.group("v") in _SHOW_VERBS and _document(m.group("who")))
    ):
        # "Officers found a man with stab wounds", "The court heard evidence": an act with
        # an object, not a source reporting a fact (but "budget documents show spending
        # rising ...": what a document shows is its report)
        return None
    return m.group("who")


_NEGATED_RE = re.compile(r"\b(?:did|does|do|not|never)\b", re.IGNORECASE)
_SHOW_VERBS = frozenset("show shows showed".split())
_PARTICIPLE_RE = re.compile(r"\b[a-z]+ed(?=\s+(?:by|on|in|at|last|this)\b)")
_DOCUMENT_HEADS = _DOC_WORDS | frozenset("documents records accounts filings minutes".split())


def _document(who: str) -> bool:
    """Is ``who`` a document or data ("The finance ministry's budget documents")?"""
    words = who.lower().split()
    return bool(words) and words[-1] in _DOCUMENT_HEADS


_FINDING_VERBS = frozenset("found showed shows show reported heard".split())
_REPORTED_CLAUSE_RE = re.compile(
    # ("7,200 homes were completed": a comma between digits is no clause boundary)
    r"\s+(?:that\b|[\"“]|(?:[A-Za-z\d](?:[^,;\"“”]|(?<=\d),(?=\d))*?\s)?(?:" + _FINITE + r")\b)"
)
