"""Subordinate clauses: does "because ...", "when ...", "after ...", "as ...", "while ...",
"so that ..." after a clause state something of its own (a cause, an event, a contrast, an
aim), and is what follows the connective a clause of its own? Pure steps used by
:mod:`factcheck.extract.markers` and :mod:`factcheck.extract.clauses`."""

from __future__ import annotations

import re

from .grammar import _AUX, _DETERMINERS, _PREPS, _SUBORDINATORS, _is_past, _trim

_PRONOUN_SUBJECTS = frozenset("he she it they this that these those".split())
_TIME_CONNECTIVE_RE = re.compile(r"\b(?:after|before|following)\s+")


def time_clause(quote: str) -> str | None:
    """The clause after the connective of a time adjunct ("nearly two years after a storm
    surge tore away two spans" -> "a storm surge tore away two spans"), unless it opens with a
    pronoun or a gerund; ``None`` when there is no such clause."""
    m = _TIME_CONNECTIVE_RE.search(quote)
    if m is None:
        return None
    rest = quote[m.end() :]
    first = rest.split(" ", 1)[0].lower()
    if first in _PRONOUN_SUBJECTS or first.endswith("ing"):
        return None
    return rest


_SUB_RE = re.compile(
    r"(?:(?:mainly|partly|largely|mostly|chiefly|in part)\s+)?"
    r"(?P<m>because|when|after|as|for|so\s+that|while|whereas)\s+"
    r"(?P<of>of\s+)?"
)
_NOT_AFTER_AS = frozenset(
    "well such soon long far much many part a an if though same just so twice".split()
)


def _clause_start(rest: str) -> bool:
    """Does ``rest`` open with a clause: a subject of at most seven words, then its verb?"""
    words = rest.split(None, 9)
    for i, w in enumerate(words[:9]):
        low = w.lower().strip(',;:"“”')
        if i and w[:1].islower() and (_is_past(low) or low in _AUX):
            # (a capital word is a name: "the Left Alliance kept")
            return words[i - 1].lower() not in _DETERMINERS  # "a failed investment": no verb
        if low in _PREPS and i == 0:
            if i + 1 < len(words) and words[i + 1][:1].isdigit() and low in ("about", "over"):
                continue  # "about 2,000 homes lost power": a figure, not a preposition
            return False
    return False


def _sub_clause(sentence: str, a: int, b: int) -> bool:
    """Is the adjunct ``sentence[a:b]`` ("when a coach left the road") a clause of its own,
    worded as that clause (the subject a second verb after it shares)?"""
    a, b = _trim(sentence, a, b)
    m = _SUB_RE.match(sentence, a, b)
    if m is None or m.group("of") or m.group("m").startswith("so"):
        return False
    rest = sentence[m.end() : b]
    first = rest.split(" ", 1)[0].lower()
    if first.endswith("ing") or first in _PRONOUN_SUBJECTS or first in _SUBORDINATORS:
        return False  # "because if we had let sanctions work": no plain clause
    return _clause_start(rest)


def _subordinate(sentence: str, at: int, e0: int) -> bool:
    """Does the adjunct at ``at`` ("because ...", "when ...", "after ...", "as ...", "for
    ...") state something of its own: a cause, a clause, or a gerund ("for diverting")?"""
    m = _SUB_RE.match(sentence, at, e0)
    if m is None:
        return False
    rest = sentence[m.end() : e0]
    first = rest.split(" ", 1)[0].lower()
    word = m.group("m")
    if word == "because":
        return len(rest.split()) >= 2
    if word == "for":
        return first.endswith("ing") and len(first) > 5
    if word == "after" and first.endswith("ing") and len(first) > 5:
        return True
    if word == "as" and _is_past(first) and len(rest.split()) >= 3:
        return True  # ", as agreed in a deal with management last November"
    if word == "as":
        before = sentence[max(0, at - 12) : at].split()
        if first in _NOT_AFTER_AS or (before and before[-1].lower() in _NOT_AFTER_AS):
            return False
    return _clause_start(rest)
