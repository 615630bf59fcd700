"""What the review panel says about a claim's wording and claimant (issue 10): where the
wording comes from, and whether a person should check it before it is published."""

from __future__ import annotations

import re
from typing import Any

#: How each ``wording_source`` is shown.
SOURCE_LABELS = {
    "rewritten": "rewritten by the extractor",
    "quote": "the passage itself",
    "edited": "edited by hand",
}

# A wording that starts with one of these names nobody: "They take refuge…", "Many of them…".
_UNRESOLVED = re.compile(
    r"(he|she|it|they|this|that|these|those|his|her|its|their|him|them"
    r"|(?:[\w,.-]+\s+){1,2}of\s+(?:them|those|these|us))\b",
    re.IGNORECASE,
)


_SPEAKER_QUOTE = re.compile(r"^[^\"“]{2,120}? said: [\"“]")


def check_wording(claim: dict[str, Any]) -> str | None:
    """Why the claim's wording needs a person's check before it is published, or None.

    The wording is the passage itself (the extractor was not sure of a rewrite), or it starts
    with a pronoun ("He", "They", "This") that does not say who or what.
    """
    text = (claim.get("text") or "").lstrip(" \"'“‘(")
    match = _UNRESOLVED.match(text)
    if match:
        return f"The wording starts with “{match.group(0)}”: say who or what it is."
    if claim.get("wording_source") == "quote" and _SPEAKER_QUOTE.search(text):
        # 'Lena Vik said: "We sold ..."': her own words, kept in the first person
        return (
            "The wording quotes the speaker's own words (“I”, “we” are theirs): check that it "
            "says the claim on its own."
        )
    if claim.get("wording_source") == "quote":
        return "The wording is the passage itself: check that it says the claim on its own."
    return None


def claimant_line(claim: dict[str, Any], publisher: str | None) -> dict[str, Any]:
    """Who the claim is by, as the panel shows it: ``name``, ``kind`` (``person``,
    ``organization``, or ``the publication``) and whether it is the publication's own."""
    if claim.get("claimant"):
        return {
            "name": claim["claimant"],
            "kind": claim.get("claimant_kind") or "kind not known",
            "publication": False,
        }
    return {"name": publisher or "The publication", "kind": "the publication", "publication": True}
