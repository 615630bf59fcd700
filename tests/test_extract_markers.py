"""Where a sentence splits (factcheck.extract.markers) and whether an adjunct is a clause of
its own (factcheck.extract.subordinates), one table each."""

from __future__ import annotations

import pytest

from factcheck.extract.claimant import _Attr
from factcheck.extract.markers import find_cuts
from factcheck.extract.subordinates import _clause_start, _subordinate


@pytest.mark.parametrize(
    ("sentence", "types"),
    [
        ("Sales rose 4% and profits fell 2% in 2025.", ["semi"]),
        ("The man was arrested on Friday and charged with theft.", ["andv"]),
        ("The council voted to ban kiosks and to cap stalls at 12.", ["andto"]),
        ("The fine was cut because of its plea and because it paid 2 million.", ["sub", "andsub"]),
        ("Jobs accounted for most of the rise: the public sector added 31,000.", ["semi"]),
        ("Work was paid for that was never carried out.", []),  # no verb before: the subject's
        ("They paid 146 firms for work that was never carried out.", ["rrel"]),
        ("The mayor and the governor denied it on Monday.", []),  # one subject, one verb
        ("Exports rose 4% and imports 2%.", []),  # a gapped list: lists.py splits it
        # found on debate sentences (ct24): a plural noun after "and" is no second verb when
        # the clause before has no verb like it; "and by the way" is no second agent
        ("Strength must also require wisdom and smarts in its exercise.", []),
        ("It is so outplayed by Putin and Assad, and by the way by Iran.", []),
        (
            "I think that the Iraqi government and our allies and everybody else launched the "
            "attack.",
            [],
        ),
    ],
)
def test_find_cuts(sentence: str, types: list[str]) -> None:
    cuts = find_cuts(sentence, 0, len(sentence) - 1, _Attr(""), [])
    assert [t for _, _, t in cuts] == types


@pytest.mark.parametrize(
    ("rest", "expected"),
    [
        ("talks on a new deal collapsed", True),  # a preposition inside the subject
        ("a storm damaged the cranes", True),
        ("in 2019", False),
        ("a failed investment", False),
    ],
)
def test_clause_start(rest: str, expected: bool) -> None:
    assert _clause_start(rest) is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("It fell because of staff shortages", True),
        ("The jobs are permanent, as agreed in a deal last year", True),
        ("It was jailed for diverting money", True),
        ("It stayed for two days", False),
        ("It works as well as before", False),
    ],
)
def test_subordinate(sentence: str, expected: bool) -> None:
    for word in ("because", "as agreed", "for", "as well"):
        at = sentence.find(" " + word)
        if at >= 0:
            break
    assert _subordinate(sentence, at + 1, len(sentence)) is expected
