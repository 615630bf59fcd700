"""Is the reviewer's excerpt in the archived text?

Both texts are normalised first (:func:`normalise`: every run of white space one space, curly
and other quotes straight, every dash and minus a hyphen, the ellipsis three dots), keeping a
map back to the original's offsets so that the archived-text view can highlight the passage.
An exact match of the normalised excerpt is ``found``; otherwise the best near match (RapidFuzz's
``partial_ratio_alignment``, case folded) of at least :data:`CLOSE_AT` percent is ``close``,
anything less ``not_found``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The least near-match score (percent) that counts as a close match.
CLOSE_AT = 85.0
#: Only this much of an archived text is searched by the near match (its cost grows with it).
FUZZY_TEXT_LIMIT = 400_000

_QUOTES = {
    **dict.fromkeys("‘’‚‛′‹›`´", "'"),
    **dict.fromkeys("“”„‟″«»", '"'),
}
_DASHES = dict.fromkeys("‐‑‒–—―−﹘﹣－", "-")
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")


@dataclass(frozen=True)
class Normalised:
    """A normalised text and, for each of its characters, the offset of the original one."""

    text: str
    offsets: list[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original text's span of the normalised ``[start, end)``."""
        if end <= start:
            return (self.offsets[start] if start < len(self.offsets) else 0,) * 2
        return self.offsets[start], self.offsets[end - 1] + 1


_SPECIAL = re.compile("\\s+|…|[" + "".join(_ZERO_WIDTH) + "]")
_TABLE = str.maketrans({**_QUOTES, **_DASHES})


def normalise(text: str) -> Normalised:
    """``text`` with white space, quotes, dashes and ellipses made uniform (see the module).

    Runs between white space, ellipses and zero-width characters are copied whole (quotes
    and dashes translated one for one), so that the offsets are built in C, not a character
    at a time."""
    out: list[str] = []
    offsets: list[int] = []
    at = 0
    for match in _SPECIAL.finditer(text):
        start, end = match.span()
        if start > at:
            out.append(text[at:start].translate(_TABLE))
            offsets.extend(range(at, start))
        found = match.group()
        if found == "…":
            out.append("...")
            offsets.extend((start, start, start))
        elif found[0] not in _ZERO_WIDTH and offsets and out[-1][-1:] != " ":
            out.append(" ")
            offsets.append(start)
        at = end
    if at < len(text):
        out.append(text[at:].translate(_TABLE))
        offsets.extend(range(at, len(text)))
    joined = "".join(out)
    if joined.endswith(" "):
        joined = joined[:-1]
        offsets.pop()
    return Normalised(joined, offsets)


@dataclass(frozen=True)
class ExcerptCheck:
    """The outcome: ``result`` (``found``, ``close`` or ``not_found``), the score in percent
    and the matched span of the original archived text (None when not found)."""

    result: str
    score: float
    start: int | None = None
    end: int | None = None

    def label(self) -> str:
        """The mark shown to people."""
        if self.result == "found":
            return "found in the archived copy"
        if self.result == "close":
            return f"close match ({int(self.score)} %)"
        return "not found in the archived copy"


def label(result: str | None, score: float | None) -> str:
    """The mark of a stored check (``result``, ``score``); empty when there is none."""
    if not result:
        return ""
    return ExcerptCheck(result, float(score or 0)).label()


def check_excerpt(excerpt: str, text: str) -> ExcerptCheck:
    """Look for ``excerpt`` in the archived ``text`` (see the module)."""
    needle = normalise(excerpt)
    if not needle.text:
        return ExcerptCheck("not_found", 0.0)
    hay = normalise(text)
    at = hay.text.find(needle.text)
    if at >= 0:
        start, end = hay.span(at, at + len(needle.text))
        return ExcerptCheck("found", 100.0, start, end)
    folded_needle = needle.text.casefold()
    folded_hay = hay.text.casefold()
    if len(folded_hay) == len(hay.text):  # (casefold kept the offsets: search it)
        at = folded_hay.find(folded_needle)
        if at >= 0:
            start, end = hay.span(at, at + len(needle.text))
            return ExcerptCheck("close", 99.0, start, end)
    else:
        folded_hay = hay.text.lower()
        folded_needle = needle.text.lower()
    from rapidfuzz import fuzz

    hay_part = folded_hay[:FUZZY_TEXT_LIMIT]
    if len(hay_part) == len(hay.text):
        alignment = fuzz.partial_ratio_alignment(folded_needle, hay_part, score_cutoff=CLOSE_AT)
    else:
        alignment = None
    if alignment is None or alignment.score < CLOSE_AT:
        score = 0.0 if alignment is None else alignment.score
        return ExcerptCheck("not_found", round(score, 1))
    # (the needle is the shorter string: its alignment in the text is dest_start..dest_end)
    start, end = hay.span(alignment.dest_start, alignment.dest_end)
    return ExcerptCheck("close", min(round(alignment.score, 1), 99.0), start, end)
