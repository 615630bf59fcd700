"""Restrictive relative clauses (factcheck.extract.relatives), one table each."""

from __future__ import annotations

import pytest

from factcheck.extract.relatives import relative_kind, relative_noun, relative_wording


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("They paid for work that was never carried out", "subj"),
        ("They approved a budget that raises the tax by 4%", "subj"),
        ("It came in an e-mail that the site office never answered", "obj"),
        ("They seized a home that prosecutors said had been bought with bribes", "obj"),
        ("It was below the 3.3% that economists had expected", "obj"),
        ("He told the court in September that he had paid 20,000", None),
        ("She said on Tuesday that prices rose", None),
        ("The target is that no patient waits", None),
        ("There is a risk that prices rise", None),  # a content noun: what the risk is
        ("He left so that nobody saw him", None),
        ("They lived at that time in Dolec", None),  # "that" as a determiner
        ("Pupils said that prosecutors were wrong", None),
        # found on debate sentences (ct24), where these were misread
        ("I have learned from them that people do have tough times", None),  # a pronoun
        ("Other matters are sensible that are the kind of reforms", None),  # an adjective
        ("He said, too, that when Kennedy refers to it, there are eight", None),  # ", that"
        ("There is little difference in the budget that I proposed and the plan", None),
    ],
)
def test_relative_kind(sentence: str, expected: str | None) -> None:
    at = sentence.index(" that ") + 1
    assert relative_kind(sentence, at, len(sentence)) == expected


@pytest.mark.parametrize(
    ("noun", "clause", "kind", "expected"),
    [
        ("work", "was never carried out", "subj", "work was never carried out"),
        (
            "an e-mail",
            "the site office never answered",
            "obj",
            "the site office never answered an e-mail",
        ),
        (
            "a home",
            "prosecutors said had been bought with bribes",
            "obj",
            "prosecutors said a home had been bought with bribes",
        ),
    ],
)
def test_relative_wording(noun: str, clause: str, kind: str, expected: str) -> None:
    assert relative_wording(noun, clause, kind) == expected


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("the confiscation of a holiday home", "a holiday home"),
        ("a holiday home on the island of Varno", "a holiday home on the island of Varno"),
        ("the sale of two ferries", "two ferries"),
        ("a part of an administration", "an administration"),
        (
            "the Justice Department in making Illinois implement a motor voter law",
            "a motor voter law",
        ),
    ],
)
def test_relative_noun(phrase: str, expected: str) -> None:
    assert relative_noun(phrase) == expected
