"""Doubtful rewrites: faithful before fluent. A rewrite that gives a clause a subject the
sentence does not clearly give it ("23 fell about 40 metres" for "Nine people were killed and
23 injured when a coach ... fell about 40 metres", "In a joint letter accused his office",
"The year was the fastest rise", "A construction company was fined ..., killing two workers"
where the collapse killed them) is replaced by the passage itself, tidied, with
``wording_source`` "quote", so that the review panel asks a person to check the wording."""

from __future__ import annotations

import re

from .grammar import _FINITE, _is_past
from .wording import tidy_quote

_PREPOSITIONS = frozenset(
    "in on at for after before during under with from by into over since among amid "
    "following".split()
)
_AUX = frozenset(
    "is are was were has have had will would can could may might must should did does do "
    "remain remains remained".split()
)
_TIME_WORDS = frozenset(
    "year years month months quarter quarters week weeks day days january february march "
    "april may june july august september october november december monday tuesday wednesday "
    "thursday friday saturday sunday decade season period".split()
)
_RANK_RE = re.compile(
    r"(?:the|a|an|its|their)\s+(?:[a-z]+est|first|last|only|most|least|biggest|largest|worst|"
    r"best|highest|lowest|fastest|slowest|record)\b"
)
_WORD_RE = re.compile(r"[\w'’-]+")
_DELAY_RE = re.compile(r"\b(?:than|later|earlier|ahead|behind|late|early|over budget)\b")
# "after a scaffold collapsed ...": a clause with a subject of its own
_SUBORDINATE_RE = re.compile(
    r"\b(?:after|when|because|as|while|since|before|where|which|who|that|until)\s+"
    r"(?:[\w'’-]+\s+){0,6}?(?:" + _FINITE + r")\b"
)
# "..., meaning that real wages grew": an inference from the whole sentence
_INFERENCE = frozenset(("meaning", "suggesting", "implying", "indicating"))
_REL_BEFORE_RE = re.compile(r",\s+(?:which|who|whom|that)\s+$")
_PRONOUN_SAID_RE = re.compile(r"(?:he|she|it|they|we|i)\s+(?:said|says|told|believes|thinks)\b")


def _verb_first(quote: str) -> bool:
    """Does ``quote`` open with a verb (its subject left out: "accused his office of ...")?"""
    m = _WORD_RE.match(quote)
    if m is None:
        return False
    w = m.group(0)
    if not w[:1].islower():
        return False
    return w in _AUX or _is_past(w)


def doubt(claim: dict, text: str) -> str | None:
    """Why the rewritten wording of ``claim`` names a subject the sentence does not clearly
    give its clause, or ``None``."""
    wording, quote = claim["text"], claim["quote"].strip(" \"“”'‘’")
    core = quote.rstrip(".!?…")
    if len(core) < 8:
        return None
    at = wording.find(core[1:])
    if at < 1 or wording[at - 1].casefold() != core[0].casefold():
        return None  # the wording does not carry the passage as it stands
    at -= 1
    prefix = wording[:at].strip()
    if not prefix or prefix.endswith(("said", "says", "that", ":")):
        return None  # a source named before the passage ("X said ...")
    words = _WORD_RE.findall(prefix)
    if not words:
        return None
    start = claim["start"]
    before = text[max(claim["sentence_start"], start - 300) : start]
    if _verb_first(quote) and not wording[at - 2 : at].startswith(","):
        # the prefix is the subject given to a verb phrase
        if words[0].lower() in _PREPOSITIONS:
            return "a phrase, not a subject"  # "In a joint letter accused his office"
        if len(words) == 1 and words[0][:1].isdigit():
            return "a number, not a subject"  # "23 fell about 40 metres into a ravine"
    if _REL_BEFORE_RE.search(before) and prefix[-1:] != ",":
        # a relative clause worded with its antecedent
        if _PRONOUN_SAID_RE.match(quote.lower()):
            return "the relative is the object"  # "which she said it had done"
    m = re.fullmatch(r"(?P<ant>.+?)\s+(?:is|was)\s*", prefix + " ")
    if (
        m
        and (_RANK_RE.match(quote) or _DELAY_RE.search(quote))
        and m.group("ant").split()[-1].lower() in _TIME_WORDS
    ):
        # "Rents were up 6.3% on the year, the fastest rise since ...": the figure's rank;
        # "reopened on Friday, a year later than planned": the reopening was late, not Friday
        return "a rank given to a time"
    first = quote.split(" ", 1)[0]
    if first.endswith("ing") and first not in _INFERENCE and prefix.endswith(","):
        # "..., killing two workers": the participle hangs on the nearest clause; when
        # another clause stands between it and the one the wording gives it, which did it?
        last = _WORD_RE.findall(prefix)[-3:]
        found = list(re.finditer(r"\W+".join(re.escape(w) for w in last), before))
        if found and _SUBORDINATE_RE.search(before, found[-1].end()):
            return "the participle may hang on another clause"
    return None


def apply(text: str, claims: list[dict]) -> list[dict]:
    """``claims`` with each doubtful rewrite (see :func:`doubt`) worded as its passage."""
    for c in claims:
        if c.get("wording_source") != "rewritten" or doubt(c, text) is None:
            continue
        c["text"] = tidy_quote(c["quote"])
        c["wording_source"] = "quote"
        c["wording_spans"] = [[c["start"], c["end"]]]
    return claims
