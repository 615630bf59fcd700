"""Atomic claims inside sentences: clause splitting, wording, kinds, values and scores."""

from __future__ import annotations

import datetime
import math
import re

from .model import load_model
from .segment import CLAIM_KINDS, Segment, _split_paragraph, split_sentences
from .values import find_values

__all__ = ["claim_spans", "extract_claims", "claim_kinds", "drop_repeats", "CLAIM_KIND_NAMES"]

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
    "swore swept swung tore woke wore withdrew undertook overtook cost hurt spread beat cast shut "
    "split"
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

_FINITE = r"is|are|was|were|has|have|had|will|would|says|said|[a-z]+ed|" + _IRREGULAR_PAST.replace(
    " ", "|"
)
_FINITE_RE = re.compile(r"\b(?:" + _FINITE + r")\b")
_QUOTE_SPAN_RE = re.compile(r"\"[^\"]*\"|“[^”]*”|\([^()]*\)")
_CMP_AHEAD = (
    r"(?:(?:about|around|roughly|nearly|almost|some|just|only|over|more than|less than)\s+)?"
    r"(?:[$€£]?\d[\d,.]*\s?(?:%|percent\b|per cent\b)?"
    r"|(?:a|one|two|three)\s+(?:third|half|quarter|fifth)s?)"
    r"(?:\s+[^\W\d_]+){0,2}?\s+(?:less|more|fewer|higher|lower|cheaper|greater|smaller|larger|bigger|"
    r"above|below|up|down)\b"
)
_TADV_AHEAD = (
    r"(?:(?:nearly|almost|about|some|more than|less than|just|only|over|roughly|barely)\s+)?"
    r"(?:(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|a few|"
    r"\d+)\s+(?:hours?|days?|weeks?|months?|years?|decades?)\s+)?(?:after|before|following)\s"
)
_SAY_EMBED = (
    r"(?:says|said|claims|claimed|believes|believed|estimates|estimated|hopes|expects|expected)"
)
_SPLIT_RE = re.compile(
    r"(?P<rel>,\s+(?:which|who|whose|where)\s+)"
    r"|(?P<app>,\s+(?=(?:the|a|an)\s+(?:first|second|third|fourth|fifth|last|only|latest|largest|"
    r"biggest|highest|lowest|worst|deadliest|best|most|least|\d+(?:st|nd|rd|th))\b))"
    r"|(?P<appsay>,\s+(?=(?:a|an|the)\s+[^\W\d_]+\s+(?:the|a|an|its|his|her|their|our)\s+"
    r"[^\W\d_]+(?:\s+[^\W\d_]+)?\s+" + _SAY_EMBED + r"\s))"
    r"|(?P<appnp>,\s+(?=(?:the|a|an)\s+[^\W\d_]+(?:\s+[^\W\d_'’]+){0,5}\s+(?:[a-z]+ing|[a-z]+ed|responsible|"
    r"that|which|who|whose|with|known|accused|blamed)\b))"
    r"|(?P<cmp>,\s+(?=" + _CMP_AHEAD + r"))"
    r"|(?P<making>,\s+(?=making\s+(?:it|them|him|her)\s))"
    r"|(?P<tadv>,\s+(?=" + _TADV_AHEAD + r"))"
    r"|(?P<adv>,\s+(?:amid|despite|whereas|although|though|but|because|especially when|while)\s+)"
    r"|(?P<semi>;\s+|\s+[—–]\s+|\s+--\s+)"
    r"|(?P<att>,\s+(?:according to|reported|said|says|told|added|noted|stated|announced|"
    r"confirmed|wrote|claimed)\s+)"
    r"|(?P<andthat>,?\s+(?:and|but)\s+that\s+)"
    r"|(?P<andv>,?\s+and\s+(?=(?:[a-z]+ed|was|were|is|are|has|have|had|will|"
    + _IRREGULAR_PAST.replace(" ", "|")
    + r")\s))"
)
_AND_AUX = frozenset("was were is are has have had will".split())
# a reported clause: lower-case words with a finite verb before any comma (a trailing
# attribution names someone: "said Mayor Elena Varga", "said the agency, ...")
_REPORTED_RE = re.compile(r"[a-z\d][^,;]*?\b(?:" + _FINITE + r")\b")
_SAY_VERBS = frozenset("said says added noted stated warned told announced insisted".split())
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


def _antecedent(sent: str, a: int, b: int, rel: bool = False) -> tuple[int, int] | None:
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
    if rel and (sent[cand[0][0]] in "$€£" or sent[cand[0][0]].isdigit()):
        # "$12 million on flood defences, which failed": the quantity is not the antecedent
        for j in range(len(cand) - 1, 0, -1):
            if sent[cand[j][0] : cand[j][1]].lower() in _PREPS and j + 1 < len(cand):
                cand = cand[j + 1 :]
                break
    return cand[0][0], cand[-1][1]


# "the lowest level", "the biggest drop", "the highest since", "the first time": an
# apposition that ranks a figure or an event, not the noun before it
_FIGURE_HEADS = frozenset(
    "level levels rate rates figure reading pace rise increase fall drop decline jump gain loss "
    "growth total number share amount time since in on for of ever yet recorded".split()
)


_RANKS = frozenset("first second third fourth fifth last only latest".split())


def _figure_apposition(quote: str) -> bool:
    words = quote.lower().split(None, 3)
    if len(words) < 3 or words[2] not in _FIGURE_HEADS:
        return False
    # "a phone call, the first since 2025": the call was the first ("the first time": the event)
    return words[1] not in _RANKS or words[2] == "time"


_PREPS = frozenset("on in at for to from with by into over against about".split())


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


_CONNECTIVE_RE = re.compile(
    r"(?:(?:nearly|almost|about|some|more than|less than|just|only|over|roughly|barely)\s+)?"
    r"(?:(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|a few|"
    r"\d+)\s+(?:hours?|days?|weeks?|months?|years?|decades?)\s+)?"
    r"(?:after|before|following|since|when|while|because|as|once|until)\s+",
    re.IGNORECASE,
)
_SUBJ_VERB_AUX = frozenset(
    "is are was were has have had will would can could may might must says said does did".split()
)
_SUBJ_BLOCK = frozenset(
    "the a an its his her their our my your this that these those of to in on at for by "
    "with".split()
)
_SUBJ_ADVERBS = frozenset(
    "first also now then later still already just once never recently since soon".split()
)
_MODAL_OPINION_RE = re.compile(r"\b(?:should|must|ought to)(?:\s+(?:never|not))?\s+have\b", re.I)
_EMBED_SAY_RE = re.compile(
    r"(?P<np>(?:the|a|an|its|his|her|their|our)\s+[^\W\d_]+(?:\s+[^\W\d_]+)?)\s+"
    r"(?P<v>says|said|claims|claimed|believes|believed|estimates|estimated|hopes|expects|"
    r"expected)\s+(?P<rest>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
_APPSAY_RE = re.compile(
    r"(?:a|an|the)\s+(?P<noun>[^\W\d_]+)\s+" + _EMBED_SAY_RE.pattern, re.IGNORECASE | re.DOTALL
)
_MAKING_RE = re.compile(r"making\s+(?:it|them|him|her)\s+(?P<rest>\S.*)$", re.DOTALL)
_POSSESSOR_RE = re.compile(r"([A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3})['’]s\s")
_LIST_PREP_RE = re.compile(
    r"\b(?:following|after|amid|including|such as|despite|because of|due to)\s+"
)
_LIST_SEP_RE = re.compile(r",\s+(?:and\s+|or\s+)?")
_LIST_AND_RE = re.compile(r"\s+(?:and|or)\s+(?=(?:the|a|an|its|his|her|their|[A-Z])\b|[A-Z])")
_LIST_BAD = frozenset(
    "is are was were has have had will would that which who whose said says can could".split()
)
_SINCE_RE = re.compile(r"\bsince\s+(?=(?:the|a|an|his|her|its|their|[A-Z][\w.'’-]*)\s)")
_SINCE_VERB_RE = re.compile(
    r"\b(?:was|were|had been|has been|have been|is|are|"
    + _IRREGULAR_PAST.replace(" ", "|")
    + r"|[a-z]{3,}ed)\b"
)
_FIRST_PERSON_RE = re.compile(
    r"\b(?:i|we)(?:'m|’m| am| are| were| was| feel| felt)\s+(?:so\s+|very\s+|really\s+|just\s+)?"
    r"(?:glad|happy|pleased|delighted|proud|sad|disappointed|frustrated|angry|sure|confident|"
    r"excited|worried|relieved|thrilled|grateful|sorry)\b",
    re.IGNORECASE,
)
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
_DECAP_WORDS = _DETERMINERS | frozenset(
    "it he she they we you there here what which who when where many most few all both each "
    "no not one two three if in on at as after before since while although though today "
    "yesterday last next every nobody everyone everybody nothing something "
    # other common words that open a quoted sentence and are no names ("said even a short walk")
    "even only just more less any such so now then also still without with for from by under "
    "over about because unless until during how why much another other none neither either "
    "my your our everything anything people".split()
)


def _decap(s: str) -> str:
    """Lower-case a leading common word ("The plan" -> "the plan") for use after "X said"."""
    w = s.split(" ", 1)[0]
    return s[:1].lower() + s[1:] if w.lower() in _DECAP_WORDS else s


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


def _subject_verb(q: str) -> tuple[str | None, str | None]:
    """Subject and "subject + verb" prefix of the clause ``q`` (leading adverbials dropped)."""
    cm = _CONNECTIVE_RE.match(q)
    off = cm.end() if cm else 0
    prev = ""
    for w in _WORD_RE.finditer(q, off):
        tok = w.group(0).strip(',;:"“”()')
        low = tok.lower()
        if (low in _SUBJ_VERB_AUX or _is_past(low)) and prev not in _SUBJ_BLOCK and w.start() > off:
            head = q[off : w.start()]
            c = head.rfind(", ")
            subj_start = off + c + 2 if c >= 0 else off
            subj = q[subj_start : w.start()].strip(" ,")
            if not subj and c >= 0:
                # "A second man, aged 27, was ...": the subject is before the aside
                c1 = head.find(", ")
                if c1 > 0:
                    subj_start = off
                    subj = head[:c1].strip(" ,")
            while " " in subj:
                head_, last = subj.rsplit(" ", 1)
                if last.lower() not in _SUBJ_ADVERBS and not last.endswith("ly"):
                    break
                subj = head_
            if not subj:
                return None, None
            return subj, q[subj_start : w.end()].rstrip(",")
        prev = low
    return None, None


def _event_list(quote: str) -> tuple[int, int, list[tuple[int, int]]] | None:
    """``... following A, B and C`` -> (preposition start and end, item spans) or ``None``.

    The last preposition that introduces a list wins ("amid anger following A, B and C").
    """
    for pm in reversed(list(_LIST_PREP_RE.finditer(quote))):
        items: list[tuple[int, int]] = []
        pos = pm.end()
        for sm in _LIST_SEP_RE.finditer(quote, pos):
            items.append((pos, sm.start()))
            pos = sm.end()
        last = (pos, len(quote))
        am = _LIST_AND_RE.search(quote, last[0])
        if am is not None:
            items.append((last[0], am.start()))
            items.append((am.end(), last[1]))
        else:
            items.append(last)
        if len(items) < 2:
            continue
        sizes = [len(quote[a:b].split()) for a, b in items]
        if min(sizes) < 3 or max(sizes) > 14 or (len(items) == 2 and min(sizes) < 4):
            continue
        if any(w.lower().strip(",") in _LIST_BAD for a, b in items for w in quote[a:b].split()):
            continue
        return pm.start(), pm.end(), items
    return None


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
        return []
    if not attr.who and _MID_CONJ_RE.search(sentence, s0, e0):
        # "House prices rose 3%, the registry said, while rents climbed 7%": both halves are
        # the registry's, and neither quote holds the attribution
        m = _MID_ATTR_RE.search(sentence, s0, e0)
        if m and not _inside(m.start(), _protected(sentence)):
            who = m.group("who").strip()
            attr = _Attr(who, suffix=", " + who)
            out = _clause_claims(sentence, s0, m.start(), attr)
            if e0 - m.end() >= 3:
                out += _clause_claims(sentence, m.end(), e0, attr)
            out.sort(key=lambda d: (d["start"], d["end"]))
            return out
    return _clause_claims(sentence, s0, e0, attr)


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


def _quoted_statement(sentence: str, s0: int, e0: int) -> list[dict] | None:
    """``"Quoted words," Name said`` / ``said Name``: claims from the quoted words, attributed."""
    m = _QUOTE_STMT_RE.match(sentence, s0, e0)
    if not m:
        return None
    rest_s = m.start("rest")
    rest = sentence[rest_s:e0]
    wm = _Q_WHO_RE.match(rest)
    rel = None
    if wm and len(wm.group("who").split()) <= 6:
        who = wm.group("who").strip()
        verb = "says" if wm.group("v") == "says" else "said"
    else:
        wm = _Q_INV_RE.match(rest)
        if not wm or len(wm.group("who").split()) > 8:
            return None
        who = wm.group("who").strip()
        verb = "says" if wm.group("v") == "says" else "said"
        if wm.group("relc"):
            rel = (rest_s + wm.start("relc"), rest_s + wm.end("relc"))
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


def _clause_claims(sentence: str, s0: int, e0: int, attr: _Attr) -> list[dict]:
    """Claims of ``sentence[s0:e0]`` (attribution already removed), worded with ``attr``."""
    attribution = attr.who or None
    prot = [(a, b) for a, b in _protected(sentence) if a >= s0 and b <= e0]
    cuts: list[tuple[int, int, str]] = []  # (marker start, content start, type)
    for m in _SPLIT_RE.finditer(sentence, s0, e0):
        if _inside(m.start(), prot):
            continue
        typ = m.lastgroup or "semi"
        if typ == "andv":
            nxt = sentence[m.end() : m.end() + 30].split(" ", 1)[0]
            if not (_is_past(nxt) or nxt in _AND_AUX):
                continue
        elif typ in ("app", "appnp"):
            before = sentence[cuts[-1][1] if cuts else s0 : m.start()].lower()
            if not _FINITE_RE.search(before):
                continue
        elif typ == "att" and cuts and cuts[-1][2] in ("rel", "app", "appnp"):
            # "The ministry, which ..., said the drought was ...": the subject's own verb and
            # the clause it reports, not a trailing "..., said Name"
            if _REPORTED_RE.match(sentence, m.end(), e0):
                continue
        cuts.append((m.start(), m.end(), typ))
    pieces: list[tuple[int, int, str, int]] = []  # start, end, type, index of the piece it hangs on
    cur_s, cur_t = s0, "main"
    owner = -1
    root = 0
    roots: list[int] = []
    trailing_attr = None
    for ms, cs, typ in cuts:
        pieces.append((cur_s, ms, cur_t, owner))
        roots.append(root)
        if typ == "att":
            trailing_attr = (ms, e0)
            cur_s = None
            break
        if cur_t in ("main", "semi", "andthat"):
            root = len(pieces) - 1
        if typ == "andv":
            prev_t = pieces[-1][2]
            if prev_t == "andv":
                owner = pieces[-1][3]
            elif prev_t in ("cmp", "app", "appnp", "appsay", "making"):
                owner = root
            else:
                owner = len(pieces) - 1
        elif typ in ("semi", "andthat"):
            owner = -1
        else:
            owner = len(pieces) - 1
        cur_s, cur_t = cs, typ
    if cur_s is not None:
        pieces.append((cur_s, e0, cur_t, owner))
        roots.append(root)
    if trailing_attr is not None and not attr.who:
        a, b = _trim(sentence, *trailing_attr)
        if b > a:
            attribution = sentence[a:b]
            attr = _Attr(attribution, suffix=", " + attribution)
    past = bool(_PAST_RE.search(sentence[s0:e0].lower()))
    out: list[dict] = []
    main_subject: str | None = None
    bases: list[str] = []  # wording of each piece before the attribution is added
    spans: list[tuple[int, int]] = []
    subjects: list[str | None] = []
    svs: list[str | None] = []
    extra: list[dict] = []
    reported = ""  # "The ministry said " when a relative clause sat between subject and verb
    resumed: dict[int, str] = {}  # relative clause piece -> main clause resumed after it
    for idx, (ps, pe, typ, own) in enumerate(pieces):
        ps, pe = _trim(sentence, ps, pe)
        quote = sentence[ps:pe]
        base = quote
        rt = roots[idx]
        root_ok = rt < len(spans) and rt != idx
        subj, sv = None, None
        if typ == "andv" and own >= 0:
            # coordinated verb phrase: reuse the subject of the clause it belongs to
            owner_base, owner_quote = bases[own], sentence[spans[own][0] : spans[own][1]]
            if pieces[own][2] == "rel" and owner_quote and owner_base.endswith(owner_quote):
                base = owner_base[: len(owner_base) - len(owner_quote)] + quote
            elif subjects[own]:
                base = subjects[own] + " " + quote
            elif main_subject:
                base = main_subject + " " + quote
            subj = subjects[own]
        elif typ in ("rel", "app", "appnp") and own >= 0:
            os_, oe_ = spans[own]
            ant = _antecedent(sentence, os_, oe_, typ == "rel")
            if ant:
                ant_text = sentence[ant[0] : ant[1]].rstrip(",;: ")
                if typ == "rel":
                    rm = re.match(r",\s+(which|who|whose|where)\s+", sentence[pieces[idx - 1][1] :])
                    rel = rm.group(1).lower() if rm else "which"
                    if rel == "which" and (ant_text[:1].isdigit() or _EMBED_SAY_RE.match(quote)):
                        # "..., which the council says protects it": keep the clause it hangs on
                        if rm:
                            ps = pieces[idx - 1][1] + rm.start(1)
                            quote = sentence[ps:pe]
                        base = bases[own] + ", " + quote
                    elif rel == "where":
                        base = "in " + ant_text + ", " + quote
                    elif rel == "whose":
                        base = ant_text + "'s " + quote
                    else:
                        base = ant_text + " " + quote
                else:
                    words = quote.split(" ", 2)
                    head = words[1].lower() if len(words) > 1 else ""
                    if typ == "app" and own in resumed:
                        # "Core inflation, which ..., slowed to 3%, the lowest since 2021"
                        base = resumed[own] + ", " + quote
                    elif typ == "app" and _figure_apposition(quote):
                        # "Exports fell to 12 billion in March, the lowest level since 2015":
                        # the superlative describes the figure, not the last noun ("March")
                        base = bases[own] + ", " + quote
                    elif (head in _SUMMARY_HEADS and typ == "appnp") or ant_text[:1].isdigit():
                        base = sentence[os_:oe_] + ", " + quote
                    else:
                        base = ant_text + (" was " if past else " is ") + quote
        elif typ == "appsay":
            am = _APPSAY_RE.match(quote)
            if am:
                base = (
                    am.group("np")
                    + " "
                    + am.group("v")
                    + " the "
                    + am.group("noun")
                    + " "
                    + am.group("rest")
                )
        elif typ == "cmp" and root_ok:
            rsv = svs[rt]
            if rsv:
                base = rsv + " " + quote
        elif typ == "making" and root_ok:
            mm = _MAKING_RE.match(quote)
            rs = subjects[rt]
            if mm and rs:
                pm = _POSSESSOR_RE.match(rs + " ")
                base = (pm.group(1) if pm else rs) + " is " + mm.group("rest")
        elif typ == "tadv":
            subj, sv = _subject_verb(quote)
            if root_ok:
                base = bases[rt] + ", " + quote
        elif typ == "adv":
            am = re.match(r"(?:but|whereas|although|though|while)\s+", quote, re.IGNORECASE)
            if am and _VERB_HINT_RE.search(quote[am.end() :]):
                ps += am.end()
                quote = sentence[ps:pe]
                base = quote
        elif typ in ("main", "semi", "andthat"):
            subj, sv = _subject_verb(quote)
            if typ == "main" and main_subject is None:
                main_subject = subj
            if typ == "andthat" and reported:
                base = reported + _decap(quote)
        if typ == "rel" and own >= 0 and pieces[own][2] == "main" and base.endswith(quote):
            os_, oe_ = spans[own]
            vm = _RESUME_RE.search(sentence, ps, pe)
            resume = _resume_kind(sentence, vm, os_, oe_, pe) if vm else None
            if resume:
                rest_s, rest_e = _trim(sentence, vm.start(1), pe)
                main_text = sentence[os_:oe_] + " " + sentence[rest_s:rest_e]
                resumed[idx] = main_text
                if resume == "prep":
                    # "Officers arrested the man, who was not named, at his home": the main
                    # clause goes on after the relative clause; its first part is no claim alone
                    out = [d for d in out if (d["start"], d["end"]) != (os_, oe_)]
                extra.append(
                    {
                        "start": os_,
                        "end": rest_e,
                        "text": attr.word(main_text),
                        "attribution": attribution,
                        "subject": sentence[os_:oe_],
                        "type": "main",
                    }
                )
                if resume == "verb" and (main_subject is None or idx == 1):
                    main_subject = sentence[os_:oe_]
                if vm.group(1).lower() in _SAY_VERBS:
                    reported = sentence[os_:oe_] + " " + vm.group(1) + " "
                pe = _trim(sentence, ps, vm.start())[1]
                quote = sentence[ps:pe]
                base = (
                    base[: len(base) - (len(sentence[ps:rest_e]) - len(quote))]
                    if base.endswith(sentence[ps:rest_e])
                    else base
                )
        # "... following A, B and C": one claim per event in the list
        if (
            typ in ("main", "semi", "andthat", "tadv")
            and quote.count(",") + quote.count(" and ") >= 1
        ):
            ev = _event_list(quote) if not _inside_any(ps, pe, prot) else None
            if ev is not None:
                cut, prep_end, items = ev
                lead = base[: len(base) - len(quote)] if base.endswith(quote) else ""
                for a, b in items:
                    ia, ib = _trim(sentence, ps + a, ps + b)
                    if ib - ia < 8:
                        continue
                    extra.append(
                        {
                            "start": ia,
                            "end": ib,
                            "text": attr.word(
                                lead + sentence[ps : ps + prep_end] + sentence[ia:ib]
                            ),
                            "attribution": attribution,
                            "subject": subj,
                            "type": "item",
                        }
                    )
                pe = _trim(sentence, ps, ps + cut)[1]
                base = base[: len(base) - len(quote)] + sentence[ps:pe]
                quote = sentence[ps:pe]
        # "... since the harbour was dredged in 1998": the dated event is a claim of its own
        if "since" in quote:
            for sm in _SINCE_RE.finditer(quote):
                cs_ = ps + sm.end()
                vm2 = _SINCE_VERB_RE.search(sentence, cs_, pe)
                if vm2 and len(sentence[cs_ : vm2.start()].split()) <= 5:
                    ca, cb = _trim(sentence, cs_, pe)
                    if cb - ca >= 12 and len(sentence[ca:cb].split()) >= 4:
                        extra.append(
                            {
                                "start": ca,
                                "end": cb,
                                "text": attr.word(sentence[ca:cb]),
                                "attribution": attribution,
                                "subject": None,
                                "type": "since",
                            }
                        )
        bases.append(base)
        spans.append((ps, pe))
        subjects.append(subj)
        svs.append(sv)
        if pe - ps < 8 or len(quote.split()) < 3 or not any(c.isalpha() for c in quote):
            continue
        out.append(
            {
                "start": ps,
                "end": pe,
                "text": attr.word(base),
                "attribution": attribution,
                "subject": main_subject,
                "type": typ,
            }
        )
    out.extend(extra)
    for d in out:
        d["subject"] = main_subject
    out.sort(key=lambda d: (d["start"], d["end"]))
    return out


_RESUME_PREPS = frozenset("at in on for from with by into after before during near outside".split())
_NEXT_WORD_RE = re.compile(r"\s+([a-z]+)\b")


def _resume_kind(sentence: str, vm: re.Match, os_: int, oe_: int, pe: int) -> str | None:
    """Does the main clause ``sentence[os_:oe_]`` go on after its relative clause, at
    ``vm`` (", resumed ...")? "verb": the subject's own verb ("The bill, which ..., now goes
    ..."); "prep": the rest of its predicate ("Police arrested the man, who ..., at his
    home"); ``None``: the comma belongs to the relative clause."""
    w = vm.group(1).lower()
    n_main = len(sentence[os_:oe_].split())
    if n_main <= 6:
        if _is_past(w) or w in _AUX:
            return "verb"
        if w in _SUBJ_ADVERBS:
            nm = _NEXT_WORD_RE.match(sentence, vm.end(1), pe)
            if nm:
                v = nm.group(1)
                if _is_past(v) or v in _AUX or (len(v) > 3 and v[-1] == "s" and v[-2] != "s"):
                    return "verb"
    if (
        w in _RESUME_PREPS
        and vm.group(1).islower()
        and n_main <= 12
        and _FINITE_RE.search(sentence, os_, oe_)
    ):
        return "prep"
    return None


def _inside_any(a: int, b: int, spans: list[tuple[int, int]]) -> bool:
    return any(x <= a and b <= y for x, y in spans)


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
    if _OPINION_RE.search(quote) or _FIRST_PERSON_RE.search(quote):
        z -= 1.0
        if _MODAL_OPINION_RE.search(quote):
            z -= 1.0  # "it should have been done years ago": criticism, not a checkable fact
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


# Words that carry no fact of their own when comparing two claims' wordings.
_REPEAT_STOP = frozenset(
    "a an the of in on at to for by with and or but as is are was were be been being has "
    "have had do does did that this these those it its from into onto over than then there "
    "their his her he she they we our which who whom whose while".split()
)
_REPEAT_WORD_RE = re.compile(r"[^\W_]+(?:[.,'’][^\W_]+)*")
REPEAT_MIN_WORDS = 3


def _fact_words(wording: str) -> frozenset[str]:
    return frozenset(
        w for w in _REPEAT_WORD_RE.findall(wording.casefold()) if w not in _REPEAT_STOP
    )


def drop_repeats(claims: list[dict]) -> list[dict]:
    """The claims without those that repeat an earlier sentence's claim: a claim whose
    wording's words (numbers included, function words left out; at least
    ``REPEAT_MIN_WORDS`` of them) all appear in the wording of one claim of an earlier
    sentence says nothing new, as when a standfirst is repeated in the body. The first
    occurrence stays; claims of the same sentence (nested or side by side) always stay.
    ``claims`` must be sorted by position."""
    kept: list[dict] = []
    words_of: list[frozenset[str]] = []
    index: dict[str, list[int]] = {}  # word -> kept claims whose wording has it
    for claim in claims:
        words = _fact_words(claim["text"])
        if len(words) >= REPEAT_MIN_WORDS and all(w in index for w in words):
            rarest = min(words, key=lambda w: len(index[w]))
            if any(
                kept[k]["sentence_end"] <= claim["sentence_start"] and words <= words_of[k]
                for k in index[rarest]
            ):
                continue
        for w in words:
            index.setdefault(w, []).append(len(kept))
        kept.append(claim)
        words_of.append(words)
    return kept


_PRONOUN_RE = re.compile(r"(He|She|It)\s+(\S+)")
# a sentence that is a quotation and nothing else: its words without the marks and the stop
_BARE_QUOTE_RE = re.compile(r"[\"“](?P<q>[^\"“”]{3,}?)[.!…]?[\"”]")
_PERSON_RE = re.compile(r"[A-Z][\w'’-]+\s+[A-Z][\w'’-]+$")
_PROPER_RE = re.compile(r"(?:The\s+)?[A-Z][\w'’-]*(?:\s+(?:[A-Z][\w'’-]*|of|de|del|la))*$")
_NOT_ENTITY = frozenset("the a an it he she they we this that these those there i".split())


def _resolve_pronoun(text: str, person: str | None, thing: str | None) -> str:
    """Name who "He"/"She" (or what "It") at the start of a claim's wording refers to."""
    m = _PRONOUN_RE.match(text)
    if not m:
        return text
    if m.group(1) == "It":
        if thing and _is_past(m.group(2)):
            return thing + text[2:]
        return text
    return _cap(person) + text[m.end(1) :] if person else text


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
