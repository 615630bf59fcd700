"""Place hand-written claim labels on an article by exact character offsets.

Usage (from Python): ``place(text, drafts)`` -> the ``claims`` list of a labels file.

Each draft is a dict with the label fields of bench/news/README.md except the offsets
(``quote``, ``wording``, ``claimant``, ``subject``, ``core``, optional ``note``) and an optional
``after``: a string that occurs before the quote, to pick the occurrence that follows it when
the quote occurs more than once. The quote must occur exactly once (after ``after``, if given).
Every span is checked against the text; labels come back sorted by position. It never runs the
extractor: labels are placed on the text alone.
"""

from __future__ import annotations


def find(text: str, quote: str, after: str | None = None) -> int:
    base = 0
    if after is not None:
        assert text.count(after) == 1, f"'after' {after!r} must occur exactly once"
        base = text.index(after) + len(after)
    hits = []
    i = text.find(quote, base)
    while i != -1:
        hits.append(i)
        i = text.find(quote, i + 1)
    assert hits, f"quote not in text: {quote!r}"
    if after is None:
        assert len(hits) == 1, f"quote occurs {len(hits)} times, give 'after': {quote!r}"
    return hits[0]


def place(text: str, drafts: list[dict]) -> list[dict]:
    out = []
    for d in drafts:
        quote = d["quote"]
        assert quote == quote.strip(), f"outer spaces: {quote!r}"
        start = find(text, quote, d.get("after"))
        end = start + len(quote)
        assert text[start:end] == quote
        claim = dict(
            start=start,
            end=end,
            quote=quote,
            wording=d["wording"],
            claimant=list(d["claimant"]),
            subject=list(d["subject"]),
            core=bool(d["core"]),
        )
        if d.get("note"):
            claim["note"] = d["note"]
        out.append(claim)
    out.sort(key=lambda c: (c["start"], c["end"]))
    spans = [(c["start"], c["end"]) for c in out]
    assert len(set(spans)) == len(spans), "duplicate span"
    return out
