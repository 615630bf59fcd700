"""Who an opening "He"/"She" most likely is, across the sentences of an article."""

from __future__ import annotations

from .claimant import Claimant, People

_HE_SHE = frozenset(("he", "she"))


def _opening_pronoun(sent: str) -> str | None:
    words = sent.lstrip('"“ ').split(None, 1)
    w = words[0].lower() if words else ""
    return w if w in _HE_SHE else None


def _other_person(people: People, genders: dict, pron: str, person: str) -> Claimant | None:
    """The last person quoted whom ``pron`` fits: one it named before, else one no
    pronoun has named yet (not ``person``)."""
    last = person.split()[-1]
    for want in (pron, None):
        for c in reversed(people.seen):
            sur = c.name.split()[-1]
            if sur != last and genders.get(sur) == want:
                return c
    return None
