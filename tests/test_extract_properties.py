"""Property-based tests: extraction never raises and its output is always consistent."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.extract import extract_claims, score_sentences, split_sentences

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces of news-like text mixed with hostile characters.
FRAGMENTS = st.sampled_from(
    [
        "The council voted 7-2 on Tuesday.",
        " Prices rose 3.5% in 2024, ",
        "which killed about 40 people",
        "Dr.",
        "U.S.",
        " e.g. ",
        "...",
        "…",
        "\u201c",
        "\u201d",
        '"',
        "'",
        "(",
        ")",
        "\n",
        "\r\n",
        "\r",
        "\u2028",
        "\x00",
        "\ufeff",
        "😀",
        "👩‍👩‍👧",
        "e\u0301",
        "\u0645\u0631\u062d\u0628\u0627",
        "\u05e9\u05dc\u05d5\u05dd",
        "\u202e",
        ", the first since January 2025,",
        " and caused ",
        " — ",
        ";",
        "By Jane Doe\n",
        "$1.2 billion",
        "tens of thousands",
        "last December",
        "around a hundred",
        "?",
        "!",
        " ",
        "\t",
        "1.",
        "- ",
    ]
)
TEXTS = st.one_of(st.text(max_size=400), st.lists(FRAGMENTS, max_size=60).map("".join))


def _check(text: str) -> None:
    claims = extract_claims(text, published="2025-06-01")
    keys = [(c["start"], c["end"]) for c in claims]
    assert keys == sorted(set(keys))
    for c in claims:
        assert text[c["start"] : c["end"]] == c["quote"]
        assert 0 <= c["sentence_start"] <= c["start"] < c["end"] <= c["sentence_end"] <= len(text)
        assert 0.0 <= c["score"] <= 1.0
    assert extract_claims(text, published="2025-06-01") == claims


@SETTINGS
@given(TEXTS)
def test_extract_claims_properties(text: str) -> None:
    _check(text)


@SETTINGS
@given(TEXTS)
def test_split_sentences_properties(text: str) -> None:
    segs = split_sentences(text)
    prev = 0
    for s in segs:
        assert prev <= s.start < s.end <= len(text)
        assert s.end - s.start <= 600
        assert not text[s.start].isspace() and not text[s.end - 1].isspace()
        prev = s.end


@SETTINGS
@given(st.lists(st.text(max_size=80), max_size=10))
def test_score_sentences_properties(sentences: list[str]) -> None:
    scores = score_sentences(sentences)
    assert len(scores) == len(sentences)
    assert all(0.0 <= s <= 1.0 for s in scores)


def test_one_megabyte_without_full_stop() -> None:
    text = ("word and more words, " * 50_000)[:1_000_000]
    _check(text)
    assert all(s.end - s.start <= 600 for s in split_sentences(text))


def test_one_megabyte_without_any_space() -> None:
    text = "x" * 1_000_000
    segs = split_sentences(text)
    assert segs and all(s.end - s.start <= 600 for s in segs)
    _check(text[:50_000])
