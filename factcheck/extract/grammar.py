"""Word lists and small helpers shared by the extraction steps: verbs, trimming, subjects."""

from __future__ import annotations

import re

_IRREGULAR_PAST = (
    "left took made gave said went came became held met won lost fell rose saw sent told led paid "
    "put set cut kept brought began spent built sold bought fought found thought stood struck "
    "wrote drove ran grew knew shot hit broke chose froze stole threw flew forbade sought taught "
    "caught meant felt heard hid hung laid lay lent lit quit rode rang sang sank slid spoke spun "
    "swore swept swung tore woke wore withdrew undertook overtook cost hurt spread beat cast shut "
    "split shrank drew drank swam bled bred dealt dug fled forgot forgave got knelt leapt sped "
    "stuck sprang wept overcame overran overthrew underwent upheld withheld mistook foresaw "
    "outgrew rebuilt retook shook slept strode arose awoke befell clung crept sat spat stank "
    "oversaw"
)


_NOT_VERBS_ED = frozenset(
    "armed united limited based detailed advanced skilled related concerned interested supposed "
    "alleged organized organised coordinated red bed need seed feed speed hundred kindred "
    "sacred naked wicked wretched rugged beloved aged biased indeed embed shed greed "
    "breed bleed creed deed weed steed reed tweed sled wed".split()
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


# a reported clause: lower-case words with a finite verb before any comma (a trailing
# attribution names someone: "said Mayor Elena Varga", "said the agency, ...")
_REPORTED_RE = re.compile(r"[a-z\d](?:[^,;]|(?<=\d),(?=\d))*?\b(?:" + _FINITE + r")\b")


_SAY_VERBS = frozenset("said says added noted stated warned told announced insisted".split())


_LEAD_DISCOURSE_RE = re.compile(
    r"(?:however|moreover|meanwhile|furthermore|in addition|additionally|still|yet|also|"
    r"nevertheless|nonetheless|indeed|so|and|but|or|well|now|then|first|second|finally|"
    r"in fact|of course)\b,?\s+",
    re.IGNORECASE,
)


_DETERMINERS = frozenset(
    "the a an this that these those his her its their our my your some many several".split()
)


_STOP_BACK = frozenset(
    "to that which who following after before during since against than and or but when where "
    "is are was were has have had be been said says by from".split()
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


_DECAP_WORDS = _DETERMINERS | frozenset(
    "it he she they we you there here what which who when where many most few all both each "
    "no not one two three if in on at as after before since while although though today "
    "yesterday last next every nobody everyone everybody nothing something "
    # other common words that open a quoted sentence and are no names ("said even a short walk")
    "even only just more less any such so now then also still without with for from by under "
    "over about because unless until during how why much another other none neither either "
    "my your our everything anything people that's it's there's what's we're they're".split()
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


def _inside_any(a: int, b: int, spans: list[tuple[int, int]]) -> bool:
    return any(x <= a and b <= y for x, y in spans)


# Verbs in their bare form that news clauses coordinate after a modal ("will close the plant
# and move production to ..."), chosen among those that are seldom nouns after "and"
BARE_VERBS = frozenset(
    "abolish accept acquire add adopt allow announce appeal appoint approve ask ban become "
    "begin borrow bring build buy call cancel close complete consider cover create cut "
    "deliver deploy double drop ease end enforce expand extend face fire freeze fund give "
    "grant halve hire hold impose improve include increase introduce invest issue join keep "
    "launch lay lead leave lend lift limit lose lower make meet merge move name offer open "
    "order pay phase place post provide publish raise reach receive reduce refund reject "
    "release relocate remove renew reopen repay replace require restore resume return review "
    "run scrap seek sell send set shed shift shut sign spend start stop strip submit suspend "
    "take tighten train transfer treble triple unveil upgrade use withdraw write".split()
)
MODAL_RE = re.compile(
    r"\b(?P<modal>(?:will|would|could|can|may|might|must|should|shall)(?:\s+(?:not|also|now|"
    r"then|still|soon))?)\s+(?P<verb>[a-z]+)\b"
)


_SUBORDINATORS = frozenset(
    "as when while if because although though since after before until once whereas unless "
    "where whether".split()
)


def _copula_ok(ant: str, app: str) -> bool:
    """May "ANT is/was APP" stand for the apposition "ANT, APP"? Only when the antecedent is
    a plain noun phrase (no clause opener, no verb) and the apposition a noun phrase opening
    with an article ("As the region recovers, the number ..." is no noun phrase)."""
    words = ant.split()
    if not words or len(words) > 10 or words[0].lower() in _SUBORDINATORS:
        return False
    first = words[0].lower()
    if first in _PREPS or first in _STOP_BACK:
        return False
    if not (first in _DETERMINERS or words[0][:1].isupper()):
        return False
    if _FINITE_RE.search(ant.lower()) or any(w.lower() in _AUX for w in words):
        return False
    first = app.split(" ", 1)[0]
    # "a former judge", "Brevia's largest drugmaker" (a name's: "X is Brevia's largest ...")
    return first.lower() in ("the", "a", "an") or bool(_NAME_POSSESSIVE_RE.fullmatch(first))


_NAME_POSSESSIVE_RE = re.compile(r"[A-Z][\w.-]*['’]s")
