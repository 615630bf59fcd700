"""The source a wording opens with ("Northline said ...", "The bakery will, Ostrow said,
close ..."), to tell a claimant from the wording itself."""

from __future__ import annotations

import re

from .attribution import _PREP_HEADS
from .grammar import _FINITE, _FINITE_RE
from .names import _APPOS_NAME_RE, _DOC_WORDS

# "Northline, which ..., said on Monday that ...": a source the clause itself opens with
_WORDING_SOURCE_RE = re.compile(
    r"(?:(?:On|In|At|For|After|Before|During|Asked about)\s[^,;\"“”]{1,30},\s+)?"
    # "A poll of 1,200 voters": a comma between digits is no clause boundary
    r"(?P<who>[A-Z](?:[^,;:\"“”]|(?<=\d),(?=\d)){1,80}?(?:,\s+[A-Z][^,;:\"“”]{1,40}?)?)"
    # "Ilse Marten, the mayor of Dunholt, ...": an apposition after the name
    r"(?:,\s+(?P<app>(?!(?:who|whom|whose|which)\b)[a-z][^,;:\"“”]{1,60}?)(?=,|\s+(?:said|called)\b))?"
    r"(?:,\s+(?:who|whom|whose)\b[^,;\"“”]{1,80},)?,?\s+"
    # "Economists polled by X had expected a rate of 5.7%": the figure is theirs
    r"(?:(?:had|has|have)\s+)?"
    r"(?P<v>said|says|told|added|noted|stated|announced|heard|"
    r"confirmed|estimated|estimates|found|showed|shows|called|argued|warned|claimed|replied|"
    r"insisted|denied|admitted|reported|replied|cautioned|put|puts|accused|expects|expected|"
    # "Chief executive Mats Lindgren blamed a perfect storm of ...": an assertion (GUIDE.md 3)
    r"blamed|blames|urged|urges|stressed|emphasi[sz]ed|"
    # a plural source in the present ("Insurers estimate the damage at ...", "Police say"),
    # and a source disputing something ("The union disputes the figures")
    r"say|estimate|warn|report|claim|argue|insist|believe|fear|expect|disputes?|disputed|show)\b"
)
# "put inflation for last year at 5.8%", "put Abel on 44%": an estimate, not an action
_PUT_FIGURE_RE = re.compile(
    r"[^.;:\"“”]{1,80}?\s(?:at|on)\s+(?:about\s+|around\s+|nearly\s+|almost\s+|just\s+)?"
    r"[$€£]?\d"
)
_PERSON_NAME_RE = re.compile(r"(?:[A-Z][\w'’.-]+\s+){1,3}[A-Z][\w'’-]+")
_PERSON_END_RE = re.compile(r"(?:^|\s)[A-Z][\w'’.-]+\s+[A-Z][\w'’-]+$")


# "The bakery will, Ostrow said, close its shop": a source set between commas mid-clause
_PAREN_SOURCE_RE = re.compile(
    r"[A-Z][^,;:\"“”]{1,60}?\s(?:will|would|could|can|may|might|must|should|is|are|was|were|"
    r"has|have|had)(?:\s+not)?,\s+"
    r"(?P<who>(?:the\s+)?[A-Z]?[\w'’.-]+(?:\s+[\w'’.-]+){0,3}?)\s+(?:said|says|added|noted),\s+"
    r"(?!(?:while|but|and|whereas|although|though)\b)[a-z]"
)


def wording_source(wording: str) -> str | None:
    """The source a wording opens with ("Northline said ..."), or ``None``."""
    pm = _PAREN_SOURCE_RE.match(wording)
    if pm is not None and not _FINITE_RE.search(pm.group("who").lower()):
        return pm.group("who")
    m = _WORDING_SOURCE_RE.match(wording)
    if (
        m is not None
        and m.group("v") in ("put", "puts")
        and not _PUT_FIGURE_RE.match(wording, m.end())
    ):
        return None
    if m is not None and m.group("app") is not None:
        # the name, not its apposition: "Ilse Marten, the mayor of Dunholt, said"
        # ("Opposition leader Ruth Andersen, of the People's Party, called ...": the name)
        return m.group("who") if _PERSON_END_RE.search(m.group("who")) else None
    if m is not None and ", " in m.group("who") and not _APPOS_NAME_RE.match(m.group("who")):
        return None
    if m is None or _FINITE_RE.search(_PARTICIPLE_RE.sub("", m.group("who").lower())):
        return None  # ("A poll published on Monday puts ...": a participle, no verb)
    if m.group("who").split(" ", 1)[0].lower() in _PREP_HEADS:
        return None  # "In a joint letter accused ...": a phrase, nobody
    if _NEGATED_RE.search(m.group("who")):
        return None  # "Lindqvist did not dispute the number": no source of a claim
    if (
        m.group("v") in _FINDING_VERBS
        and not _REPORTED_CLAUSE_RE.match(wording, m.end())
        and not (m.group("v") in _SHOW_VERBS and _document(m.group("who")))
    ):
        # "Officers found a man with stab wounds", "The court heard evidence": an act with
        # an object, not a source reporting a fact (but "budget documents show spending
        # rising ...": what a document shows is its report)
        return None
    return m.group("who")


_NEGATED_RE = re.compile(r"\b(?:did|does|do|not|never)\b", re.IGNORECASE)
_SHOW_VERBS = frozenset("show shows showed".split())
_PARTICIPLE_RE = re.compile(r"\b[a-z]+ed(?=\s+(?:by|on|in|at|last|this)\b)")
_DOCUMENT_HEADS = _DOC_WORDS | frozenset("documents records accounts filings minutes".split())


def _document(who: str) -> bool:
    """Is ``who`` a document or data ("The finance ministry's budget documents")?"""
    words = who.lower().split()
    return bool(words) and words[-1] in _DOCUMENT_HEADS


_FINDING_VERBS = frozenset("found showed shows show reported heard".split())
_REPORTED_CLAUSE_RE = re.compile(
    # ("7,200 homes were completed": a comma between digits is no clause boundary)
    r"\s+(?:that\b|[\"“]|(?:[A-Za-z\d](?:[^,;\"“”]|(?<=\d),(?=\d))*?\s)?(?:" + _FINITE + r")\b)"
)
