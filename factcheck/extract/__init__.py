"""Claim extraction for factcheck: segments, atomic check-worthy claims with exact spans, scores.

Public API (stable)::

    from factcheck.extract import split_sentences, extract_claims, score_sentences

Pure Python and standard library only at run time. The check-worthiness weights
(``model.json``) were trained on the CheckThat! 2024 task 1 English data, built on
the ClaimBuster dataset (Arslan, Hassan, Li and Tremayne, ICWSM 2020), CC BY 4.0.
"""

from __future__ import annotations

from .claims import claim_spans
from .model import score_sentences
from .parse_steps import extract_claims  # the rules, then the optional parse step
from .segment import Segment, split_sentences
from .values import find_values

__all__ = [
    "Segment",
    "split_sentences",
    "extract_claims",
    "score_sentences",
    "claim_spans",
    "find_values",
]
