"""Check-worthiness scoring with the shipped logistic-regression weights (pure Python).

The weights in ``model.json`` were trained by :mod:`factcheck.extract.train` on the
CheckThat! 2024 task 1 English training data, which is built on the ClaimBuster
dataset (Arslan, Hassan, Li and Tremayne, "A Benchmark Dataset of Check-worthy
Factual Claims", ICWSM 2020), released under CC BY 4.0 (Zenodo record 3836810).
The model uses word unigrams/bigrams and five-letter word prefixes seen in at least
five training sentences plus generic cue features (numbers, dates, comparisons,
attributions, hedges, questions, ...), so it cannot memorise individual sentences.

It also averages word vectors over the sentence: at training time each vocabulary word
has a 384-d vector from all-MiniLM-L6-v2 (the mean of its contextual token vectors in the
training sentences, or, for words they rarely use, its vector embedded alone mapped into that
space) and the model learns one weight vector over their mean. As the mean is linear, the
shipped file keeps only each word's projection on that weight vector (``word_weights``, one
number per word), and the sentence adds the sum of its words' numbers divided by its word
count. Words never seen in training still get a value from the embedding (the vocabulary
includes the teacher's whole-word vocabulary), which helps with debates newer than the
training data.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

from .features import sentence_features_words

__all__ = ["MODEL_PATH", "Model", "load_model", "score_sentences", "DEFAULT_THRESHOLD"]

MODEL_PATH = Path(__file__).with_name("model.json")
DEFAULT_THRESHOLD = 0.5


class Model:
    """A linear model over sparse sentence features and per-word numbers averaged over the
    sentence's words; ``score`` returns a probability."""

    def __init__(
        self,
        weights: dict[str, float],
        bias: float,
        threshold: float = 0.5,
        meta: dict | None = None,
        word_weights: dict[str, float] | None = None,
    ):
        self.weights = weights
        self.bias = bias
        self.threshold = threshold
        self.meta = meta or {}
        self.word_weights = word_weights or {}

    def logit(self, sentence: str) -> float:
        """Raw linear score of one sentence."""
        feats, words = sentence_features_words(sentence)
        w = self.weights
        z = self.bias
        for f in feats:
            z += w.get(f, 0.0)
        if words:
            ww = self.word_weights
            zw = 0.0
            for t in words:
                zw += ww.get(t, 0.0)
            z += zw / len(words)
        return z

    def score(self, sentence: str) -> float:
        """Check-worthiness probability of one sentence, 0..1."""
        return _sigmoid(self.logit(sentence))


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> Model:
    """Load weights from ``path`` (default: the shipped ``model.json``); a neutral model if missing."""  # noqa: E501
    p = Path(path) if path else MODEL_PATH
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Model({}, 0.0)
    return Model(
        {k: float(v) for k, v in data.get("weights", {}).items()},
        float(data.get("bias", 0.0)),
        float(data.get("threshold", DEFAULT_THRESHOLD)),
        data.get("meta", {}),
        {k: float(v) for k, v in data.get("word_weights", {}).items()},
    )


def score_sentences(sentences: list[str]) -> list[float]:
    """Return the check-worthiness score (0..1, 4 decimals) of each sentence, in order."""
    m = load_model()
    return [round(m.score(s if isinstance(s, str) else str(s)), 4) for s in sentences]
