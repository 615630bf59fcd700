"""The wording of a claim: rewrites of appositions and embedded sources, pronouns resolved."""

from __future__ import annotations

import re

from .grammar import _cap, _is_past

_SUMMARY_HEADS = frozenset(
    "move step decision development sign measure gesture blow reversal change shift setback "
    "breakthrough first".split()
)


# "the lowest level", "the biggest drop", "the highest since", "the first time": an
# apposition that ranks a figure or an event, not the noun before it
_FIGURE_HEADS = frozenset(
    "level levels rate rates figure reading pace rise increase fall drop decline jump gain loss "
    "growth total number share amount time since in on for of ever yet recorded".split()
)


_RANKS = frozenset("first second third fourth fifth last only latest".split())


def _figure_apposition(quote: str) -> bool:
    words = quote.lower().split(None, 3)
    if len(words) < 3 or words[2] not in _FIGURE_HEADS:
        return False
    # "a phone call, the first since 2025": the call was the first ("the first time": the event)
    return words[1] not in _RANKS or words[2] == "time"


_EMBED_SAY_RE = re.compile(
    r"(?P<np>(?:the|a|an|its|his|her|their|our)\s+[^\W\d_]+(?:\s+[^\W\d_]+)?)\s+"
    r"(?P<v>says|said|claims|claimed|believes|believed|estimates|estimated|hopes|expects|"
    r"expected)\s+(?P<rest>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)


_APPSAY_RE = re.compile(
    r"(?:a|an|the)\s+(?P<noun>[^\W\d_]+)\s+" + _EMBED_SAY_RE.pattern, re.IGNORECASE | re.DOTALL
)


_MAKING_RE = re.compile(r"making\s+(?:it|them|him|her)\s+(?P<rest>\S.*)$", re.DOTALL)


_POSSESSOR_RE = re.compile(r"([A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3})['’]s\s")


_PRONOUN_RE = re.compile(r"(He|She|It)\s+(\S+)")


def _resolve_pronoun(text: str, person: str | None, thing: str | None) -> str:
    """Name who "He"/"She" (or what "It") at the start of a claim's wording refers to."""
    m = _PRONOUN_RE.match(text)
    if not m:
        return text
    if m.group(1) == "It":
        if thing and _is_past(m.group(2)):
            return thing + text[2:]
        return text
    return _cap(person) + text[m.end(1) :] if person else text
