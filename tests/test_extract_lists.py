"""Lists inside a clause (factcheck.extract.lists), one table each."""

from __future__ import annotations

import pytest

from factcheck.extract.lists import _figure_list, figure_subject_list


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        ("36% picked Holst, 34% Ekdal and 30% Vik", ["34% picked Ekdal", "30% picked Vik"]),
        (
            "$1.1 million had been used to buy a villa and $400,000 to pay off the mortgage",
            ["$400,000 had been used to pay off the mortgage"],
        ),
        ("36% picked Holst and the rest stayed home", None),  # no figure opens the item
        ("Exports rose 4% and imports 2%", None),  # a figure does not open the clause
        ("36% said they would vote, 20% were undecided", None),  # the item has its own verb
    ],
)
def test_figure_subject_list(quote: str, expected: list[str] | None) -> None:
    found = figure_subject_list(quote)
    assert (None if found is None else [w for _, _, w in found[1]]) == expected


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        ("The poll put Abel at 44%, Reinholt at 41% and Moll at 9%", 2),
        # an adjunct after the list ends it
        ("The poll put Abel on 44% and Reinholt on 41%, within the margin of error", 1),
        ("The poll put Abel on 44% and Reinholt on 41%, the best result of all", None),
    ],
)
def test_figure_list_items(quote: str, expected: int | None) -> None:
    found = _figure_list(quote)
    assert (None if found is None else len(found[1])) == expected
