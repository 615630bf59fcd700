"""Resolution across sentences: who a later "he"/"she", "it", a title ("the minister") or a bare
surname is, from the people and organisations the article has named and quoted so far; and
a transcript's speaker labels ("HALE: ...")."""

from __future__ import annotations

import re

from .names import (
    _NAME_RUN_RE,
    _NOT_NAMES,
    _PERSON_NOUNS,
    _PRONOUN_SOURCES,
    COUNTRIES,
    ORG_WORDS,
    TITLE_WORDS,
    Claimant,
    name_of,
)

_PERSON_RE = re.compile(r"[A-Z][\w'’-]+\s+[A-Z][\w'’-]+$")


_PROPER_RE = re.compile(r"(?:The\s+)?[A-Z][\w'’-]*(?:\s+(?:[A-Z][\w'’-]*|of|de|del|la))*$")


_NOT_ENTITY = frozenset("the a an it he she they we this that these those there i".split())


_OF_SPLIT_RE = re.compile(r"\s+(?:for|of|in|at|on|from|with)\s+")
# (not "coach": "The coach was carrying 41 passengers. ... he said" is no person)
_TITLE_HEADS = frozenset("executive chief commander captain president governor".split())
_TITLED_SUBJECT_RE = re.compile(r"(?:The|the)(?:\s+[a-z][\w'’-]*){1,3}")


_TOLD_RE = re.compile(r"\s+told\s+")


def _context(pieces: list[dict], person: str | None, thing: str | None) -> tuple:
    """Person and thing a following sentence's "He"/"She"/"It" may refer to."""
    subj = pieces[0].get("subject") if pieces else None
    cand = None
    for p in pieces:
        who = p.get("speaker") or p.get("attribution")
        if who:
            # "harbour master Ivo Rask told Baltic Radio": the teller, not whom he told
            who = _TOLD_RE.split(who, 1)[0]
        if who and _PERSON_RE.search(who) and len(who.split()) <= 6:
            cand = who
            break
    subj_pron = bool(subj) and subj.lower() in _NOT_ENTITY
    if (
        cand is None
        and subj
        and not subj_pron
        and len(subj.split()) <= 6
        and subj.split()[0] not in ("The", "A", "An")
        and " and " not in subj  # "Tomas Brek and Lena Sova": two people, no "he"
        and _PERSON_RE.search(subj)
    ):
        cand = subj
    if cand is None and subj and not subj_pron and _TITLED_SUBJECT_RE.fullmatch(subj):
        # "The mayor met protesters. He said ...": a person named by a title
        head = subj.split()[-1].lower()
        if (head in _PERSON_NOUNS or head in _TITLE_HEADS) and not head.endswith("s"):
            cand = subj
    new_person = cand or (
        person if subj_pron or (pieces and pieces[0].get("attribution") in ("He", "She")) else None
    )
    new_thing = None
    if subj and not subj_pron and len(subj.split()) <= 5 and _PROPER_RE.match(subj):
        new_thing = subj
    elif subj_pron:
        new_thing = thing
    return new_person, new_thing


class People:
    """Named people an article has quoted so far, to name who a later "he"/"she", a title
    ("the minister") or a bare surname refers to."""

    def __init__(self) -> None:
        self.seen: list[Claimant] = []
        self.org: Claimant | None = None  # the organisation an "It said" most likely is
        self.speaker: Claimant | None = None  # the last person a claim was credited to
        self.genders: dict[str, str] = {}  # surname -> "he"/"she", from pronouns resolved

    def resolve(
        self,
        found: Claimant | None,
        offset: int,
        person: str | None,
        mentions: dict[str, tuple[int, int]],
        near: str | None = None,
    ) -> Claimant | None:
        """``found`` (offsets in the sentence starting at ``offset``) in article offsets,
        resolved: "He"/"She" to ``person`` (named at ``mentions[person]``), "the minister"
        to the last person quoted with that title, a surname to the full name."""
        c = self._resolve(found, offset, person, mentions, near)
        if c is not None and c.kind == "person":
            if found is not None and found.name.lower() in _PRONOUN_SOURCES:
                self.genders[c.name.split()[-1]] = found.name.lower()
            self.speaker = c
        return c

    def _resolve(
        self,
        found: Claimant | None,
        offset: int,
        person: str | None,
        mentions: dict[str, tuple[int, int]],
        near: str | None = None,
    ) -> Claimant | None:
        if found is None:
            return None
        low = found.name.lower()
        if low == "it":
            # "The board met on Monday. It said ...": the organisation named last; never "It"
            return self.org
        if low in _NOT_ENTITY and low not in _PRONOUN_SOURCES:
            return None  # "They said", "This shows": nobody the article names here
        if low in _PRONOUN_SOURCES:
            if not person or person not in mentions:
                # the last person quoted, if the paragraph so far (``near``) names them
                last = self.seen[-1] if self.seen else None
                if last is not None and near is not None and last.name.split()[-1] not in near:
                    # "Holst, 38, would be ..., but she has said ...": the person the
                    # paragraph named last, if "she" fits them
                    at, nearest = -1, None
                    for c in self.seen:
                        sur = c.name.split()[-1]
                        i = near.rfind(sur)
                        if i > at and self.genders.get(sur, low) == low:
                            at, nearest = i, c
                    if nearest is not None:
                        return nearest
                    # "She said ..." opening a paragraph after one that quoted a woman (a
                    # "she" resolved to her before): that speaker; else nobody
                    sp = self.speaker
                    if sp is not None and self.genders.get(sp.name.split()[-1]) == low:
                        return sp
                    return None
                return last
            a, b, _ = name_of(person)
            at = mentions[person][0]
            return Claimant(person[a:b], at + a, at + b, "person", person)
        words = low.split()
        if (
            len(words) == 2
            and words[0] in ("the", "a")
            and words[1] in TITLE_WORDS
            and words[1] not in ORG_WORDS  # "the union" is the union, not its leader
        ):
            for c in reversed(self.seen):
                if words[1] in c.phrase.lower().split():
                    return c
        c = Claimant(found.name, found.start + offset, found.end + offset, found.kind, found.phrase)
        if c.kind == "person" and len(words) == 1:
            for i in range(len(self.seen) - 1, -1, -1):
                p = self.seen[i]
                if p.name.lower().split()[-1] == low:
                    # "Farouk said ... She said ...": the speaker just quoted by surname is
                    # the likeliest "she" from here on
                    self.seen.append(self.seen.pop(i))
                    return p
        if (
            c.kind == "person"
            and len(words) >= 2
            and words[0] not in ("the", "a", "an")
            and " and " not in low  # "Ana Ruiz and Tom Hale": no "he"
        ):
            self.seen.append(c)
        return c

    def note_subject(
        self, subject: str | None, sentence: str, offset: int, claimant: Claimant | None
    ) -> None:
        """Who a following "It said" is: the organisation this sentence quoted or whose
        subject it is ("The board met on Monday. It said ..."); nobody once another source
        speaks or another subject comes in between."""
        if claimant is not None:
            self.org = claimant if claimant.kind == "organization" else None
            return
        if not subject or len(subject.split()) > 6:
            self.org = None
            return
        if subject.lower() in ("it", "its"):
            return  # "It also said ...": the same one
        self.org = self.subject_org(subject, sentence, offset) or None

    def subject_org(self, subject: str | None, sentence: str, offset: int) -> Claimant | None:
        """The organisation ``subject`` names ("The health authority for the district"), with
        its offsets, made the likeliest "it" of what follows; ``None`` for anything else."""
        if not subject or len(subject.split()) > 8:
            return None
        head = _OF_SPLIT_RE.split(subject, 1)[0].split()
        word = head[-1].lower().removesuffix("'s").removesuffix("’s") if head else ""
        i = sentence.find(subject)
        if word not in ORG_WORDS or i < 0 or subject.lower() in _NOT_ENTITY:
            return None
        self.org = Claimant(subject, offset + i, offset + i + len(subject), "organization", subject)
        return self.org

    def note_mentions(self, sentence: str, offset: int) -> None:
        """People named in a sentence ("Sofia Reinholt", or a surname opening it: "Abel, a
        former police commander, ..."), the last one the likeliest "he"/"she" of the next."""
        for m in _NAME_RUN_RE.finditer(sentence):
            words = m.group(0).split()
            if len(words) > 2 and any(w in _JOINERS for w in words[1:-1]):
                # "Chief Inspector Henrik Aune of Fjellmark (police)": a name and a place
                i = next(i for i, w in enumerate(words) if i and w in _JOINERS)
                words = words[:i]
            if _BUSINESS_BEFORE_RE.search(sentence, 0, m.start()):
                continue  # "the Kessel firm Alpen Reisen": a company, no "he"
            if m.start() == 0 and len(words) == 1 and sentence[m.end() : m.end() + 1] in ",":
                for i in range(len(self.seen) - 1, -1, -1):
                    if self.seen[i].name.split()[-1] == words[0]:
                        self.seen.append(self.seen.pop(i))
                        break
                continue
            while words and words[0].lower().rstrip(".") in TITLE_WORDS:
                words = words[1:]
            if not 2 <= len(words) <= 3 or words[0].lower() in _NOT_NAMES:
                continue
            if any(
                w.lower() in ORG_WORDS or w.lower().strip(".") in COUNTRIES or "'" in w or "’" in w
                for w in words
            ):
                continue
            name = " ".join(words)
            at = m.start() + m.group(0).find(name)
            self.seen.append(Claimant(name, offset + at, offset + at + len(name), "person"))


_JOINERS = frozenset(("of", "for", "and"))
_BUSINESS_BEFORE_RE = re.compile(
    r"\b(?:firm|company|carmaker|airline|carrier|chain|group|operator|retailer|grocer|bank|"
    r"insurer|lender|maker|manufacturer|developer|broadcaster|newspaper|agency|party)\s+$"
)


# "HALE: We cut the deficit." / "Senator Jo Hale: ...": a transcript's speaker label
_LABEL_RE = re.compile(
    r"(?P<who>[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,2}|[A-Z][a-z.'’-]+(?:\s+[A-Z][a-z.'’-]+){1,3})"
    r":\s+(?=\S)"
)
_NOT_LABELS = frozenset(
    "update note correction exclusive watch read breaking live analysis opinion editor photo "
    "video key related source sources background context timeline listen update factbox "
    "fact box in brief".split()
)


def speaker_label(text: str, line_start: int, end: int) -> Claimant | None:
    """The speaker label opening the line (from ``line_start``) of a sentence ending at
    ``end`` ("BIDEN:", "Senator Jo Hale:"), as the claimant of what it says, or ``None``."""
    m = _LABEL_RE.match(text, line_start, end)
    if m is None or m.end("who") > end:
        return None
    who = m.group("who")
    if who.lower().strip(".") in _NOT_LABELS or who.split()[0].lower() in _NOT_LABELS:
        return None
    return Claimant(who, m.start("who"), m.end("who"), "person", who)
