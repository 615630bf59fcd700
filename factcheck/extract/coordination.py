"""Coordination: a second verb phrase or infinitive after "and", worded with what it shares
with the first one (its subject, its auxiliary, the verb that governs both infinitives).

Small pure steps used by :mod:`factcheck.extract.clauses`:

- :func:`is_conjunct_verb`: may the word after "and" open a second verb phrase?
- :func:`shared_aux`: the auxiliaries a second participle shares with the first verb
  ("was struck ... and taken to hospital" -> "was").
- :func:`conjunct_wording`: the wording of the second verb phrase.
- :func:`infinitive_frame`: the words governing a first infinitive ("voted on Tuesday to ban
  ... and to cap ..." -> "voted on Tuesday"), for the second one.
"""

from __future__ import annotations

import re

from .grammar import _DETERMINERS, _PREPS, BARE_VERBS, MODAL_RE, _is_past

# past participles that are not simple past forms ("taken", not "took")
PARTICIPLES = frozenset(
    "taken given shown seen known driven written broken chosen stolen hidden beaten fallen "
    "risen begun done gone held sent flown grown thrown drawn sworn torn worn withdrawn "
    "undertaken overtaken forbidden frozen spoken ridden bitten eaten forgotten".split()
)

# simple past forms that are not participles: never given a shared auxiliary
_PAST_ONLY = frozenset(
    "fell rose went took gave came ran wrote broke chose drove flew grew knew stole threw began "
    "sang sank rang spoke swore tore woke wore withdrew undertook overtook froze forbade rode "
    "shook saw fled".split()
)

_AUX_WORDS = frozenset(
    "is are was were has have had will would could can may might must should be been being "
    "not also still".split()
)
_PASSIVE_AUX = frozenset("is are was were be been being".split())
_OBJECT_START = _DETERMINERS | frozenset("all more up down out one two three four".split())

_WORD_RE = re.compile(r"[\w'’-]+")


def is_conjunct_verb(word: str, aux: frozenset) -> bool:
    """May ``word`` (the word after "and") open a second verb phrase: a past form, a
    participle, an auxiliary in ``aux``, or a present-tense verb in -s ("cuts", "employs")?"""
    w = word.lower()
    if _is_past(w) or w in aux or w in PARTICIPLES:
        return True
    return len(w) >= 4 and w.endswith("s") and not w.endswith(("ss", "us", "is", "'s", "’s"))


def shared_aux(clause: str, subject: str) -> str:
    """The auxiliaries right after ``subject`` at the start of ``clause`` ("The man had been
    arrested" -> "had been"), or ""."""
    if not clause.startswith(subject):
        return ""
    words: list[str] = []
    for m in _WORD_RE.finditer(clause, len(subject)):
        w = m.group(0)
        if w.lower() not in _AUX_WORDS:
            break
        words.append(w)
    while words and words[-1].lower() in ("not", "also", "still"):
        words.pop()
    return " ".join(words)


def conjunct_wording(clause: str, subject: str, conj: str) -> str:
    """The wording of the verb phrase ``conj`` coordinated with the clause ``clause`` whose
    subject is ``subject``: "A shop assistant was struck ... and taken to hospital" -> "A
    shop assistant was taken to hospital"; "The company has cut jobs and closed two plants"
    -> "The company has closed two plants"; "The man was seen ... and fled" -> "The man
    fled" (a simple past takes no auxiliary)."""
    aux = shared_aux(clause, subject)
    if aux and aux.split()[-1].lower() in _PASSIVE_AUX:
        # "were struck": a passive to share; "were "fed up" and called for ...": a copula
        # before an adjective, nothing to share
        after = clause[len(subject) :].split()[len(aux.split()) :]
        head = after[0].strip("\"“”'‘’").lower() if after else ""
        if not (head in PARTICIPLES or _is_past(head)):
            aux = ""
    words = conj.split(None, 2)
    first = words[0].lower() if words else ""
    nxt = words[1].lower() if len(words) > 1 else ""
    if aux and first not in _AUX_WORDS and first not in _PAST_ONLY:
        last = aux.split()[-1].lower()
        perfect = last in ("has", "have", "had") and (first in PARTICIPLES or _is_past(first))
        passive = last in _PASSIVE_AUX and (
            first in PARTICIPLES or (_is_past(first) and nxt not in _OBJECT_START)
        )
        if perfect or passive:
            return subject + " " + aux + " " + conj
    return subject + " " + conj


_TO_VERB_RE = re.compile(r"\bto\s+(?P<v>[a-z]+)\b")


_BY_AGENT_RE = re.compile(r"\b(?:[a-z]+ed|caused|driven|hit|held)\s+(?P<by>by)\s")


def infinitive_frame(clause: str, word: str = "to") -> str | None:
    """The words before the first infinitive of ``clause`` ("Merrow council voted on Tuesday
    to ban ..." -> "Merrow council voted on Tuesday "), or ``None`` when there is none. With
    ``word`` "by": the words before the agent of a passive ("The delay was caused by a
    shortage" -> "The delay was caused ")."""
    if word == "by":
        bm = _BY_AGENT_RE.search(clause)
        return clause[: bm.start("by")] if bm else None
    for m in _TO_VERB_RE.finditer(clause):
        v = m.group("v")
        if v in _DETERMINERS or v.isdigit() or _is_past(v):
            continue
        return clause[: m.start()]
    return None


_PRESENT_SUBJECT_RE = re.compile(
    r"(?P<subj>(?:[A-Z][\w'’.-]*|the|a|an|its|their|his|her)(?:\s+[\w'’.-]+){0,5}?)\s+"
    r"(?P<v>[a-z]{2,}[^s\W'’]s)\s+(?=the|a|an|its|their|his|her|\d|[$€£]|to|in|at|on|for|up)"
)


def present_subject(clause: str) -> str | None:
    """The subject of a clause in the present tense ("The budget raises the top rate ..." ->
    "The budget"; "It employs 2,100 people" -> "It"), or ``None``."""
    m = _PRESENT_SUBJECT_RE.match(clause)
    if m is None:
        return None
    subj = m.group("subj")
    if any(w.lower() in _AUX_WORDS or _is_past(w) for w in subj.split()):
        return None
    return subj


# present-tense verbs that state a figure or a standing fact in news ("The town's debt stands
# at 610 million", "Social care takes up almost a third"); a plural noun in -s is no verb
_PRESENT_VERB_RE = re.compile(
    r"\b(?:stands|accounts|takes|makes|employs|runs|owns|holds|costs|remains|covers|"
    r"represents|includes|carries|serves|earns|pays|gets|needs|receives|produces|generates|"
    r"exceeds|totals|reaches|controls|ranks|amounts|comes|goes|lies|sits|operates|spends|"
    r"handles|supplies|provides|uses|lacks|faces|has|is|are)\b"
)


def has_present_verb(clause: str) -> bool:
    """Does ``clause`` (lower-cased) have a present-tense verb of the kind that states a
    figure or a standing fact ("the town's debt stands at ...")?"""
    return _PRESENT_VERB_RE.search(clause) is not None


_OBJECT_OPENERS = frozenset(
    "its their his her all more up down one two three four five six seven eight nine ten "
    "eleven twelve twenty thirty forty fifty hundred hundreds thousands dozens".split()
)
_NEXT_TWO_RE = re.compile(r"([a-z]+)\s+([$€£]?[\w'’]+)(?:\s+([\w'’]+))?")


def _bare_verb_after(sentence: str, at: int, e0: int, clause_start: int, and_at: int) -> bool:
    """Is "and" at ``and_at`` followed (at ``at``) by a second bare verb of a clause whose verb
    follows a modal ("will close its plant and move production to Stek", "would cut 300 jobs
    and sell two buildings")? The verb must be one of :data:`BARE_VERBS` and take an object:
    a determiner or a figure next, or a noun and a preposition ("move production to")."""
    m = _NEXT_TWO_RE.match(sentence, at, e0)
    if m is None or m.group(1) not in BARE_VERBS:
        return False
    mm = MODAL_RE.search(sentence, clause_start, and_at)
    if mm is None or mm.group("verb") not in BARE_VERBS:
        return False
    nxt = m.group(2)
    low = nxt.lower()
    if low in _DETERMINERS or low in _OBJECT_OPENERS:
        return True
    if nxt[:1].isdigit() or nxt[:1] in "$€£":
        return True
    if not nxt.islower():
        return False
    # "move production to Stek", "raise single fares by 8%": an object of a word or two, then
    # a preposition
    words = sentence[m.end(1) : e0].split()[:4]
    for w in words[1:]:
        if w in _PREPS:
            return True
        if not w.isalpha() or not w.islower() or w in _DETERMINERS:
            return False
    return False
