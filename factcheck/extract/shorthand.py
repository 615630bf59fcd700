"""Short names an article defines, resolved in wordings and claimants: "Skyrun Air, Arvenia's
second-largest airline, ..." makes "the airline" Skyrun Air; "Kestrel Motors will hire ...,
the carmaker said" makes "the carmaker" Kestrel Motors; "supporters' group Red Wall" makes "the
group" Red Wall. A short name is replaced only by the one name the article gave it before (never
a guess among two), and the name's mention becomes one of the spans the wording comes from."""

from __future__ import annotations

import re

from .wording import GLUE_WORDS, tidy_quote, wording_spans

# what a business is called in a definition; "the company" / "the firm" may be any of them
BUSINESS_HEADS = frozenset(
    "company firm carmaker airline carrier chain grocer retailer producer miner maker "
    "manufacturer operator lender insurer developer builder purchaser exporter importer "
    "supplier business buyer seller distributor processor shipper".split()
)
_GENERIC = frozenset(("company", "firm"))
_COPULAS = frozenset(("is", "was"))
ORG_HEADS = frozenset(
    "group union association federation club council board office ministry agency authority "
    "institute bureau trust commission party hospital university court bank charity "
    "broadcaster newspaper regulator watchdog".split()
)
PERSON_HEADS = frozenset(
    "mayor judge minister governor president chairman chairwoman chair prosecutor coach "
    "spokesman spokeswoman inspector director".split()
)
HEADS = BUSINESS_HEADS | ORG_HEADS | PERSON_HEADS
# "crane operator Milos Hart": a job before a person's name, no company's short name
_JOB_HEADS = frozenset(
    "operator producer maker miner developer builder purchaser exporter importer supplier "
    "buyer seller distributor processor shipper".split()
)

_NAME = r"[A-Z][\w'’&.-]*(?:\s+(?:(?:of|and|for|de|van|von)\s+)?[A-Z][\w'’&.-]*){0,4}"
# "Skyrun Air, Arvenia's second-largest airline," / "Cerealis, the country's largest
# purchaser of domestic wheat,"
_APPOS_DEF_RE = re.compile(
    r"(?<![\w'’])(?P<name>" + _NAME + r"),\s+(?:the|a|an|its|[A-Z][\w'’-]*['’]s)\s+"
    r"(?:[\w'’-]+\s+){0,4}?(?P<head>[a-z]+)(?=[,.;]|\s+(?:of|in|on|at|for|with)\b)"
)
# "supporters' group Red Wall", "carmaker Kestrel Motors", "Judge Helena Brandt"
_TITLE_DEF_RE = re.compile(
    r"(?<![\w'’])(?P<head>[A-Za-z][a-z]+)\s+(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3})"
    r"(?![\w'’])"
)
# "the National Statistics Office", "Halden city council": a name that ends in its head
_ENDS_DEF_RE = re.compile(
    # "the National Statistics Office", "Oriel Bank": a capitalised run ending in its head
    r"(?<![\w'’])(?P<name>[A-Z][\w'’-]*(?:\s+(?:of\s+|and\s+)?[A-Z][\w'’-]*){0,4}"
    r"\s+(?P<head>[A-Z][a-z]+))(?![\w'’])"
    # "Halden city council": a place and a common name (a lookahead: every place is tried)
    r"|(?<![\w'’])(?=(?P<name2>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3}"
    r"(?:\s+[a-z]+)?\s+(?P<head2>[a-z]+))(?![\w'’]))"
)
# "The Halvik regional bus company, Halvik Buss, will ...", "the freight company Nordlast":
# the description first, then the name
_REV_APPOS_DEF_RE = re.compile(
    r"(?<![\w'’])(?P<desc>[Tt]he\s+(?:[\w'’-]+\s+){0,4}?(?P<head>[a-z]+)),\s+"
    r"(?P<name>" + _NAME + r")(?=,)"
)
# a company the article names without describing it ("Halm Bygg built 180 flats"): its name
# says what it is; another company in play, so "the company" is no longer the one described
_COMPANY_SUFFIXES = (
    "AB AS ASA Ltd Inc plc GmbH SA Group Holdings Pharma Motors Air Airlines Airways Telecom "
    "Energy Foods Bygg Buss Mining Shipping Steel Logistics Capital Partners Media Securities "
    "Reisen Terminals Marked Construction Industries Systems Technologies"
)
_COMPANY_NAME_RE = re.compile(
    r"(?<![\w'’])(?P<name>[A-Z][\w'’&.-]*(?:\s+[A-Z][\w'’&.-]*){0,3}\s+(?:"
    + "|".join(_COMPANY_SUFFIXES.split())
    + r"))(?![\w'’-])"
)
# "Kestrel Motors will hire ..., the carmaker said": the sentence's subject, named short
_SAID_DEF_RE = re.compile(
    # (not a dateline's "OSLEBY, Oct 8 (Wire) - Frisk Marked, ...": the name after it)
    r"(?:^|(?<=[.!?])\s+|\n|\)\s+[-–—]\s+)(?![A-Z]{3,}[\s,])(?P<name>" + _NAME + r")(?=[\s,])"
    r"[^.!?\n\"“”]*?,\s+"
    r"the\s+(?P<head>[a-z]+)\s+(?:said|says|announced|reported)\b",
)
_SHORT_RE = re.compile(r"\b(?P<the>[Tt]he)\s+(?P<head>[a-z]+)\b(?!\s+[A-Z])(?!-)")
_NOT_NAME_START = frozenset(
    "The A An In On At For By From With After Before During Since As When While If But And Its "
    "His Her Their Our This That These Those It He She They We There".split()
)


# "the national employment office", "the central bank": a longer common name for the same head
_COMMON_DEF_RES = [
    re.compile(
        # ("the Brannholt waiting list": a place may name it too)
        r"\b[Tt]he\s+(?P<name>(?:[A-Z][\w-]*\s+)?(?:[a-z][\w-]*\s+){" + str(n) + r"}"
        r"(?P<head>[a-z]+))(?![\w'’-])"
    )
    for n in (1, 2)  # ("The duty cut reduced": "duty cut", not "duty cut reduced")
]


# "the government's plan", "its plan": a plan named otherwise, so that "the plan" is no guess
_POSSESSED_RES = [
    re.compile(
        r"(?:\b[\w-]+['’]s|\b(?:its|his|her|their|our))\s+"
        r"(?P<name>(?:[a-z][\w-]*\s+){" + str(n) + r"}(?P<head>[a-z]+))(?![\w'’-])"
    )
    for n in (0, 1, 2)
]


class Definition:
    __slots__ = ("head", "name", "start", "end", "common", "the", "blocker", "desc")

    def __init__(
        self, head: str, name: str, start: int, end: int, common: bool = False, the: bool = False
    ) -> None:
        self.head, self.name, self.start, self.end = head, name, start, end
        self.common = common  # a common noun phrase ("central bank"), worded with "the"
        self.the = the  # a name the article writes with "the" ("the Harbour Workers' Union")
        self.blocker = False  # another thing with that head ("the government's plan"): no name
        self.desc: frozenset[str] = frozenset()  # the words that describe it, where it is named

    def words(self, at_start: bool) -> str:
        """How the wording names it in place of "the <head>"."""
        if self.common or self.the:
            return ("The " if at_start else "the ") + self.name
        return self.name


def definitions(text: str) -> list[Definition]:
    """Every short name ``text`` defines, with the offsets of the name it stands for."""
    out: list[Definition] = []

    def add(
        head: str, m: re.Match, key: str = "name", proper: bool = False, desc: str = ""
    ) -> None:
        head = head.lower()
        if head not in HEADS:
            return
        a, b = m.span(key)
        name = text[a:b]
        if ". " in name:
            a += name.rindex(". ") + 2  # "... on Tuesday. Posti Nord, the ...": a new sentence
            name = text[a:b]
        words = name.split()
        while words and words[0] in _NOT_NAME_START:
            a += len(words[0]) + 1
            words = words[1:]
        if not words or b - a < 3:
            return
        name = text[a:b]
        if name.isupper() and len(name) > 4:
            return  # a dateline's place
        if not name[:1].isupper() or not (proper or _proper(text, words)):
            return  # "Two thirds of the drop ..., the agency said": no name
        # ("the Harbour Workers' Union": worded with its "the", as the article names it)
        d = Definition(head, name, a, b, the=text[max(0, a - 4) : a].lower() == "the ")
        d.desc = frozenset(_DESC_WORD_RE.findall(desc.lower()))
        out.append(d)

    for m in _APPOS_DEF_RE.finditer(text):
        # (the apposition says what the name is)
        add(m.group("head"), m, proper=True, desc=text[m.end("name") : m.end("head")])
    for m in _REV_APPOS_DEF_RE.finditer(text):
        add(m.group("head"), m, proper=True, desc=m.group("desc"))
    for m in _COMPANY_NAME_RE.finditer(text):
        first = m.group("name").split(" ", 1)[0]
        if first.lower() in HEADS or first.lower() in _JOB_HEADS:
            continue  # "Grocer Frisk Marked said": the name comes after the word for it
        add("company", m, proper=True)
    for m in _TITLE_DEF_RE.finditer(text):
        head = m.group("head").lower()
        if head in HEADS and head not in _JOB_HEADS:
            # "the freight company Nordlast": the words before the head describe it
            add(head, m, desc=text[max(0, m.start() - 40) : m.end("head")].rsplit(",", 1)[-1])
    for common in _COMMON_DEF_RES:
        for m in common.finditer(text):
            head = m.group("head")
            if (head in HEADS or _thing(head)) and not _NOT_MODIFIER_RE.search(m.group("name")):
                # "the fuel duty cut" makes "the cut" that cut
                out.append(Definition(head, m.group("name"), *m.span("name"), common=True))
    for m in _ENDS_DEF_RE.finditer(text):
        key = "name" if m.group("name") else "name2"
        head = m.group("head") or m.group("head2")
        if head.lower() in ORG_HEADS:
            add(head, m, key)
    for m in _SAID_DEF_RE.finditer(text):
        if m.group("name").split(" ", 1)[0] in ("The", "A", "An") and re.match(
            r"\s+[a-z]", text[m.end("name") :]
        ):
            continue  # "The Halvik regional bus company, ...": "Halvik" names no company
        add(m.group("head"), m)
    for possessed in _POSSESSED_RES:
        for m in possessed.finditer(text):
            if _thing(m.group("head")) and not _NOT_MODIFIER_RE.search(m.group("name")):
                d = Definition(m.group("head"), m.group("name"), *m.span("name"), common=True)
                d.blocker = True
                out.append(d)
    out.sort(key=lambda d: d.start)
    return out


# nouns too general to stand for one thing the article named ("the year", "the rate")
_GENERAL_NOUNS = frozenset(
    "year years month months week weeks day days time times quarter period decade season end "
    "start beginning rest number numbers rate rates level levels figure figures amount total "
    "way case cases area areas part world country state people city region town side sides "
    "same other first last past future government market news report statement".split()
)
_NOT_HEADS = frozenset(
    "is are was were be been has have had will would can could may might must should did does "
    "do said says and or but of to in on at for by with from as than that which who this".split()
)


def _thing(head: str) -> bool:
    """Can ``head`` close a noun phrase that names one thing ("the fuel duty cut")?"""
    return (
        len(head) > 2
        and head not in _GENERAL_NOUNS
        and head not in _NOT_HEADS
        and not head.endswith(("ed", "ly", "ing"))
    )


def _proper(text: str, words: list[str]) -> bool:
    """Is the capitalised run ``words`` a name: two capitalised words ("Kestrel Motors"), or
    one the article also writes with a capital inside a sentence ("... at Cerealis said")?"""
    caps = [w for w in words if w[:1].isupper()]
    if len(caps) >= 2:
        return True
    inside = re.compile(r"(?<=[a-z,;:] )" + re.escape(words[0]) + r"(?![\w'’-])")
    return inside.search(text) is not None


_NOT_MODIFIER_RE = re.compile(
    r"\b(?:same|other|new|former|first|second|last|next|whole|entire|two|three|four|five|"
    r"such|only|one|each|its|their|his|her|our|the|a|an|of|and|or|to|in|on|at|for|by|with|"
    r"from|that|which|who|this|these|those|as|than|is|was|are|were|has|had|have|said|says|"
    # "the largest wind farm", "the most coherent budget": a rank, not a name
    r"most|least|more|less|[a-z]+est|best|worst|main|key|biggest|"
    r"(?:small|larg|bigg|high|low|old|new|great|wid|long|short|young|near|earli|lat|furth)er|"
    r"will|would|could|can|may|might|must|should|do|does|did|not|[a-z]+ed|[a-z]+ly)\b"
)


def _antecedent(
    defs: list[Definition], head: str, before: int, start: int | None = None
) -> Definition | None:
    """The one name the article gave ``head`` before offset ``before``; ``None`` when it gave
    none or several ("Oriel Bank" and "the central bank": which is "the bank"?). A name that
    ends another ("city council", "Halden city council") is the same one. A common noun
    phrase ("the fuel duty cut") counts only before ``start``, the claim itself."""
    if start is None:
        start = before
    found = [
        d for d in defs if (d.end <= start if d.common else d.start < before) and d.head == head
    ]
    if not found and head in _GENERIC:
        found = [d for d in defs if d.start < before and d.head in BUSINESS_HEADS and not d.common]
    proper_descs = [d.desc for d in found if not d.common and d.desc]
    found = [
        d
        for d in found
        if not (d.common and not d.blocker and any(_words(d.name) <= desc for desc in proper_descs))
    ]  # ("the state postal company", "Posten Vest, the state-owned postal company")
    names = {d.name.lower() for d in found}
    longest = [n for n in names if not any(m != n and m.endswith(" " + n) for m in names)]
    if len(longest) != 1:
        return None
    best = [d for d in found if d.name.lower() == longest[0] and not d.blocker]
    if not best:
        # "the government's fuel duty cut" and "The duty cut ...": the name the article gives
        best = [d for d in found if not d.blocker and longest[0].endswith(" " + d.name.lower())]
    if not best:
        return None  # only "its plan", "the government's plan": no name to give
    proper = [d for d in best if not d.common]
    return (proper or best)[-1]


_DESC_WORD_RE = re.compile(r"[a-z]+")


def _words(name: str) -> frozenset[str]:
    return frozenset(_DESC_WORD_RE.findall(name.lower()))


def resolve(text: str, claims: list[dict]) -> list[dict]:
    """``claims`` with the short names in their rewritten wordings (and a claimant that is
    only a short name) replaced by the name the article defined for them."""
    for c in claims:
        if c.get("wording_source") == "rewritten" and c["text"][:1] in "IHT":
            _possessive_title(text, c)
    if not any(" the " in c["text"].lower() or c["text"][:4] == "The " for c in claims):
        return claims
    defs = definitions(text)
    if not defs:
        return claims
    heads = {d.head for d in defs}
    if heads & BUSINESS_HEADS:
        heads |= _GENERIC
    orgs = {d.name.lower() for d in defs if not d.common and d.head not in PERSON_HEADS}
    for c in claims:
        before = c["sentence_end"]
        claimant = (c.get("claimant") or "").lower()
        if claimant in orgs and c.get("claimant_kind") == "person":
            # "Skyrun Air, the region's second-largest airline, said": no person
            c["claimant_kind"] = "organization"
        sm = _SPOKESMAN_RE.fullmatch(claimant)
        if sm is not None and sm.group("head") in heads:
            # "A spokesman for the company said": the company speaks (GUIDE.md section 3)
            d = _antecedent(defs, sm.group("head"), c.get("claimant_start") or before)
            if d is not None and not d.common and d.head not in PERSON_HEADS:
                c["claimant"], c["claimant_start"], c["claimant_end"] = d.name, d.start, d.end
                c["claimant_kind"] = "organization"
        if claimant.startswith("the ") and claimant[4:] in heads:
            d = _antecedent(defs, claimant[4:], c.get("claimant_start") or before)
            if d is not None and (not d.common or d.head in ORG_HEADS):
                # ("the agency said" after "the regional roads agency": its full name)
                at = (
                    d.start - 4
                    if d.common and text[d.start - 4 : d.start].lower() == "the "
                    else d.start
                )
                name = "the " + text[at + 4 : d.end] if at < d.start else d.name
                said = c["claimant"][:1].upper() + c["claimant"][1:] + ' said: "'
                if c.get("wording_source") == "quote" and c["text"].startswith(said):
                    # 'The judge said: "You abused ..."': the speaker by the name given
                    old = [c["claimant_start"], c["claimant_end"]]
                    c["text"] = name[:1].upper() + name[1:] + c["text"][len(c["claimant"]) :]
                    spans = [s for s in c["wording_spans"] if s != old]
                    c["wording_spans"] = sorted(spans + [[at, d.end]])
                c["claimant"], c["claimant_start"], c["claimant_end"] = name, at, d.end
                c["claimant_kind"] = "person" if d.head in PERSON_HEADS else "organization"
        if c.get("wording_source") != "rewritten":
            continue
        wording = c["text"]
        spans = [tuple(s) for s in c.get("wording_spans") or []]
        changed = False
        unsure = False
        for m in reversed(list(_SHORT_RE.finditer(wording))):
            head = m.group("head")
            d = _antecedent(defs, head, before, c["start"]) if head in heads else None
            if (
                d is None
                and head in _UNSURE_HEADS
                and head in heads  # (an article naming no company: nobody to mistake it for)
                and _subject_at(wording, m.start())
                and m.group(0).lower() in c["quote"].lower()
            ):
                # "Siv Haldorsen said the company had no choice" where the article named two
                # companies, or none: which company is not said, and the wording cannot say it
                # (the quote carries the same words: "the armed wing of ..." would say less)
                unsure = True
            if d is None or d.name.lower() in wording.lower():
                continue
            wording = wording[: m.start()] + d.words(m.start() == 0) + wording[m.end() :]
            spans.append((d.start, d.end))
            changed = True
        if unsure and not changed:
            c["text"], c["wording_source"] = tidy_quote(c["quote"]), "quote"
            c["wording_spans"] = [[c["start"], c["end"]]]
            continue
        if not changed:
            continue
        new_spans = wording_spans(wording, text, spans, GLUE_WORDS | _COPULAS)
        if new_spans is not None:
            c["text"], c["wording_spans"] = wording, new_spans
    return claims


# short names that stand for one of several organisations an article may name ("the company",
# "the party"): unresolved as a clause's subject, the wording is the quote
_UNSURE_HEADS = BUSINESS_HEADS | frozenset(("group", "party"))
_SUBJECT_BEFORE_RE = re.compile(
    r"(?:^|\b(?:said|says|told\s+[^,;:]{1,40}?|argued|added|noted|confirmed|warned|insisted)"
    r"(?:\s+(?:on|in|at|last)\s+[\w-]+)?(?:\s+that)?\s+|^(?:[^,;:]{0,40},\s+){1,2})$"
)


def _subject_at(wording: str, at: int) -> bool:
    """Does the noun phrase at ``at`` open ``wording`` or the clause a source reports in it
    ("X said the company ...", "In 2019, the company ...")?"""
    return _SUBJECT_BEFORE_RE.search(wording[:at]) is not None


_SPOKESMAN_RE = re.compile(
    r"(?:a|an|the)\s+(?:spokesman|spokeswoman|spokesperson|representative)\s+for\s+the\s+"
    r"(?P<head>[a-z]+)"
)
_POSSESSIVE_TITLE_RE = re.compile(
    r"(?:Its|His|Her|Their)\s+[a-z]+(?:\s+(?!(?:said|says|told|added|called)\b)[a-z]+)?\s"
)


def _possessive_title(text: str, c: dict) -> None:
    """ "Its leader said 600 ..." where the sentence says "Its leader, Anton Berg, called ...
    and said 600 ...": the wording opens with the name the claimant's mention gives."""
    m = _POSSESSIVE_TITLE_RE.match(c["text"])
    name, at = c.get("claimant"), c.get("claimant_start")
    if m is None or not name or at is None or c.get("claimant_kind") != "person":
        return
    head = m.group(0).rstrip()
    if not text.startswith(name, at) or not text[max(0, at - 80) : at].rstrip(", ").endswith(head):
        return  # the claimant is no apposition to this title
    wording = name + c["text"][len(head) :]
    spans = wording_spans(
        wording, text, [tuple(x) for x in c["wording_spans"]] + [(at, at + len(name))]
    )
    if spans is not None:
        c["text"], c["wording_spans"] = wording, spans
