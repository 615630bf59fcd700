"""Doubtful rewrites: faithful before fluent. A rewrite that gives a clause a subject the
sentence does not clearly give it ("23 fell about 40 metres" for "Nine people were killed and
23 injured when a coach ... fell about 40 metres", "In a joint letter accused his office",
"The year was the fastest rise", "A construction company was fined ..., killing two workers"
where the collapse killed them) is replaced by the passage itself, tidied, with
``wording_source`` "quote", so that the review panel asks a person to check the wording."""

from __future__ import annotations

import re

from .grammar import _FINITE, _is_past
from .shorthand import HEADS as SHORT_HEADS
from .wording import in_quotation, tidy_quote, wording_spans

_PREPOSITIONS = frozenset(
    "in on at for after before during under with from by into over since among amid "
    "following".split()
)
_AUX = frozenset(
    "is are was were has have had will would can could may might must should did does do "
    "remain remains remained".split()
)
_TIME_WORDS = frozenset(
    "year years month months quarter quarters week weeks day days january february march "
    "april may june july august september october november december monday tuesday wednesday "
    "thursday friday saturday sunday decade season period".split()
)
_RANK_RE = re.compile(
    r"(?:the|a|an|its|their)\s+(?:[a-z]+est|first|last|only|most|least|biggest|largest|worst|"
    r"best|highest|lowest|fastest|slowest|record)\b"
)
_WORD_RE = re.compile(r"[\w'’-]+")
_DELAY_RE = re.compile(r"\b(?:than|later|earlier|ahead|behind|late|early|over budget)\b")
# "after a scaffold collapsed ...": a clause with a subject of its own
_SUBORDINATE_RE = re.compile(
    r"\b(?:after|when|because|as|while|since|before|where|which|who|that|until)\s+"
    r"(?:[\w'’-]+\s+){0,6}?(?:" + _FINITE + r")\b"
)
# "..., meaning that real wages grew": an inference from the whole sentence
_INFERENCE = frozenset(("meaning", "suggesting", "implying", "indicating"))
_REL_BEFORE_RE = re.compile(r",\s+(?:which|who|whom|that)\s+$")
_PRONOUN_SAID_RE = re.compile(r"(?:he|she|it|they|we|i)\s+(?:said|says|told|believes|thinks)\b")


def _verb_first(quote: str) -> bool:
    """Does ``quote`` open with a verb (its subject left out: "accused his office of ...")?"""
    m = _WORD_RE.match(quote)
    if m is None:
        return False
    w = m.group(0)
    if not w[:1].islower():
        return False
    return w in _AUX or _is_past(w)


def doubt(claim: dict, text: str) -> str | None:
    """Why the rewritten wording of ``claim`` names a subject the sentence does not clearly
    give its clause, or ``None``."""
    wording, quote = claim["text"], claim["quote"].strip(" \"“”'‘’")
    core = quote.rstrip(".!?…")
    if len(core) < 8:
        return None
    if _PARTITIVE_RE.match(core) or _PARTITIVE_SAID_RE.match(core):
        # "two had already been diverted", "all of them had been offered jobs", "None has
        # agreed": a count of something named before; the wording would not say of what
        return "a count of something named before"
    if _REPORTED_PRONOUN_RE.search(wording):
        # "Council records show she voted ...", "Bank records showed he had made ...", "The
        # court heard that his salary was ...": a person a record or a hearing cannot be; the
        # article said who before, the wording does not
        return "a person the source cannot be"
    if _SAID_PRONOUN_RE.match(wording) and text[claim["sentence_start"]] in '"“':
        # '"He knew where the controls were, because he had designed them," she told the
        # court': "Whitlow said he knew ..." makes "he" nobody (or her)
        return "a pronoun in quoted words"
    if _FRONTED_PRONOUN_RE.match(wording) or (
        _FRONTED_PRONOUN_RE.match(core) and in_quotation(text, claim["start"])
    ):
        # "In the other 24 they were not", '"On Saturday nights it sounds like a stadium,"
        # she said': who or what is not said
        return "a pronoun past an opening phrase"
    rel = _REL_START_RE.match(core)
    clause = core[rel.end() :] if rel else core  # "that was carried out": "was carried out"
    at = _find_passage(wording, clause)
    if at is None:
        return None  # the wording does not carry the passage as it stands
    if at == 0 and not rel and (_verb_first(clause) or _ING_FIRST_RE.match(clause)):
        # "Had appealed for blood donors, the ministry said": a verb phrase, its subject left
        # out (the subject of an earlier clause, which the rewrite did not give it)
        return "a verb phrase without its subject"
    prefix = wording[:at].strip()
    start = claim["start"]
    before = text[max(claim["sentence_start"], start - 300) : start]
    gm = _GOVERNED_THAT_RE.search(before)
    if (
        gm is not None
        and gm.group("gov").lower() not in _SAY_THAT
        and gm.group("gov").lower() not in ("and", "but", "or")  # ("said A and that B")
        and _SAID_IN_RE.search(prefix)
    ):
        # "she wanted guarantees that medicines and court letters would still arrive on time":
        # not "Aasen said court letters would still arrive on time"
        return "a clause governed by another word than the source's verb"
    if not prefix or prefix.endswith(("said", "says", "that", ":")):
        return None  # a source named before the passage ("X said ...")
    words = _WORD_RE.findall(prefix)
    if not words:
        return None
    if (
        _verb_first(clause)
        and clause.split(" ", 1)[0] not in _AUX  # ("..., and were finished ahead of schedule")
        and _SAID_IN_RE.search(prefix)
        and _COMMA_AND_RE.search(before)
    ):
        # "Kaveh said the government had sent 450 rescue workers, and promised 30 million
        # dinars": did the government promise, or Kaveh? The comma reads as hers, the rewrite
        # as the government's; a school "that collapsed had ordered an investigation" is
        # what such a guess gives
        return _WHOSE
    pm = _PLACE_PREFIX_RE.fullmatch(prefix)
    if pm is not None and re.search(
        r"\band\s+" + re.escape(pm.group("np")) + r",\s+where\b", before, re.IGNORECASE
    ):
        # "sold in Dania and Estrel, where regulators said ...": "In Estrel, regulators said"
        # leaves Dania out
        return "a place cut short"
    if prefix[-1:] != ",":
        if rel is None and _REL_BEFORE_RE.search(before) and _PRONOUN_VERB_RE.match(clause):
            # "built 180 flats on the site, which it sold for ...": the relative is the
            # object of "sold" (what was sold: the flats or the site?)
            return "the relative is the object"
        if _WHETHER_RE.search(prefix):
            # "the researchers had no information on whether parents smoked, which is known
            # to raise the risk": the antecedent is the clause, not the noun before it
            return "a clause, not a subject"
        if _verb_first(clause) and _cut_short(prefix, before):
            # "The duty cut reduced the tax ... and is due to expire": "The duty" is no subject
            return "a subject cut short"
        if words[0].lower() in _PREPOSITIONS and (rel or _verb_first(clause)):
            # "For consultancy work was carried out": "was for consultancy work that ..."
            return "a phrase, not a subject"
        if len(words) == 1 and _is_past(words[0].lower()) and _verb_first(clause):
            return "a verb, not a subject"  # "Predicted had suggested a fall of a third"
        if _REPORTING_RE.search(prefix):
            # "Columnist Hans Berge wrote in the Morgenbladet predicted that ...": a source
            # and its verb, given as the subject of another verb
            return "a source, not a subject"
        if _subordinate_subject(prefix, before):
            # "When neighbouring Dania introduced a ban, bar revenues fell 4% and recovered
            # within two years": the subject of the "when" clause did not recover
            return "the subject of a subordinate clause"
    if _verb_first(quote) and not wording[at - 2 : at].startswith(","):
        # the prefix is the subject given to a verb phrase
        if words[0].lower() in _PREPOSITIONS:
            return "a phrase, not a subject"  # "In a joint letter accused his office"
        if len(words) == 1 and words[0][:1].isdigit():
            return "a number, not a subject"  # "23 fell about 40 metres into a ravine"
    if _REL_BEFORE_RE.search(before) and prefix[-1:] != ",":
        # a relative clause worded with its antecedent
        if _PRONOUN_SAID_RE.match(quote.lower()):
            return "the relative is the object"  # "which she said it had done"
    m = re.fullmatch(r"(?P<ant>.+?)\s+(?:is|was)\s*", prefix + " ")
    if (
        m
        and (_RANK_RE.match(quote) or _DELAY_RE.search(quote))
        and m.group("ant").split()[-1].lower() in _TIME_WORDS
    ):
        # "Rents were up 6.3% on the year, the fastest rise since ...": the figure's rank;
        # "reopened on Friday, a year later than planned": the reopening was late, not Friday
        return "a rank given to a time"
    first, _, after = quote.partition(" ")
    participle = first.endswith("ing") or (
        first.endswith(("ed", "en")) and after.startswith("by ")
    )  # "..., driven by higher feed costs"
    if participle and first not in _INFERENCE and prefix.endswith(","):
        # "..., killing two workers": the participle hangs on the nearest clause; when
        # another clause stands between it and the one the wording gives it, which did it?
        last = _WORD_RE.findall(prefix)[-3:]
        found = list(re.finditer(r"\W+".join(re.escape(w) for w in last), before))
        if found and _SUBORDINATE_RE.search(before, found[-1].end()):
            return "the participle may hang on another clause"
    return None


# a count of something named before standing as the subject: "two had been diverted", "all
# of them had been offered jobs", "None has agreed so far", "About 3,900 of them have waited"
_SAID_PRONOUN_RE = re.compile(r"[^\"“”]{1,100}?\s(?:said|says)\s+(?:that\s+)?(?:he|she|it|they)\s")
_CASUALTIES = r"(?!\s+(?:were|had\s+been|have\s+been)\s+(?:killed|injured|wounded|hurt)\b)"
_COUNT = (
    r"(?:(?:about|around|nearly|almost|only|just|at\s+least|more\s+than)\s+)?"
    r"(?:none|all|both|each|either|neither|many|most|several|few|one|another|others|"
    r"the\s+others|the\s+rest|"
    # (not "30 were injured": casualties, people, understood)
    r"(?:\d[\d,.]*|two|three|four|five|six|seven|eight|nine|ten)(?![\w,.])" + _CASUALTIES + r")"
    r"(?:\s+\d[\d,.]*)?"
    r"(?:\s+of\s+(?:them|those|these|us|you|the\s+(?:\d[\d,.]*|two|three|four|five|six|"
    r"seven|eight|nine|ten)))?"
    r"\s+(?:is|are|was|were|has|have|had|will|would|could|can|may|might|must|should|did|do|"
    r"does|remain|remains|remained)\b"
)
_PARTITIVE_RE = re.compile(_COUNT, re.IGNORECASE)
_PARTITIVE_SAID_RE = re.compile(
    r"(?:[A-Z][\w'’-]*\s+){1,4}(?:said|says|added|noted|confirmed)\s+(?:that\s+)?" + _COUNT,
    re.IGNORECASE,
)
_ING_FIRST_RE = re.compile(r"[a-z]+ing\s")  # "rising 1.6% in September": whose rise?
_GOVERNED_THAT_RE = re.compile(
    r"\b(?P<gov>[A-Za-z]+)\s+that\s+(?:(?:[\w'’-]+\s+){1,4}(?:and|or)\s+)?$"
)
# verbs whose "that" clause is what the source asserts (anything else: a wish, a fear, a
# guarantee, a decision; or "the fact that")
_SAY_THAT = frozenset(
    "said says say told tells added adds noted notes argued argues warned warns insisted "
    "insists confirmed confirms claimed claims estimated estimates believes believed thinks "
    "thought stressed acknowledged announced admitted explained reported reports stated "
    "states wrote writes found finds showed shows show heard denied maintained alleged "
    "testified replied countered conceded suggested predicted agreed recalled revealed "
    "indicated concluded disclosed emphasised emphasized complained cautioned saying adding "
    "arguing noting warning insisting claiming stressing explaining".split()
)
_SAID_IN_RE = re.compile(r"\b(?:said|says|told)\b")
_COMMA_AND_RE = re.compile(r",\s+and\s+$")
_PLACE_PREFIX_RE = re.compile(r"(?:In|At|On)\s+(?P<np>[^,]{2,60}),")
_REL_START_RE = re.compile(r"(?:that|which|who)\s+", re.IGNORECASE)
# "Columnist Hans Berge wrote in the Morgenbladet": a source, its verb and where it said it
_REPORTING_RE = re.compile(
    r"\b(?:said|says|wrote|writes|added|argued|claimed|announced|warned|predicted)"
    r"\s+(?:in|on|at|during)(?:\s+(?!(?:that|it|he|she|they|we)\b)[^\s,;:]+){1,6}$"
)
_SUBORDINATORS = frozenset(
    "when after as because if while since before although though once until unless whereas".split()
)


# a reported clause opening with a pronoun: "Abel said it had doubled", "Council records show
# she voted", "Bank records showed he had made ...", "The court heard that his salary was ..."
_REPORTED_PRONOUN_RE = re.compile(
    r"\b(?:records|documents|figures|data|accounts|court|jury|tribunal|hearing|inquiry)\s+"
    r"(?:show|shows|showed|heard|found)\s+(?:that\s+)?(?:he|she|his|her)\s",
    re.IGNORECASE,
)
_FRONTED_PRONOUN_RE = re.compile(
    r"(?:In|On|At|For|By|Of|Among)\s+(?:[\w-]+\s+){0,3}[\w-]+,?\s+(?:he|she|it|they)\s+[a-z]+"
)
_PRONOUN_VERB_RE = re.compile(r"(?:it|he|she|they|we)\s+[a-z]+", re.IGNORECASE)
_WHETHER_RE = re.compile(r"\b(?:whether|if)\b", re.IGNORECASE)
_NOT_VERB_ADVERBS = frozenset("also still now then later already again never not".split())


def _cut_short(prefix: str, before: str) -> bool:
    """Is ``prefix`` (a rewrite's subject) a noun phrase cut short in the sentence: followed
    there by one more word and then a verb ("The duty cut reduced", "the fare cut would")?"""
    low = before.lower()
    at = low.rfind(prefix.lower())
    if at < 0:
        return False
    nxt = _WORD_RE.findall(low[at + len(prefix) : at + len(prefix) + 40])
    if len(nxt) < 2 or not low[at + len(prefix) : at + len(prefix) + 1].isspace():
        return False
    word, verb = nxt[0], nxt[1]
    if word in _NOT_VERB_ADVERBS or word.endswith("ly") or word in _AUX:
        return False
    return verb in _AUX or _is_past(verb)


def _find_passage(wording: str, clause: str) -> int | None:
    """Where ``wording`` carries the start of ``clause`` (its first letter in either case),
    or ``None``."""
    head = clause[:40]
    if len(head) < 2:
        return None
    at = wording.find(head[1:])
    while at >= 1:
        if wording[at - 1].casefold() == head[0].casefold():
            return at - 1
        at = wording.find(head[1:], at + 1)
    return None


def _subordinate_subject(prefix: str, before: str) -> bool:
    """Does ``prefix`` (a rewrite's subject) stand in ``before`` (the sentence up to the
    claim) right after a subordinating word, with a clause boundary (a comma) between it and
    the claim ("When neighbouring Dania introduced a ban, bar revenues fell 4% and recovered":
    not "when a coach carrying tourists fell", where the claim is that clause's own)?"""
    low, p = before.lower(), prefix.lower()
    at = low.find(p)
    while at >= 0:
        words = _WORD_RE.findall(low[max(0, at - 20) : at])
        if words and words[-1] in _SUBORDINATORS and "," in low[at + len(p) :]:
            return True
        at = low.find(p, at + 1)
    return False


# "The driver, who was treated for shock, told investigators ..., Hallin said": the relative
# clause is the writer's gloss (GUIDE.md section 3), not what Hallin said
_REL_OPEN_RE = re.compile(r",\s+(?:who|which)\s+$")
_SAID_SUFFIX_RE = re.compile(
    r",\s+[^,;:\"“”]{1,80}?\s+(?:said|says|told\s+[^,;:\"“”]{1,40}?)"
    r"(?:\s+(?:on|in|at|last)\s+[\w-]+)?$"
)
_HAS_SAY_RE = re.compile(r"\b(?:said|says|say|told|according)\b")


def writers_gloss(text: str, claims: list[dict]) -> None:
    """A non-restrictive relative clause ("who was treated for shock") inside a sentence whose
    source is named at its end is the publication's: no claimant, and its wording without
    the source's "X said" (a relative inside the speaker's quotation marks stays theirs)."""
    for c in claims:
        if c.get("claimant") is None or c.get("wording_source") != "rewritten":
            continue
        before = text[max(c["sentence_start"], c["start"] - 12) : c["start"]]
        if not _REL_OPEN_RE.search(before) or _HAS_SAY_RE.search(c["quote"]):
            continue
        if in_quotation(text, c["start"]):
            continue
        m = _SAID_SUFFIX_RE.search(c["text"])
        if m is None:
            continue
        wording = c["text"][: m.start()]
        spans = [s for s in c.get("wording_spans") or [] if s[0] < c["end"] + 1]
        c["text"], c["wording_spans"] = wording, spans or [[c["start"], c["end"]]]
        for k in ("claimant", "claimant_start", "claimant_end", "claimant_kind"):
            c[k] = None


# "the city's debt, which she said had doubled", "The Brigades, which Sarvania's government
# says receives weapons", "a budget gap, which he blamed on the cost of care": a relative
# clause carrying its own source (GUIDE.md section 3: then that source's)
_REL_ANTECEDENT_RE = re.compile(
    r"(?P<np>\b(?:[Tt]he|an?|An?)\s+[^,;:()\"“”]{2,80}?),\s+(?:which|that)\s+$"
)
_REL_SAID_RE = re.compile(
    r"(?P<who>he|she|[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}(?:['’]s\s+[a-z]+)?)\s+"
    r"(?P<v>said|says)\s+(?P<rest>(?:had|has|have|was|were|is|are|would|will|could|"
    r"[a-z]+s|[a-z]+ed)\s.*)$",
    re.DOTALL,
)
_REL_OBJECT_RE = re.compile(
    r"(?P<who>he|she)\s+(?P<v>[a-z]+ed)\s+(?P<rest>(?:on|at|to|for|as|in)\s.*)$", re.DOTALL
)
_DETERMINER_RE = re.compile(r"\b(?:[Tt]he|an?|An?)\s")
_NAME_OPEN_RE = re.compile(r"(?:[A-Z][a-z]+\s+){0,2}?(?P<name>[A-Z][\w'’-]+\s+[A-Z][\w'’-]+)\s")


def _pronoun_person(text: str, c: dict, earlier: list[dict]) -> tuple[str, int, int] | None:
    """Who "he"/"she" in a relative clause is: the person another claim of the sentence is
    credited to, else the person named at the sentence's start; ``None`` when unsure."""
    s0, e0 = c["sentence_start"], c["sentence_end"]
    for d in reversed(earlier):
        if d["sentence_start"] != s0 or d.get("claimant_kind") != "person":
            continue
        if d.get("claimant_start") is not None and d["claimant"].split()[-1] in text[s0:e0]:
            return d["claimant"], d["claimant_start"], d["claimant_end"]
    m = _NAME_OPEN_RE.match(text, s0, e0)
    if m is not None and m.start("name") - s0 < 30:
        return m.group("name"), m.start("name"), m.end("name")
    first = _WORD_RE.match(text, s0, e0)
    for d in reversed(earlier):
        # "Haddad also attacked ...": the surname of a person quoted before
        if (
            first is not None
            and d.get("claimant_kind") == "person"
            and d.get("claimant_start") is not None
            and d["claimant"].split()[-1] == first.group(0)
        ):
            return d["claimant"], d["claimant_start"], d["claimant_end"]
    return None


def relative_sources(text: str, claims: list[dict]) -> None:
    """A relative clause that names its own source ("which she said had doubled") is that
    source's claim, worded "Amira Haddad said the city's debt had doubled ..." from the
    antecedent the article gives; left alone when the source or the antecedent is unsure."""
    for i, c in enumerate(claims):
        if c.get("claimant") is not None:
            continue
        am = _REL_ANTECEDENT_RE.search(text, c["sentence_start"], c["start"])
        if am is None or am.end() != c["start"]:
            continue
        quote = c["quote"]
        m = _REL_SAID_RE.fullmatch(quote) or _REL_OBJECT_RE.fullmatch(quote)
        if m is None:
            continue
        who = m.group("who")
        if who in ("he", "she"):
            found = _pronoun_person(text, c, claims[:i])
            if found is None:
                continue
            name, a, b = found
            kind = "person"
        else:
            a = text.find(who, c["start"], c["end"])
            name, b, kind = who, a + len(who), "organization"
        np = am.group("np")
        last = list(_DETERMINER_RE.finditer(np))[-1]  # "the mayor over the city's debt"
        np_start = am.start("np") + last.start()
        np = np[last.start() :]
        np = np[0].lower() + np[1:] if np.split(" ", 1)[0] in ("The", "A", "An") else np
        # ("she said [it] had doubled", "he blamed [it] on ...": the antecedent goes after the verb)
        wording = f"{name} {m.group('v')} {np} {m.group('rest')}"
        wording = wording[0].upper() + wording[1:]
        sources = [(np_start, c["end"]), (a, b)]
        spans = wording_spans(wording.rstrip(".!?"), text, sources)
        if spans is None:
            continue
        c.update(
            text=wording.rstrip(".!?"),
            wording_source="rewritten",
            wording_spans=spans,
            claimant=name,
            claimant_start=a,
            claimant_end=b,
            claimant_kind=kind,
        )


def apply(text: str, claims: list[dict]) -> list[dict]:
    """``claims`` with each doubtful rewrite (see :func:`doubt`) worded as its passage, and
    the writer's glosses given back to the publication (:func:`writers_gloss`)."""
    writers_gloss(text, claims)
    shared_source(text, claims)
    for c in claims:
        if c.get("wording_source") != "rewritten":
            continue
        why = doubt(c, text)
        if why is None and not (
            _FACT_BOX_RE.match(c["quote"]) and c["text"].startswith(c["quote"][:12])
        ):
            continue
        if why == _WHOSE and c["quote"].split(" ", 1)[0] in _ACT_VERBS:
            # "..., and promised 30 million dinars": an act the article reports (GUIDE.md
            # section 3), whoever did it; not the source's claim
            for k in ("claimant", "claimant_start", "claimant_end", "claimant_kind"):
                c[k] = None
        # (and "Cost: 2.4 billion euros": a fact box's line, the box's subject not in it)
        c["text"] = tidy_quote(c["quote"])
        c["wording_source"] = "quote"
        c["wording_spans"] = [[c["start"], c["end"]]]
    relative_sources(text, claims)
    for c in claims:
        _name_it(text, c)
    return claims


_SHORT_OPEN_RE = re.compile(r"The\s+([a-z]+)\b")
_IT_SAID_RE = re.compile(r",\s+it\s+(?P<v>said|says|added)(?P<when>\s+on\s+[A-Z][a-z]+)?$")


def _name_it(text: str, c: dict) -> None:
    """ "..., it said" closing a wording: the organisation the claimant is ("About 310,000
    patients take the drug, the national medicines agency said")."""
    m = _IT_SAID_RE.search(c["text"])
    if m is None or c.get("wording_source") != "rewritten" or c.get("claimant_start") is None:
        return
    if c.get("claimant_kind") != "organization":
        return
    name = c["claimant"]
    head = _SHORT_OPEN_RE.match(c["text"])
    if name.lower() in c["text"].lower() or (head and head.group(1) in SHORT_HEADS):
        # "The council will close 14 schools, it said": "it" is the subject named; "The company
        # traced ..., it said": the short name is resolved as a whole (shorthand.py)
        return
    if name.split(" ", 1)[0] in ("The", "A", "An"):
        name = name[0].lower() + name[1:]
    wording = c["text"][: m.start()] + ", " + name + " " + m.group("v") + (m.group("when") or "")
    sources = [tuple(x) for x in c.get("wording_spans") or []]
    spans = wording_spans(wording, text, sources + [(c["claimant_start"], c["claimant_end"])])
    if spans is not None:
        c["text"], c["wording_spans"] = wording, spans


_WHOSE = "a verb after a reported clause: whose?"
_ACT_VERBS = frozenset(
    "promised pledged ordered voted asked sent approved signed appointed".split()
)
# a fact box's "Label: value" line worded as it stands
_FACT_BOX_RE = re.compile(
    r"[A-Z](?:(?!\b(?:said|says|told|added|wrote|asked)\b)[\w' -]){1,30}:\s+(?![\"“])\S"
)
# "The company also confirmed ..., but said no decision had been made": the same subject
_SAID_FIRST_RE = re.compile(r"(?:said|says|added|told|warned|noted|insisted|stressed)\s")


def shared_source(text: str, claims: list[dict]) -> None:
    """A reporting verb sharing the subject of an earlier clause ("The company confirmed it
    was in talks ..., but said no decision had been made") reports for that subject, when an
    earlier claim of the sentence names it as its source at the sentence's start."""
    for i, c in enumerate(claims):
        if c.get("claimant") is not None or not _SAID_FIRST_RE.match(c["quote"]):
            continue
        prev = [
            d
            for d in claims[:i]
            if d["sentence_start"] == c["sentence_start"]
            and d.get("claimant_start") is not None
            and d["claimant_start"] - c["sentence_start"] < 5
        ]
        if not prev:
            continue
        d = prev[-1]
        wording = d["claimant"][:1].upper() + d["claimant"][1:] + " " + c["quote"]
        spans = wording_spans(
            wording, text, [(d["claimant_start"], d["claimant_end"])] + [(c["start"], c["end"])]
        )
        if spans is None:
            continue
        c.update(text=wording, wording_source="rewritten", wording_spans=spans)
        for k in ("claimant", "claimant_start", "claimant_end", "claimant_kind"):
            c[k] = d[k]
