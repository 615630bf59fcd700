"""What is not a claim: opinions, first-person feelings, facts repeated from earlier sentences."""

from __future__ import annotations

import re

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
