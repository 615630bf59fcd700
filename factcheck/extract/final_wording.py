"""The last step of a claim's wording: a rewrite stays only when every word of it comes from
the spans it may use and it names a subject; else the quote itself, tidied."""

from __future__ import annotations

import re

from .claimant import Claimant
from .open_quotes import PRONOUN_SUBJECT_RE, _quote_marks
from .wording import (
    GLUE_WORDS,
    first_person,
    quoted_demonstrative,
    speaker_quote,
    starts_with_pronoun,
    tidy_quote,
    wording_spans,
)

# "this"/"that" in a quotation mostly point at the here and now ("This is the busiest summer");
# he/she/it/they at someone or something the speaker had in mind
_SAID_PRONOUN_RE = re.compile(
    r"[^\"“”]{1,100}?\s(?:said|says|told [^\"“”]{1,40}?)\s+(?:that\s+)?(?P<rest>\S)",
    re.IGNORECASE,
)


def _quoted_pronoun(wording: str, quote: str, start: int, text: str) -> bool:
    """'"It was gone in ten minutes," she said.' is not "Noor Kessel said it was gone ...":
    a pronoun that opens quoted words refers to someone or something the speaker had in
    mind, so a wording "X said it ..." would name no subject (or a wrong one)."""
    m = _SAID_PRONOUN_RE.match(wording)
    if m is None or not PRONOUN_SUBJECT_RE.match(quote):
        return False
    q = quote.lstrip("\"“'‘ ")
    if not wording[m.start("rest") :].lower().startswith(q[: min(len(q), 20)].lower()):
        return False  # the wording is not the quote's words after "X said"
    line = text.rfind("\n", 0, start) + 1
    return _quote_marks(text[line:start]) % 2 == 1


def faithful_wording(
    wording: str,
    quote: str,
    start: int,
    end: int,
    text: str,
    sources: list[tuple[int, int]],
    glue: frozenset = frozenset(),
    cache: dict | None = None,
    speaker: Claimant | None = None,
) -> tuple[str, str, list[list[int]]]:
    """The last step: a rewritten wording stays only when every word of it comes from
    ``sources`` (the sentence, the claimant's mention, a resolved antecedent) and it does not
    open with an unresolved pronoun; else the quote itself, tidied. Returns (wording,
    "rewritten" | "quote", spans the wording comes from)."""
    if (
        not starts_with_pronoun(wording)
        and not _quoted_pronoun(wording, quote, start, text)
        and (wording == tidy_quote(quote) or not first_person(wording))
        and not quoted_demonstrative(quote, start, text)
    ):
        spans = wording_spans(wording, text, sources, GLUE_WORDS | glue, cache)
        if spans is not None:
            return wording, "rewritten", spans
    said = speaker_quote(quote, start, end, text, speaker)
    if said is not None:
        return said[0], "quote", said[1]
    return tidy_quote(quote), "quote", [[start, end]]
