"""A sentence that opens a quotation closed, with its speaker, in a later sentence of the same
paragraph is that speaker's (a pass over an article's claims)."""

from __future__ import annotations

import re

from .grammar import _cap, _decap
from .wording import wording_spans

# quoted words whose subject is a pronoun, past an opening time phrase ("Six years ago she
# promised ...") or conjunction
PRONOUN_SUBJECT_RE = re.compile(
    r"[\"“'‘\s]*(?:(?:[\w-]+\s+){1,3}ago,?\s+|(?:now|then|today|yesterday|but|and|so),?\s+)?"
    r"(?:he|she|it|they)\s",
    re.IGNORECASE,
)


def _open_quotes(text: str, claims: list[dict]) -> None:
    """'"Six years ago she promised 10,000 homes. She has built fewer than 4,000," he said.':
    the sentence that opens a quotation closed, with its speaker, in a later sentence of the
    same paragraph is that speaker's."""
    for i, c in enumerate(claims):
        s, e = c["sentence_start"], c["sentence_end"]
        if c["claimant"] is not None or text[s] not in '"“' or _quote_marks(text[s:e]) % 2 == 0:
            continue
        for d in claims[i + 1 :]:
            if d["sentence_start"] < e:
                continue
            if "\n" in text[e : d["sentence_start"]]:
                break
            if (
                d["claimant"] is not None
                and _quote_marks(text[d["sentence_start"] : d["sentence_end"]]) % 2
            ):
                who = d["claimant"]
                if PRONOUN_SUBJECT_RE.match(c["quote"]):
                    # '"She has built fewer than 4,000," he said': not "Abel said she ..."
                    for k in ("claimant", "claimant_start", "claimant_end", "claimant_kind"):
                        c[k] = d[k]
                    break
                wording = _cap(who + " said " + _decap(c["quote"].lstrip('"“')))
                sources = [(s, e), (d["claimant_start"], d["claimant_end"])]
                spans = wording_spans(wording, text, sources)
                if spans is not None:
                    c.update(text=wording, wording_source="rewritten", wording_spans=spans)
                for k in ("claimant", "claimant_start", "claimant_end", "claimant_kind"):
                    c[k] = d[k]
            break


# "this"/"that" in a quotation mostly point at the here and now ("This is the busiest summer");


def _quote_marks(s: str) -> int:
    return s.count('"') + s.count("“") + s.count("”")
