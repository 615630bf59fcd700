"""Cut an article into flat runs of text for highlighting possibly overlapping claims."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def highlight_segments(body: str, claims: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Split ``body`` at every claim boundary.

    Each run is ``{"start", "end", "text", "claims", "claim"}``: ``claims`` lists the ids of the
    claims covering the run (outermost first) and ``claim`` is the innermost one (the shortest),
    or None for plain text. Joining the runs' texts gives ``body`` back.
    """
    spans = [
        (c["start"], c["end"], c["id"]) for c in claims if 0 <= c["start"] < c["end"] <= len(body)
    ]
    cuts = sorted({0, len(body), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    runs = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        covering = sorted(
            ((s, e, cid) for s, e, cid in spans if s <= left and right <= e),
            key=lambda span: (span[1] - span[0], span[2]),
            reverse=True,
        )
        ids = [cid for _, _, cid in covering]
        runs.append(
            {
                "start": left,
                "end": right,
                "text": body[left:right],
                "claims": ids,
                "claim": ids[-1] if ids else None,
            }
        )
    return runs
