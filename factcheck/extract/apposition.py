"""A clause that opens with its subject and an apposition to it ("Hale, a former judge,
denied ...", "the group, the armed wing of the banned movement, had crossed ..."): where the
subject, the apposition and the verb are."""

from __future__ import annotations

import re

from .grammar import _FINITE_RE, _IRREGULAR_PAST, _copula_ok

_SUBJECT_APPOS_RE = re.compile(
    r"(?P<np>(?:[A-Z][\w'’.-]*|the|a|an)(?:\s+[\w'’.-]+){0,7}?),\s+"
    # "a town of about 31,000 people" (a comma inside a figure), "Brevia's largest drugmaker"
    r"(?P<app>(?:the|a|an|[A-Z][\w.-]*['’]s)\s+(?:[^,;:\"“”()]|(?<=\d),(?=\d)){2,90}?),\s+"
    r"(?=(?:has|have|had|was|were|is|are|will|would|could|can|may|might|must|should|did|does|"
    r"also|now|later|then|still|[a-z]{3,}ed|" + _IRREGULAR_PAST.replace(" ", "|") + r")\b)"
)


def subject_apposition(
    sentence: str, s0: int, e0: int
) -> tuple[tuple[int, int], tuple[int, int], int] | None:
    """A clause opening with its subject and an apposition to it ("Hale, a former judge,
    denied ...", "the group, the armed wing of the banned movement, had crossed ..."): the
    spans of the subject and the apposition, and where the verb starts; ``None`` otherwise."""
    m = _SUBJECT_APPOS_RE.match(sentence, s0, e0)
    if m is None:
        return None
    np_, app = m.group("np"), m.group("app")
    first = np_.split()[0].lower()
    if first in _NOT_SUBJECT_HEADS or _FINITE_RE.search(np_.lower()):
        return None
    if any(w in _NP_PREPS for w in np_.lower().split()[1:]):
        return None  # "Inflation in October, the month used for the cap,": which noun?
    # (an "-ed" word in it is a participle: "the banned movement", "a retired judge")
    if _APPOS_VERB_RE.search(re.split(r"\s(?:who|that|which)\s", app, maxsplit=1)[0].lower()):
        return None
    if not _copula_ok(np_, app):
        return None
    return m.span("np"), m.span("app"), m.end()


_APPOS_VERB_RE = re.compile(
    r"\b(?:is|are|was|were|has|have|had|will|would|said|says|"
    + _IRREGULAR_PAST.replace(" ", "|")
    + r")\b"
)
_NP_PREPS = frozenset("in of for at on from with by to under over near".split())
_NOT_SUBJECT_HEADS = frozenset(
    "it he she they we i there this that these those in on at for to from with by after before "
    "during since as when while if although though because".split()
)
