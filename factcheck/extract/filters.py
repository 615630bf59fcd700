"""What is not a claim: opinions, first-person feelings, facts repeated from earlier sentences."""

from __future__ import annotations

import re

from .grammar import _DETERMINERS, _FINITE_RE, _is_past

_OPINION_RE = re.compile(
    r"\b(?:i think|i believe|we believe|i feel|in my view|in my opinion|should|must|ought to|"
    r"let's|let us|it is hoped|hopefully|we need|we have to|i hope|shame|disgrace|"
    r"terrible|wonderful|beautiful|amazing|great job)\b",
    re.IGNORECASE,
)


_MODAL_OPINION_RE = re.compile(r"\b(?:should|must|ought to)(?:\s+(?:never|not))?\s+have\b", re.I)


_FIRST_PERSON_RE = re.compile(
    r"\b(?:i|we)(?:'m|’m| am| are| were| was| feel| felt)\s+(?:so\s+|very\s+|really\s+|just\s+)?"
    r"(?:glad|happy|pleased|delighted|proud|sad|disappointed|frustrated|angry|sure|confident|"
    r"excited|worried|relieved|thrilled|grateful|sorry)\b",
    re.IGNORECASE,
)


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


def drop_repeats(claims: list[dict], lead_end: int = 0) -> list[dict]:
    """The claims without those that repeat an earlier sentence's claim: a claim whose
    wording's words (numbers included, function words left out; at least
    ``REPEAT_MIN_WORDS`` of them) all appear in the wording of one claim of an earlier
    sentence says nothing new, as when a standfirst is repeated in the body. The first
    occurrence stays; claims of the same sentence (nested or side by side) always stay.
    ``claims`` must be sorted by position.

    The standfirst (claims of sentences starting before ``lead_end``) is the exception: a
    standfirst claim whose fact the body states again (one's words all in the other's) is
    dropped, and the body's occurrence is the claim."""
    if lead_end > 0:
        claims = _drop_lead_repeats(claims, lead_end)
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


def _drop_lead_repeats(claims: list[dict], lead_end: int) -> list[dict]:
    body = [
        w
        for w in (_fact_words(c["text"]) for c in claims if c["sentence_start"] >= lead_end)
        if len(w) >= REPEAT_MIN_WORDS
    ]
    out = []
    for c in claims:
        if c["sentence_start"] < lead_end:
            words = _fact_words(c["text"])
            if len(words) >= REPEAT_MIN_WORDS and any(b <= words or words <= b for b in body):
                continue
        out.append(c)
    return out


def lead_end(text: str, kinds: list[tuple[int, int, str]]) -> int:
    """Where the standfirst ends: the paragraph right after the headline at the top of the
    article (``kinds``: its segments' start, end and kind); 0 when there is none."""
    if len(kinds) < 2 or kinds[0][2] != "heading" or kinds[1][2] != "sentence":
        return 0
    nl = text.find("\n", kinds[1][0])
    return len(text) if nl < 0 else nl


# --- what is not a claim -------------------------------------------------------------------

_REACTION_RE = re.compile(
    r"\b(?:(?:called|branded|labell?ed|dubbed|described)\s+(?:[^\W\d_]+\s+){0,6}?(?:a|an|as)\s+"
    r"(?:[^\W\d_]+\s+){0,2}?(?:disgrace|shame|joke|farce|betrayal|scandal|travesty|insult|"
    r"mistake|disaster|outrage|fiasco|catastrophe|embarrassment|failure|success|victory|"
    r"triumph|lie|lies|nonsense|hoax|witch hunt|step forward|step backwards?|slap in the face)"
    r"|(?:hailed|praised|slammed|condemned|blasted|denounced|critici[sz]ed|lambasted|lauded|"
    r"decried|applauded|mocked|ridiculed|insulted|welcomed)\s)",
    re.IGNORECASE,
)
_JUDGEMENT_RE = re.compile(
    r"\b(?:is|was|are|were|represents?|represented|marks?|marked|remains?|seems?|seemed|looks?|"
    r"looked|would be|will be)\s+(?:a|an|the)?\s*(?:very\s+|truly\s+|really\s+|deeply\s+|"
    r"hugely\s+)?(?:significant|important|crucial|remarkable|historic|welcome|positive|"
    r"negative|serious|good|bad|great|terrible|disastrous|shameful|excellent|worrying|troubling|"
    r"dangerous|reckless|unfair|unacceptable|outrageous|wrong|right|vital|essential|"
    r"necessary|encouraging|disappointing|promising|impressive|ridiculous|absurd|"
    r"(?:(?:far|much|even)\s+)?(?:more|less)\s+(?:positive|sanguine|optimistic|pessimistic|"
    r"cautious|critical|enthusiastic|upbeat|gloomy)|divided|unimpressed|sanguine|upbeat|"
    r"a blow to|a surprise|a shock to|a boost for|a win for|about time)\b"
    r"|^\W*(?:here (?:is|are)|frankly|clearly|obviously|sadly|luckily|fortunately)\b",
    re.IGNORECASE,
)
# a call for information: "Anyone with information should call 101"
_APPEAL_RE = re.compile(
    r"^\W*(?:anyone|those|people|witnesses)\s+(?:with\s+information|who\s+(?:saw|witnessed|has|"
    r"have|knows?))\b[^.]*\b(?:should|is\s+asked|are\s+asked|can|may|to)\s+(?:call|contact|ring)",
    re.IGNORECASE,
)
_FIGURE_TYPES = frozenset("quantity percent money fraction".split())


def not_a_claim(wording: str, values: list[dict], list_item: bool) -> str | None:
    """Why a candidate is no claim, or ``None``: "appeal" (a call for information),
    "reaction" (praise, blame, insults: "X
    called the plan a disgrace"), "judgement" (a value judgement, "this represents a
    significant change"), "feeling" (a first-person feeling: "I'm glad it's open"),
    "fragment" (no verb; fact-box items aside). Judged on the
    wording; a figure keeps a reaction or a judgement a claim."""
    if _APPEAL_RE.search(wording):
        return "appeal"
    figures = any(v["type"] in _FIGURE_TYPES for v in values)
    if not figures and _REACTION_RE.search(wording):
        return "reaction"
    if not figures and _JUDGEMENT_RE.search(wording):
        return "judgement"
    if not figures and _MODAL_OPINION_RE.search(wording):
        return "judgement"  # "it should never have taken this long": hindsight, no fact
    if not figures and _FIRST_PERSON_RE.search(wording):
        return "feeling"  # '"I'm glad it's open," said Ana Pires': a speaker's feeling
    if not list_item and not has_verb(wording):
        return "fragment"
    return None


_MODALS = frozenset(
    "is are was were be been has have had will would can could may might must should shall "
    "do does did cannot can't won't don't doesn't didn't isn't aren't wasn't weren't hasn't "
    "haven't hadn't wouldn't couldn't shouldn't it's that's there's".split()
)
_NOT_VERB_S = frozenset(
    "this his its us yes less plus thus perhaps always sometimes news series whereas "
    "various previous serious famous hours days years weeks months miles metres".split()
)
_WORDS_RE = re.compile(r"[\w'’]+")


def has_verb(wording: str) -> bool:
    """Does ``wording`` have a finite verb (a tense, a modal, or a lower-case "-s" verb after
    a word that is no determiner: "the line carries", not "the animals")?"""
    words = _WORDS_RE.findall(wording)
    prev = ""
    for w in words:
        lw = w.lower().replace("’", "'")
        if lw in _MODALS or (_FINITE_RE.fullmatch(lw) and _is_past(lw)):
            return True
        if (
            prev
            and w[:1].islower()
            and len(lw) > 3
            and lw.endswith("s")
            and not lw.endswith(("ss", "us", "is", "'s", "ous", "ics"))
            and lw not in _NOT_VERB_S
            and prev.lower() not in _DETERMINERS
            and not prev[:1].isdigit()
        ):
            return True
        if (
            lw in _PLURAL_PRESENT
            and prev
            and not prev.lower().endswith("ly")  # "Actually pay federal income tax": no subject
            and prev.lower() not in _DETERMINERS
            and prev.lower() not in _NOT_BEFORE_PLURAL_VERB
        ):
            return True  # "About 130,000 people in Norland live with dementia"
        prev = w
    return False


# verbs in the plural present that news states figures with ("students come from", "a third
# of Norlanders take 7,000 steps"); after "to" or a determiner they are no finite verb
_PLURAL_PRESENT = frozenset(
    "live take come account make work earn pay use need own hold receive spend face remain "
    "stand lack include".split()
)
_NOT_BEFORE_PLURAL_VERB = frozenset("to not n't will would can could may might must".split())
