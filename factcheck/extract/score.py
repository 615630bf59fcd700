"""Check-worthiness score of a claim: the model's logit plus kind cues, minus opinion cues."""

from __future__ import annotations

import math

from .filters import _FIRST_PERSON_RE, _MODAL_OPINION_RE, _OPINION_RE
from .grammar import _VERB_HINT_RE
from .model import load_model

_CUE_WEIGHTS = {
    "quantity": 0.9,
    "time": 0.5,
    "superlative": 0.4,
    "comparison": 0.3,
    "causal": 0.5,
    "event": 0.2,
}


def cue_adjustment(quote: str, kinds: list[str]) -> float:
    """What the extractor's cues add to the model's logit: its kinds (a quantity, a date ...)
    raise it; a question, an opinion or feeling, a fragment without a verb lower it."""
    z = 0.0
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
    return z


def squash(z: float) -> float:
    """The probability of a logit (clipped to +-30)."""
    z = max(-30.0, min(30.0, z))
    return 1.0 / (1.0 + math.exp(-z))


def _score(text: str, quote: str, kinds: list[str]) -> float:
    return squash(load_model().logit(text) + cue_adjustment(quote, kinds))
