"""The coordination steps (factcheck.extract.coordination), one table each."""

from __future__ import annotations

import pytest

from factcheck.extract.coordination import (
    conjunct_wording,
    has_present_verb,
    infinitive_frame,
    is_conjunct_verb,
    present_subject,
    shared_aux,
)
from factcheck.extract.subordinates import time_clause


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("taken", True),  # a participle
        ("charged", True),
        ("fell", True),
        ("cuts", True),  # a present-tense verb, four letters
        ("employs", True),
        ("was", True),
        ("the", False),
        ("process", False),
        ("bus", False),
    ],
)
def test_is_conjunct_verb(word: str, expected: bool) -> None:
    assert is_conjunct_verb(word, frozenset(("was", "were"))) is expected


@pytest.mark.parametrize(
    ("clause", "subject", "expected"),
    [
        ("The man had been arrested", "The man", "had been"),
        ("The man was not arrested", "The man", "was"),
        ("The man fled", "The man", ""),
        ("Someone else was here", "The man", ""),
    ],
)
def test_shared_aux(clause: str, subject: str, expected: str) -> None:
    assert shared_aux(clause, subject) == expected


@pytest.mark.parametrize(
    ("clause", "subject", "conj", "expected"),
    [
        ("A guard was struck", "A guard", "taken to hospital", "A guard was taken to hospital"),
        ("The man was held", "The man", "charged with theft", "The man was charged with theft"),
        # an object after the -ed verb: active, no auxiliary
        ("The firm was sold", "The firm", "closed two plants", "The firm closed two plants"),
        # a simple past form never takes the auxiliary
        ("The man was seen", "The man", "fled on foot", "The man fled on foot"),
        # the perfect is shared
        (
            "The firm has cut jobs",
            "The firm",
            "closed two plants",
            "The firm has closed two plants",
        ),
        ("The firm cut jobs", "The firm", "closed two plants", "The firm closed two plants"),
    ],
)
def test_conjunct_wording(clause: str, subject: str, conj: str, expected: str) -> None:
    assert conjunct_wording(clause, subject, conj) == expected


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("The council voted on Tuesday to ban kiosks", "The council voted on Tuesday "),
        ("Prices rose from 3% to 4%", None),  # "to 4%" is no infinitive
        ("He went to the station", None),
        ("She promised to freeze rents", "She promised "),
    ],
)
def test_infinitive_frame(clause: str, expected: str | None) -> None:
    assert infinitive_frame(clause) == expected


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("The budget raises the top rate of tax", "The budget"),
        ("It employs 2,100 people", "It"),
        ("The town's debt stands at 610 million", "The town's debt"),
        ("Prices rose 3%", None),
        ("the ministry said it was cutting the rate", None),
    ],
)
def test_present_subject(clause: str, expected: str | None) -> None:
    assert present_subject(clause) == expected


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("the town's debt stands at 610 million crowns", True),
        ("social care now takes up almost a third", True),
        ("that pupils at private schools", False),
        ("exports to the union", False),
    ],
)
def test_has_present_verb(clause: str, expected: bool) -> None:
    assert has_present_verb(clause) is expected


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        ("nearly two years after a storm tore away two spans", "a storm tore away two spans"),
        ("two weeks before the collapse", "the collapse"),  # no clause: the caller checks
        ("a year after it opened", None),  # a pronoun: the opening clause is kept
        ("days after losing the vote", None),
        ("on Friday", None),
    ],
)
def test_time_clause(quote: str, expected: str | None) -> None:
    assert time_clause(quote) == expected
