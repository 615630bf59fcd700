"""The character n-gram candidate of bench/cv_checkworthy.py: its n-grams and its scoring."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location(
    "cv_checkworthy", ROOT / "bench" / "cv_checkworthy.py"
)
cv = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cv)


def test_char_ngrams_pad_each_word() -> None:
    assert cv.char_ngrams("I  do") == [" i", "i ", " i ", " d", "do", "o ", " do", "do ", " do "]


def test_char_ngrams_lowercase_and_lengths() -> None:
    assert cv.char_ngrams("Tax") == [
        *[" t", "ta", "ax", "x "],
        *[" ta", "tax", "ax "],
        *[" tax", "tax "],
        " tax ",
    ]
    assert cv.char_ngrams("") == [] and cv.char_ngrams("  \n ") == []


def test_char_ngrams_keep_repeats() -> None:
    assert cv.char_ngrams("no no").count(" no ") == 2


def test_char_ngrams_match_scikit_learn() -> None:
    text = pytest.importorskip("sklearn.feature_extraction.text")  # train extra
    analyzer = text.TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5)).build_analyzer()
    for s in ["Unemployment fell to 3.5% in 2019.", "We’re   not going\tback!", "a b", "x"]:
        assert sorted(cv.char_ngrams(s)) == sorted(analyzer(s))


def test_char_logit_is_unit_length_tf_idf() -> None:
    table = {" a ": (2.0, 1.0), " b ": (1.0, -1.0)}
    # "a b a": " a " twice, (1 + log 2) * 2; " b " once, 1 * 1; the other n-grams are unknown
    va, vb = (1.0 + math.log(2)) * 2.0, 1.0
    assert cv.char_logit(table, "a b a") == pytest.approx((va - vb) / math.hypot(va, vb))
    assert cv.char_logit(table, "a") == pytest.approx(1.0)  # one known n-gram: its weight
    assert cv.char_logit(table, "zzz") == 0.0  # nothing known: no term


def test_char_logit_ignores_a_common_idf_factor() -> None:
    a = {" tax": (1.5, 0.4), "tax ": (2.0, -0.1), "cut ": (3.0, 0.7)}
    b = {g: (idf * 3, w) for g, (idf, w) in a.items()}
    assert cv.char_logit(a, "tax cut") == pytest.approx(cv.char_logit(b, "tax cut"))


def test_char_fit_matches_scikit_learn() -> None:
    pytest.importorskip("sklearn")  # train extra
    texts = ["taxes rose 5%", "thank you all", "taxes fell", "good night", "jobs rose"] * 3
    labels = [1, 0, 1, 0, 1] * 3
    table, bias = cv.char_fit(texts, labels, 1.0)
    assert " tax" in table and all(len(v) == 2 for v in table.values())
    # the pure-Python term ranks the check-worthy texts first, as the fitted model does
    z = [bias + cv.char_logit(table, t) for t in texts[:5]]
    assert min(z[0], z[2], z[4]) > max(z[1], z[3])


def test_news_signals2_tell_attributed_fact_from_attributed_opinion() -> None:
    from factcheck.extract.features import sentence_features

    def signals(s: str) -> set[str]:
        return {k for k in cv.news_signals2(s, sentence_features(s)) if k.startswith("n:")}

    fact = signals("Exports fell 12% in March, the ministry said.")
    assert {"n:rep*num", "n:date*num"} <= fact and "n:rep*eval" not in fact
    opinion = signals("The mayor said the plan was reckless and unfair.")
    assert "n:rep*eval" in opinion and "n:rep*num" not in opinion
    assert "n:we*will" in signals("We will cut taxes for every family.")
    assert "n:rep*plain" in signals("She said she was ready to meet the union.")


def test_nb_ratios_favour_the_class_a_feature_comes_with() -> None:
    r = cv.nb_ratios([{"a": 1.0}, {"a": 1.0, "b": 1.0}, {"b": 1.0}], [1, 1, 0])
    assert r["a"] > 0 > r["b"]


def test_cue_adjustment_is_what_the_score_adds_to_the_logit() -> None:
    from factcheck.extract.model import load_model
    from factcheck.extract.score import _score, cue_adjustment, squash

    for text, quote, kinds in [
        ("Exports fell 12% in March", "exports fell 12% in March", ["quantity", "time"]),
        ("Is this a disgrace?", "Is this a disgrace?", ["other"]),
        ("The turnout figure", "The turnout figure", ["other"]),
    ]:
        z = load_model().logit(text) + cue_adjustment(quote, kinds)
        assert _score(text, quote, kinds) == squash(z)
    assert cue_adjustment("Is it true?", ["other"]) < cue_adjustment("It rose 5%", ["quantity"])
