"""The optional parse step of claim extraction (EXTRACT_PARSER, factcheck/extract/parse_steps.py).

The default, "rules", never loads spaCy; "spacy" without spaCy installed falls back to the
rules. The tests of what the parse step does are skipped, with the reason, where spaCy or its
model is not installed (CI installs only ``.[test]``).
"""

from __future__ import annotations

import pytest

from factcheck import create_app
from factcheck.extract import claims as rules
from factcheck.extract import extract_claims, parse_steps
from factcheck.extract import parse as P

needs_spacy = pytest.mark.skipif(
    not P.available(),
    reason="spaCy and its English model are not installed (the `parse` extra: "
    "pip install -e '.[parse]')",
)

ELECTION = (
    "Local elections were held in Solvik on Sunday. The far-right Homeland list lost both its "
    "seats, and the Left Alliance kept its three seats."
)
BRASK = "Brask, a town of about 31,000 people, has cut its library opening hours twice since 2022."


@pytest.fixture(autouse=True)
def no_configured_parser(monkeypatch):
    monkeypatch.setattr(parse_steps, "_configured", None)
    monkeypatch.delenv(parse_steps.PARSER_ENV, raising=False)


def test_the_default_is_the_rules_and_never_loads_spacy(monkeypatch):
    def refuse():
        raise AssertionError("the rules must not load spaCy")

    monkeypatch.setattr(P, "load", refuse)
    assert parse_steps.current_parser() == "rules"
    assert extract_claims(ELECTION) == rules.extract_claims(ELECTION)


def test_the_setting_env_and_argument(monkeypatch):
    monkeypatch.setenv(parse_steps.PARSER_ENV, "spacy")
    assert parse_steps.current_parser() == "spacy"
    monkeypatch.setenv(parse_steps.PARSER_ENV, "nonsense")
    assert parse_steps.current_parser() == "rules"
    parse_steps.configure("spacy")
    assert parse_steps.current_parser() == "spacy"
    parse_steps.configure("rules")
    assert parse_steps.current_parser() == "rules"


def test_create_app_configures_the_parser(tmp_path):
    create_app({"TESTING": True, "DATABASE": str(tmp_path / "c.db"), "EXTRACT_PARSER": "spacy"})
    assert parse_steps.current_parser() == "spacy"
    create_app({"TESTING": True, "DATABASE": str(tmp_path / "c.db")})
    assert parse_steps.current_parser() == "rules"


def test_spacy_missing_falls_back_to_the_rules(monkeypatch, caplog):
    def unavailable(text):
        raise P.ParserUnavailable("spaCy parse unavailable (test)")

    monkeypatch.setattr(P, "parse", unavailable)
    monkeypatch.setattr(parse_steps, "_warned", False)
    with caplog.at_level("WARNING"):
        got = extract_claims(ELECTION, parser="spacy")
        again = extract_claims(BRASK, parser="spacy")
    assert got == rules.extract_claims(ELECTION)
    assert again == rules.extract_claims(BRASK)
    assert sum("extracting with the rules" in r.message for r in caplog.records) == 1


@needs_spacy
def test_coordinated_clauses_become_two_claims():
    got = extract_claims(ELECTION, parser="spacy")
    assert [c["text"] for c in got] == [
        "Local elections were held in Solvik on Sunday",
        "The far-right Homeland list lost both its seats",
        "The Left Alliance kept its three seats",
    ]
    for c in got:
        assert ELECTION[c["start"] : c["end"]] == c["quote"]
        assert c["wording_source"] == "rewritten"
    # (the rules split this sentence themselves since the atomic lane's coordination work;
    # the parse step then adds nothing, and never a second claim for the same span)
    assert len({(c["start"], c["end"]) for c in got}) == len(got)


@needs_spacy
def test_an_apposition_describing_a_name_is_a_claim_of_its_own():
    got = extract_claims(BRASK, parser="spacy")
    town = [c for c in got if c["quote"] == "a town of about 31,000 people"]
    assert len(town) == 1
    c = town[0]
    assert c["text"] == "Brask is a town of about 31,000 people"
    assert c["claimant"] is None  # the article's own description
    # (the rules now word this apposition themselves; the step then adds no second one)
    assert any(a <= 0 and len("Brask") <= b for a, b in c["wording_spans"])
    assert any(x["quote"].startswith("Brask, a town") for x in got)  # the main claim stays


@needs_spacy
def test_direct_speech_and_a_misparse_are_not_split():
    text = 'Nadia Rusk said: "Every year it goes up and every year the trains get worse."'
    assert extract_claims(text, parser="spacy") == extract_claims(text, parser="rules")
