"""Asides between a source and its verb ("Bettina Kross, the general secretary of the
federation, whose predecessor resigned ..., said ..."): the article's own statements about the
source, never the source's claim."""

from __future__ import annotations

import re

from .claimant import _Attr, name_of
from .grammar import _FINITE_RE, _VERB_HINT_RE, _cap, _copula_ok, _is_past

_ASIDE_REL_RE = re.compile(r"(?P<w>who|whom|whose|which)\s+(?=\S)")


def _aside_claims(sentence: str, attr: _Attr) -> list[dict]:
    """The article's own statements in the asides between a source and its verb
    ("Bettina Kross, the general secretary of the federation, whose predecessor resigned
    ..., said ..."): "Bettina Kross's predecessor resigned ...", "Bettina Kross is the general
    secretary of the federation"; never the source's claim. An aside that is no relative
    clause or plain noun phrase ("speaking after the vote", an age, the name itself) states
    nothing here."""
    a, b, kind = name_of(attr.who)
    name = attr.who[a:b].strip()
    out: list[dict] = []
    for s, e in attr.asides:
        chunk = sentence[s:e]
        if len(chunk.split()) < 3:
            continue
        glue: frozenset = frozenset()
        rm = _ASIDE_REL_RE.match(chunk)
        if rm is not None:
            rest = chunk[rm.end() :]
            w = rm.group("w")
            if w == "whose":
                base = name + "'s " + rest
            elif w == "whom":
                last = rest.split()[-1].lower()
                if not _is_past(last):
                    continue
                base = rest + " " + name  # "whom the judge commended"
            elif w == "which":
                base = attr.who + " " + rest  # "Northline, which runs ...": as the article names it
            elif _VERB_HINT_RE.search(rest) or _FINITE_RE.search(rest):
                base = name + " " + rest
            else:
                continue
        elif _copula_ok(name, chunk) and not _FINITE_RE.search(chunk.split(" who ")[0].lower()):
            base = name + " is " + chunk
            glue = frozenset(("is",))
        else:
            continue
        out.append(
            {
                # a relative clause's span starts past its "who"/"which", as in _clause_claims
                "start": s + rm.end() if rm is not None else s,
                "end": e,
                "text": _cap(base),
                "attribution": None,
                "subject": name,
                "type": "rel" if rm is not None else "app",
                "glue": glue,
                "own_voice": True,
            }
        )
    return out
