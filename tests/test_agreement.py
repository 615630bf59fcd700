"""Tests for factcheck.agreement (hand-computed tables + the `krippendorff` package)."""

from __future__ import annotations

import math
import random

import pytest

from factcheck.agreement import (
    agreement_summary,
    claim_agreement,
    is_disagreement,
    krippendorff_alpha,
    ordinal_order,
    pairwise_agreement,
    percent_agreement,
)

ORDER = ["false", "mostly-false", "half", "mostly-true", "true"]

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", 4 observers x 12 units.
_TEXTBOOK = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]
TEXTBOOK = [
    (u, c, v) for c, row in enumerate(_TEXTBOOK) for u, v in enumerate(row) if v is not None
]


def triples(units: dict) -> list[tuple]:
    """{unit: [v_coder0, v_coder1, ...]} -> triples (None = missing)."""
    return [(u, c, v) for u, vs in units.items() for c, v in enumerate(vs) if v is not None]


@pytest.mark.parametrize(
    ("ratings", "level", "order", "expected"),
    [
        pytest.param(TEXTBOOK, "nominal", None, 0.743, id="textbook-nominal"),
        pytest.param(TEXTBOOK, "ordinal", [1, 2, 3, 4, 5], 0.815, id="textbook-ordinal"),
        # u1 a,a; u2 a,b: o_aa=2, o_ab=o_ba=1, n_a=3, n_b=1 -> 1 - 3*2/6 = 0
        pytest.param(triples({1: ["a", "a"], 2: ["a", "b"]}), "nominal", None, 0.0, id="zero"),
        # systematic disagreement: 1 - 3*4/8
        pytest.param(triples({1: ["a", "b"], 2: ["b", "a"]}), "nominal", None, -0.5, id="negative"),
        pytest.param(
            triples({1: ["a", "a"], 2: ["b", "b"], 3: ["a", "a", "a"]}),
            "nominal",
            None,
            1.0,
            id="perfect",
        ),
        # u1 1,2; u2 2,3: n=(1,2,1); d2(1,2)=d2(2,3)=2.25, d2(1,3)=9; Do=9, De=36 -> 1-3*9/36
        pytest.param(
            triples({1: [1, 2], 2: [2, 3]}), "ordinal", [1, 2, 3], 0.25, id="ordinal-hand"
        ),
        pytest.param(triples({1: [1, 2], 2: [2, 3]}), "nominal", None, -0.2, id="nominal-hand"),
        # a value off the ordinal scale is missing for ordinal alpha
        pytest.param(
            triples({1: [1, 2, "x"], 2: [2, 3], 3: ["x", 1]}),
            "ordinal",
            [1, 2, 3],
            0.25,
            id="ordinal-offscale",
        ),
        # unused categories in `order` still count in the ordinal distances (n_g = 0)
        pytest.param(
            triples({1: [1, 3], 2: [3, 3], 3: [1, 1]}),
            "ordinal",
            [1, 2, 3],
            4 / 9,
            id="ordinal-gap",
        ),
        pytest.param(
            triples({1: [1, 3], 2: [3, 3], 3: [1, 1]}), "ordinal", [1, 3], 4 / 9, id="ordinal-nogap"
        ),
    ],
)
def test_alpha_hand_computed(ratings, level, order, expected):
    assert krippendorff_alpha(ratings, level, order) == pytest.approx(expected, abs=5e-4)


@pytest.mark.parametrize(
    ("ratings", "level", "order"),
    [
        pytest.param([], "nominal", None, id="empty"),
        pytest.param(triples({1: ["a"], 2: ["b"], 3: ["a"]}), "nominal", None, id="singletons"),
        pytest.param(
            triples({1: ["a", "a"], 2: ["a", "a", "a"]}), "nominal", None, id="one-category"
        ),
        pytest.param(triples({1: ["x", "y"], 2: ["y", "x"]}), "ordinal", [1, 2], id="all-offscale"),
        pytest.param(triples({1: [1, None], 2: [None, 2]}), "nominal", None, id="no-overlap"),
    ],
)
def test_alpha_undefined(ratings, level, order):
    assert krippendorff_alpha(ratings, level, order) is None


def test_alpha_last_rating_per_coder_wins():
    ratings = [(1, "a", "x"), (1, "b", "y"), (1, "b", "x"), (2, "a", "y"), (2, "b", "y")]
    assert krippendorff_alpha(ratings) == 1.0


def test_alpha_accepts_generator_and_rejects_bad_level():
    assert krippendorff_alpha(iter(TEXTBOOK)) == pytest.approx(0.743, abs=5e-4)
    with pytest.raises(ValueError):
        krippendorff_alpha(TEXTBOOK, "interval")
    with pytest.raises(ValueError):
        krippendorff_alpha(TEXTBOOK, "ordinal")


def _random_case(seed: int):
    rng = random.Random(seed)
    n_coders = rng.randint(2, 6)
    n_units = rng.randint(3, 60)
    k = rng.randint(2, 5)
    order = ORDER[:k]
    values = [*order, "misleading", "unverifiable"][: k + rng.randint(0, 2)]
    p_missing = rng.choice([0.0, 0.2, 0.5])
    ratings = []
    for u in range(n_units):
        for c in range(n_coders):
            if rng.random() >= p_missing:
                ratings.append((u, f"coder{c}", rng.choice(values)))
    return ratings, order, values, n_coders, n_units


def _package_alpha(krippendorff, np, ratings, n_coders, n_units, domain, level):
    index = {v: i for i, v in enumerate(domain)}
    data = np.full((n_coders, n_units), np.nan)
    for u, c, v in ratings:
        if v in index:
            data[int(c[5:]), u] = index[v]
    try:
        value = krippendorff.alpha(
            reliability_data=data, level_of_measurement=level, value_domain=list(range(len(domain)))
        )
    except (ValueError, ZeroDivisionError):
        return None
    return None if math.isnan(value) or math.isinf(value) else value


@pytest.mark.parametrize("seed", range(40))
def test_alpha_matches_krippendorff_package(seed):
    krippendorff = pytest.importorskip("krippendorff")
    np = pytest.importorskip("numpy")
    ratings, order, values, n_coders, n_units = _random_case(seed)
    with np.errstate(all="ignore"):
        nominal = _package_alpha(krippendorff, np, ratings, n_coders, n_units, values, "nominal")
        ordinal = _package_alpha(krippendorff, np, ratings, n_coders, n_units, order, "ordinal")
    ours_nominal = krippendorff_alpha(ratings, "nominal")
    ours_ordinal = krippendorff_alpha(ratings, "ordinal", order)
    if nominal is None:
        assert ours_nominal is None
    else:
        assert ours_nominal == pytest.approx(nominal, abs=1e-9)
    if ordinal is None:
        assert ours_ordinal is None
    else:
        assert ours_ordinal == pytest.approx(ordinal, abs=1e-9)


def test_textbook_matches_krippendorff_package():
    krippendorff = pytest.importorskip("krippendorff")
    np = pytest.importorskip("numpy")
    data = np.array([[np.nan if v is None else v for v in row] for row in _TEXTBOOK], dtype=float)
    for level, order in (("nominal", None), ("ordinal", [1, 2, 3, 4, 5])):
        expected = krippendorff.alpha(reliability_data=data, level_of_measurement=level)
        assert krippendorff_alpha(TEXTBOOK, level, order) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("units", "expected"),
    [
        pytest.param({}, None, id="empty"),
        pytest.param({1: ["a"], 2: ["b"]}, None, id="singletons"),
        pytest.param({1: ["a", "a"]}, 1.0, id="one-agreeing"),
        pytest.param({1: ["a", "b"]}, 0.0, id="one-disagreeing"),
        pytest.param({1: ["a", "a", "a"], 2: ["a", "a", "b"]}, (1 + 1 / 3) / 2, id="three-coders"),
        pytest.param({1: ["a", "b"], 2: ["c", "c"], 3: ["z"]}, 0.5, id="singleton-ignored"),
        pytest.param({1: ["a", None, "a"], 2: [None, "b", "b"]}, 1.0, id="missing"),
    ],
)
def test_percent_agreement(units, expected):
    result = percent_agreement(triples(units))
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        pytest.param(
            [],
            {"n": 0, "distribution": {}, "majority": None, "unanimous": False, "spread": None},
            id="none",
        ),
        pytest.param(
            ["false"],
            {
                "n": 1,
                "distribution": {"false": 1},
                "majority": "false",
                "unanimous": False,
                "spread": 0,
            },
            id="single",
        ),
        pytest.param(
            ["false", "false"],
            {
                "n": 2,
                "distribution": {"false": 2},
                "majority": "false",
                "unanimous": True,
                "spread": 0,
            },
            id="unanimous",
        ),
        pytest.param(
            ["false", "true", "false"],
            {
                "n": 3,
                "distribution": {"false": 2, "true": 1},
                "majority": "false",
                "unanimous": False,
                "spread": 4,
            },
            id="majority",
        ),
        pytest.param(
            ["false", "half"],
            {
                "n": 2,
                "distribution": {"false": 1, "half": 1},
                "majority": None,
                "unanimous": False,
                "spread": 2,
            },
            id="tie",
        ),
        pytest.param(
            ["misleading", "mostly-true", "half"],
            {"n": 3, "majority": None, "unanimous": False, "spread": 1},
            id="nominal-ignored-in-spread",
        ),
        pytest.param(
            ["misleading", "unverifiable", "misleading"],
            {"n": 3, "majority": "misleading", "unanimous": False, "spread": None},
            id="all-nominal",
        ),
    ],
)
def test_claim_agreement(values, expected):
    result = claim_agreement(values, ORDER)
    assert set(result) == {"n", "distribution", "majority", "unanimous", "spread", "disagreement"}
    for key, value in expected.items():
        assert result[key] == value, key
    assert result["disagreement"] == is_disagreement(values, ORDER)


@pytest.mark.parametrize(
    ("values", "any_", "step"),
    [
        ([], False, False),
        (["false"], False, False),
        (["false", "false"], False, False),
        (["false", "mostly-false"], True, False),
        (["false", "half"], True, True),
        (["false", "mostly-false", "half"], True, True),
        (["misleading", "misleading"], False, False),
        (["misleading", "false"], True, True),
        (["misleading", "unverifiable"], True, True),
        (["true", "mostly-true", "true"], True, False),
    ],
)
def test_is_disagreement(values, any_, step):
    assert is_disagreement(values, ORDER) is any_
    assert is_disagreement(values, ORDER, mode="any") is any_
    assert is_disagreement(values, ORDER, mode="step") is step
    assert claim_agreement(values, ORDER, mode="step")["disagreement"] is step


def test_is_disagreement_rejects_unknown_mode():
    with pytest.raises(ValueError):
        is_disagreement(["a", "b"], ORDER, mode="loose")


def test_agreement_summary():
    ratings = [
        (1, "alice", "false"),
        (1, "bob", "false"),
        (2, "alice", "true"),
        (2, "bob", "mostly-true"),
        (2, "carol", "true"),
        (3, "carol", "half"),  # single rating: not behind the figures
        (4, "dave", "misleading"),
        (4, "alice", "misleading"),
    ]
    summary = agreement_summary(iter(ratings), ORDER)
    assert summary["n_units"] == 3
    assert summary["n_coders"] == 4
    assert summary["n_ratings"] == 7
    assert summary["alpha_nominal"] == pytest.approx(krippendorff_alpha(ratings))
    assert summary["alpha_ordinal"] == pytest.approx(krippendorff_alpha(ratings, "ordinal", ORDER))
    assert summary["percent"] == pytest.approx((1 + 1 / 3 + 1) / 3)


def test_agreement_summary_empty():
    assert agreement_summary([], ORDER) == {
        "alpha_ordinal": None,
        "alpha_nominal": None,
        "percent": None,
        "n_units": 0,
        "n_coders": 0,
        "n_ratings": 0,
    }


def test_pairwise_agreement():
    ratings = [
        (1, "bob", "false"),
        (1, "alice", "false"),
        (2, "alice", "true"),
        (2, "bob", "mostly-true"),
        (3, "alice", "half"),
        (3, "bob", "half"),
        (2, "carol", "true"),
        (9, "dave", "true"),  # shares nothing: no pair
    ]
    pairs = pairwise_agreement(ratings, ORDER)
    assert [p["coders"] for p in pairs] == [("alice", "bob"), ("alice", "carol"), ("bob", "carol")]
    ab, ac, bc = pairs
    assert ab["n_units"] == 3
    assert ab["percent"] == pytest.approx(2 / 3)
    restricted = [r for r in ratings if r[1] in ("alice", "bob")]
    assert ab["alpha_nominal"] == pytest.approx(krippendorff_alpha(restricted))
    assert ab["alpha_ordinal"] == pytest.approx(krippendorff_alpha(restricted, "ordinal", ORDER))
    assert ac == {
        "coders": ("alice", "carol"),
        "n_units": 1,
        "percent": 1.0,
        "alpha_ordinal": None,
        "alpha_nominal": None,
    }
    assert bc["percent"] == 0.0


@pytest.mark.parametrize("seed", range(5))
def test_pairwise_matches_package(seed):
    krippendorff = pytest.importorskip("krippendorff")
    np = pytest.importorskip("numpy")
    ratings, order, values, n_coders, n_units = _random_case(seed + 100)
    for pair in pairwise_agreement(ratings, order):
        a, b = pair["coders"]
        both = [r for r in ratings if r[1] in (a, b)]
        renamed = [(u, "coder0" if c == a else "coder1", v) for u, c, v in both]
        with np.errstate(all="ignore"):
            expected = _package_alpha(krippendorff, np, renamed, 2, n_units, values, "nominal")
        if expected is None:
            assert pair["alpha_nominal"] is None
        else:
            assert pair["alpha_nominal"] == pytest.approx(expected, abs=1e-9)


def test_ordinal_order_from_scale():
    scale = [
        {"key": "true", "label": "True", "value": 5, "ordinal": True},
        {"key": "false", "label": "False", "value": 1, "ordinal": True},
        {"key": "half", "label": "Half true", "value": 3, "ordinal": True},
        {"key": "misleading", "label": "Misleading", "value": 2, "ordinal": False},
    ]
    assert ordinal_order(scale) == ["false", "half", "true"]
