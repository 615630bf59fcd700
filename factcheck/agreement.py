"""Inter-reviewer agreement: Krippendorff's alpha, percent agreement, per-claim figures.

Pure functions over plain data; no numpy, no database.  Ratings are given as
an iterable of ``(unit, coder, value)`` triples: *unit* is a claim id, *coder*
a reviewer id and *value* a rating key (any hashable).  If the same coder
rates the same unit more than once, the last triple wins.

Alpha follows Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability":
values are collected into a coincidence matrix, units with fewer than two
pairable values are ignored, and

    alpha = 1 - (n - 1) * sum_ck o_ck d2_ck / sum_ck n_c n_k d2_ck

with the nominal metric (d2 = 0 if c == k else 1) or the ordinal metric
(d2_ck = (sum_{g=c..k} n_g - (n_c + n_k) / 2) ** 2 over the ordered categories).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from itertools import combinations
from typing import Any

__all__ = [
    "agreement_summary",
    "claim_agreement",
    "is_disagreement",
    "krippendorff_alpha",
    "ordinal_order",
    "pairwise_agreement",
    "percent_agreement",
]

Rating = tuple[Hashable, Hashable, Hashable]


def ordinal_order(scale: Iterable[dict[str, Any]]) -> list[str]:
    """Ordered keys of the ordinal entries of a rating scale (lowest ``value`` first)."""
    entries = [e for e in scale if e.get("ordinal") and e.get("value") is not None]
    return [e["key"] for e in sorted(entries, key=lambda e: e["value"])]


def _units(ratings: Iterable[Rating]) -> dict[Hashable, dict[Hashable, Hashable]]:
    """Group triples into ``{unit: {coder: value}}`` (last rating per coder wins)."""
    units: dict[Hashable, dict[Hashable, Hashable]] = {}
    for unit, coder, value in ratings:
        if value is None:
            continue
        units.setdefault(unit, {})[coder] = value
    return units


def _alpha_from_units(
    unit_values: Iterable[Iterable[Hashable]],
    level: str,
    order: Sequence[Hashable] | None,
) -> float | None:
    """Alpha from an iterable of per-unit value collections."""
    if level not in ("nominal", "ordinal"):
        raise ValueError(f"unsupported level of measurement: {level!r}")
    rank: dict[Hashable, int] | None = None
    if level == "ordinal":
        if order is None:
            raise ValueError("ordinal alpha needs `order`, the ordered category keys")
        rank = {key: i for i, key in enumerate(order)}

    # Coincidence matrix, sparse: {(c, k): o_ck}.
    coincidences: dict[tuple[Hashable, Hashable], float] = {}
    for values in unit_values:
        if rank is not None:
            values = [v for v in values if v in rank]
        counts = Counter(values)
        m = sum(counts.values())
        if m < 2:
            continue
        weight = 1.0 / (m - 1)
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                pairs = n_c * (n_c - 1) if c == k else n_c * n_k
                if pairs:
                    coincidences[(c, k)] = coincidences.get((c, k), 0.0) + pairs * weight

    if not coincidences:
        return None
    marginals: dict[Hashable, float] = {}
    for (c, _k), o in coincidences.items():
        marginals[c] = marginals.get(c, 0.0) + o
    n = sum(marginals.values())
    if n <= 1:
        return None

    if rank is None:

        def d2(c: Hashable, k: Hashable) -> float:
            return 0.0 if c == k else 1.0

    else:
        # Prefix sums of the marginals over the full ordered scale (zero counts included).
        prefix = [0.0]
        for key in order:  # type: ignore[union-attr]
            prefix.append(prefix[-1] + marginals.get(key, 0.0))

        def d2(c: Hashable, k: Hashable) -> float:
            i, j = rank[c], rank[k]  # type: ignore[index]
            if i > j:
                i, j = j, i
            between = prefix[j + 1] - prefix[i]
            return (between - (marginals[c] + marginals[k]) / 2.0) ** 2

    observed = sum(o * d2(c, k) for (c, k), o in coincidences.items())
    cats = list(marginals)
    expected = 0.0
    for a in range(len(cats)):
        for b in range(a + 1, len(cats)):
            c, k = cats[a], cats[b]
            expected += 2.0 * marginals[c] * marginals[k] * d2(c, k)
    if expected <= 0.0:
        return None
    return 1.0 - (n - 1.0) * observed / expected


def krippendorff_alpha(
    ratings: Iterable[Rating],
    level: str = "nominal",
    order: Sequence[Hashable] | None = None,
) -> float | None:
    """Krippendorff's alpha for ``(unit, coder, value)`` triples.

    ``level`` is ``"nominal"`` or ``"ordinal"``; ordinal needs ``order`` (the
    ordered category keys) and treats values not in ``order`` as missing.
    Returns None when alpha is undefined: no unit with two pairable values, or
    no expected disagreement (a single category used throughout).
    """
    units = _units(ratings)
    return _alpha_from_units((u.values() for u in units.values()), level, order)


def _percent_from_units(unit_values: Iterable[Iterable[Hashable]]) -> float | None:
    total = 0.0
    n_units = 0
    for values in unit_values:
        counts = Counter(values)
        m = sum(counts.values())
        if m < 2:
            continue
        agreeing = sum(c * (c - 1) for c in counts.values())
        total += agreeing / (m * (m - 1))
        n_units += 1
    return total / n_units if n_units else None


def percent_agreement(ratings: Iterable[Rating]) -> float | None:
    """Share of agreeing coder pairs per unit, averaged over units with >= 2 ratings (0..1).

    Returns None when no unit has two ratings.
    """
    units = _units(ratings)
    return _percent_from_units(u.values() for u in units.values())


def _spread(values: Sequence[Hashable], rank: dict[Hashable, int]) -> int | None:
    ranks = [rank[v] for v in values if v in rank]
    return max(ranks) - min(ranks) if ranks else None


def is_disagreement(
    values: Sequence[Hashable], order: Sequence[Hashable], mode: str = "any"
) -> bool:
    """Whether one claim's verdict values disagree.

    ``mode="any"``: any two values differ.  ``mode="step"``: the ordinal values
    are more than one step apart on ``order``, or values differ and at least one
    of them is off the ordinal scale (e.g. "misleading" vs "false").
    Fewer than two values never disagree.
    """
    if mode not in ("any", "step"):
        raise ValueError(f"unknown disagreement mode: {mode!r}")
    distinct = set(values)
    if len(values) < 2 or len(distinct) < 2:
        return False
    if mode == "any":
        return True
    rank = {key: i for i, key in enumerate(order)}
    if any(v not in rank for v in distinct):
        return True
    spread = _spread(values, rank)
    return spread is not None and spread > 1


def claim_agreement(
    values: Sequence[Hashable], order: Sequence[Hashable], mode: str = "any"
) -> dict[str, Any]:
    """Agreement figures for the verdict values of one claim.

    Returns ``{"n", "distribution", "majority", "unanimous", "spread", "disagreement"}``:
    ``majority`` is the strictly most frequent value (None on a tie or with no
    values); ``unanimous`` needs at least two values, all equal; ``spread`` is
    max - min ordinal steps among the values on ``order`` (None if none is on
    it); ``disagreement`` follows :func:`is_disagreement` with ``mode``.
    """
    values = list(values)
    counts = Counter(values)
    majority = None
    if counts:
        ranked = counts.most_common(2)
        if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
            majority = ranked[0][0]
    rank = {key: i for i, key in enumerate(order)}
    return {
        "n": len(values),
        "distribution": dict(counts),
        "majority": majority,
        "unanimous": len(values) >= 2 and len(counts) == 1,
        "spread": _spread(values, rank),
        "disagreement": is_disagreement(values, order, mode),
    }


def agreement_summary(ratings: Iterable[Rating], order: Sequence[Hashable]) -> dict[str, Any]:
    """Desk-wide (or per-article) agreement.

    Returns ``alpha_ordinal``, ``alpha_nominal``, ``percent`` (0..1) and the
    figures behind them, counted over units with at least two ratings:
    ``n_units``, ``n_coders`` (coders with a rating in those units),
    ``n_ratings`` (ratings in those units).  Alphas/percent are None when undefined.
    """
    units = _units(ratings)
    pairable = [u for u in units.values() if len(u) >= 2]
    coders: set[Hashable] = set()
    for u in pairable:
        coders.update(u)
    return {
        "alpha_ordinal": _alpha_from_units((u.values() for u in pairable), "ordinal", order),
        "alpha_nominal": _alpha_from_units((u.values() for u in pairable), "nominal", None),
        "percent": _percent_from_units(u.values() for u in pairable),
        "n_units": len(pairable),
        "n_coders": len(coders),
        "n_ratings": sum(len(u) for u in pairable),
    }


def pairwise_agreement(
    ratings: Iterable[Rating], order: Sequence[Hashable]
) -> list[dict[str, Any]]:
    """Agreement for every pair of coders over the units both rated.

    One dict per pair sharing at least one unit, sorted by coder:
    ``{"coders": (a, b), "n_units", "percent", "alpha_ordinal", "alpha_nominal"}``.
    """
    by_coder: dict[Hashable, dict[Hashable, Hashable]] = {}
    for unit, coder_values in _units(ratings).items():
        for coder, value in coder_values.items():
            by_coder.setdefault(coder, {})[unit] = value
    coders = sorted(by_coder, key=lambda c: (str(type(c)), str(c)))
    result = []
    for a, b in combinations(coders, 2):
        ua, ub = by_coder[a], by_coder[b]
        if len(ua) > len(ub):
            shared = [u for u in ub if u in ua]
        else:
            shared = [u for u in ua if u in ub]
        if not shared:
            continue
        pairs = [(ua[u], ub[u]) for u in shared]
        result.append(
            {
                "coders": (a, b),
                "n_units": len(shared),
                "percent": sum(1 for x, y in pairs if x == y) / len(pairs),
                "alpha_ordinal": _alpha_from_units(pairs, "ordinal", order),
                "alpha_nominal": _alpha_from_units(pairs, "nominal", None),
            }
        )
    return result
