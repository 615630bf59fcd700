"""Who a source phrase names: the ``Claimant`` (name, offsets, person or organisation), the
source inside an attribution phrase ("said Mayor Ana Ruiz on Thursday" -> "Ana Ruiz"), and
the word lists that tell people, titles, organisations and countries apart."""

from __future__ import annotations

import re
from typing import NamedTuple

from .grammar import _FINITE

# --- the claimant: who makes a claim, named, with the offsets of the name ----------------

_SAY_WORD_RE = re.compile(
    r"\b(?:said|says|say|noted|notes|stressed|added|adds|reported|reports|announced|claimed|"
    r"claims|argued|argues|warned|warns|insisted|confirmed|denied|acknowledged|estimated|"
    r"estimates|wrote|writes|told|tells|has pointed out|pointed out|explained|revealed|stated|"
    r"states|maintained|alleged|admitted|found|finds|showed|shows|show|indicated|concluded|"
    r"recalled|remarked|replied|testified|heard|cautioned|countered|responded|conceded|"
    r"contended|asserted|complained)\b"
)
# what follows a source's name and is no part of it: "on Thursday", "in an interview", ", 52"
_SOURCE_TAIL_RE = re.compile(
    r"(?:,?\s+(?:on|in|at|during|last|this|earlier|late|early|late on|published|released|"
    # "It also found", "The ministry later said": the adverb is no part of the name
    r"issued|who|which|whose|told|to|also|later|separately|previously|again|further)\b.*"
    r"|,(?!\d{3}).*)$",
    re.DOTALL,
)
_APPOS_NAME_RE = re.compile(
    # "His challenger, councillor Amira Haddad of the People's Party, said": lower-case title
    # words before the name, and the party or employer after it, are no part of it
    r"[^,]{2,60},\s+(?:[a-z][\w'’-]*\s+){0,4}(?P<name>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){1,3})"
    r"(?:,|\s*$|\s+(?:said|says|told|added)|\s+(?:of|at|from)\s)"
)
# (not "commissioned by": who pays for a review is not who reviewed)
_PUBLISHED_BY_RE = re.compile(
    r"\b(?:published|released|issued|compiled|conducted)\s+by\s+"
    r"(?P<who>(?:the\s+)?[\w'’-]+(?:\s+(?!in\b|on\b|at\b|last\b|this\b|said\b|says\b|"
    r"found\b|finds\b|showed\b|shows\b)[\w'’-]+){0,4})"
)
_TIME_ONLY_RE = re.compile(r"\s*(?:on|in|at|last|this|late|early|earlier)\b")
_LEAD_DET_RE = re.compile(r"(?:according to|by)\s+", re.IGNORECASE)
TITLE_WORDS = frozenset(
    "president vice prime minister secretary senator sen sen. governor gov gov. mayor deputy "
    "chancellor chairman chairwoman chair chief director general gen gen. colonel col col. "
    "captain capt capt. judge justice ambassador spokesman spokeswoman spokesperson commissioner "
    "inspector superintendent sergeant officer dr dr. prof prof. professor mr mr. mrs mrs. ms ms. "
    "sir dame lord lady king queen prince princess pope bishop rev rev. father sister leader "
    "head founder ceo chief executive manager economist analyst councillor councilor "
    "councilman councilwoman representative rep rep. congressman congresswoman lawmaker "
    "speaker premier attorney prosecutor lawyer coach owner union interior foreign finance "
    "defence defense health economy trade labour labor justice education energy home "
    "environment transport agriculture former acting outgoing incoming opposition "
    "leftist rightist conservative liberal democratic republican incumbent challenger "
    "candidate rival veteran".split()
)
_PERSON_NOUNS = frozenset(
    "spokesman spokeswoman spokesperson mayor minister president governor senator director "
    "owner master leader resident witness witnesses analyst analysts economist economists "
    "doctor doctors chief officer officers judge lawyer prosecutor teacher manager farmer "
    "driver secretary chairman chairwoman chair researcher researchers scientist scientists "
    "expert experts official officials residents neighbour neighbor neighbours neighbors "
    "victim mother father son daughter wife husband student students worker workers aide aides "
    "adviser advisers advisor advisors allies supporters lawyers staff spokespeople".split()
)
ORG_WORDS = frozenset(
    "ministry department agency office bank council company corporation corp corp. inc inc. "
    "ltd ltd. group party government police army navy military court commission committee "
    "service services union authority authorities board institute institution university "
    "association federation foundation organisation organization society league network "
    "reuters ap afp bureau administration parliament congress senate assembly cabinet "
    "embassy hospital school club team firm operator registry regulator watchdog tribunal "
    "study survey report reports data figures statistics census poll index panel unit "
    "house centre center fund programme program nations forces guard journal gazette herald "
    "tribune courier observer broadcaster newspaper research".split()
)
COUNTRIES = frozenset(
    "afghanistan albania algeria andorra angola argentina armenia australia austria azerbaijan "
    "bahamas bahrain bangladesh barbados belarus belgium belize benin bhutan bolivia bosnia "
    "botswana brazil brunei bulgaria burundi cambodia cameroon canada chad chile china colombia "
    "comoros congo croatia cuba cyprus czechia denmark djibouti dominica ecuador egypt eritrea "
    "estonia eswatini ethiopia fiji finland france gabon gambia georgia germany ghana greece "
    "grenada guatemala guinea guyana haiti honduras hungary iceland india indonesia iran iraq "
    "ireland israel italy jamaica japan jordan kazakhstan kenya kiribati kosovo kuwait "
    "kyrgyzstan laos latvia lebanon lesotho liberia libya liechtenstein lithuania luxembourg "
    "madagascar malawi malaysia maldives mali malta mauritania mauritius mexico micronesia "
    "moldova monaco mongolia montenegro morocco mozambique myanmar namibia nauru nepal "
    "netherlands nicaragua niger nigeria norway oman pakistan palau palestine panama paraguay "
    "peru philippines poland portugal qatar romania russia rwanda samoa senegal serbia "
    "seychelles singapore slovakia slovenia somalia spain sudan suriname sweden switzerland "
    "syria taiwan tajikistan tanzania thailand togo tonga tunisia turkey turkmenistan tuvalu "
    "uganda ukraine uruguay uzbekistan vanuatu venezuela vietnam yemen zambia zimbabwe "
    "washington moscow beijing london paris brussels kyiv caracas bogota tehran".split()
)
_DOC_WORDS = frozenset(
    "data figures statistics records report reports survey study poll census analysis "
    "estimates".split()
)
_NOT_NAMES = frozenset(
    "the a an this that these those it he she they we i there his her its their our my your "
    "some many most several both all no one two three last next today yesterday".split()
)
_NAME_CLAUSE_RE = re.compile(r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*\s+(?:" + _FINITE + r")\b")
_PRONOUN_SOURCES = frozenset("he she".split())
_NAME_RUN_RE = re.compile(
    r"[A-Z][\w'’.-]*(?:\s+(?:(?:de|del|la|van|von|bin|al|of|for|and)\s+)*[A-Z][\w'’.-]*)*"
    r"(?<![\s.])"
)
_OF_ORG_RE = re.compile(r"(?P<name>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){1,3})\s+(?:of|at|from)\s")
_POSSESSIVE_RE = re.compile(r"[A-Za-z]['’]s\s+\S")
_JOINER_RE = re.compile(r"\s+(?:of|for|and)\s+")


class Claimant(NamedTuple):
    """Who makes a claim: ``name`` as the article gives it, the offsets of that mention in
    the text it was found in, and ``kind`` ("person" | "organization" | None)."""

    name: str
    start: int
    end: int
    kind: str | None
    phrase: str = ""  # the whole source phrase, titles included ("Interior Minister Ana Ruiz")


def source_phrase(who: str) -> tuple[int, int] | None:
    """The span of the source inside an attribution phrase: "reported Colombian Interior
    Minister Ana Ruiz on Thursday" -> "Colombian Interior Minister Ana Ruiz"; "the ministry
    noted in a statement" -> "the ministry"; "according to the agency" -> "the agency"."""
    s, e = 0, len(who)
    m = _LEAD_DET_RE.match(who)
    if m:
        s = m.end()
    pm = _PUBLISHED_BY_RE.search(who, s, e)
    if pm:
        return pm.span("who")  # "figures published by the force in January": the force
    am = _APPOS_NAME_RE.match(who, s, e)
    if am:
        # "The farm's owner, Rosa Lind(, 52), said": the name in apposition
        return am.span("name")
    vm = None if m else _SAY_WORD_RE.search(who, s, e)
    if vm is not None:
        if not who[s : vm.start()].strip(" ,"):
            if vm.group(0) in ("told", "tells"):
                return None  # "told the jury": whom, not who
            s = vm.end()  # "said Mayor Ana Ruiz"
            if _TIME_ONLY_RE.match(who, s, e):
                return None  # "said on Wednesday": nobody named here
            if who.startswith(" reporters", s):
                s += len(" reporters")
        else:
            e = vm.start()  # "the ministry said"
    while s < e and who[s] in " ,":
        s += 1
    tm = _SOURCE_TAIL_RE.search(who, s, e)
    while tm is not None and tm.start() > s:
        e = tm.start()
        tm = _SOURCE_TAIL_RE.search(who, s, e)
    while e > s and who[e - 1] in " ,.":
        e -= 1
    return (s, e) if e > s else None


def name_of(phrase: str) -> tuple[int, int, str | None]:
    """The name inside a source phrase and its kind: "Colombian Interior Minister Ana Ruiz"
    -> "Ana Ruiz" (person); "The farm's owner, Rosa Lind" -> "Rosa Lind"; "the health
    ministry" -> the phrase itself (organization); "police" -> organization."""
    low_words = phrase.lower().replace("'s", "").split()
    first = next((w for w in low_words if w not in ("the", "a", "an")), "")
    if (
        first in _DOC_WORDS
        and len(low_words) > 1
        and not _POSSESSIVE_RE.search(phrase)
        and not any(w[:1].isupper() for w in phrase.split()[1:])
    ):
        return 0, len(phrase), "organization"  # "Data from the statistics office"
    if _POSSESSIVE_RE.search(phrase):
        # "Senator Jo Hale's former aides": the aides, not the senator
        head = low_words[-1].strip(",.") if low_words else ""
        if head in ORG_WORDS:
            return 0, len(phrase), "organization"  # "Veradia's agriculture ministry"
        return 0, len(phrase), "person" if head in _PERSON_NOUNS else None
    runs = [m for m in _NAME_RUN_RE.finditer(phrase) if m.group(0)[:1].isupper()]
    if runs and runs[0].start() == 0 and " " not in runs[0].group(0):
        rest = phrase[runs[0].end() :].split()
        if rest and rest[0][:1].islower() and rest[0] not in ("of", "at", "from"):
            runs = runs[1:]  # "Crime figures published by ...": a capital, not a name
    if runs:
        run = runs[-1]
        of = _OF_ORG_RE.search(phrase)  # ("Incumbent mayor Oskar Lindqvist of the ...")
        if of is not None and runs[0].end() == of.end("name"):
            run = runs[0]  # "Lea Moravec of the Institute for Fiscal Research": the person
        words = list(re.finditer(r"\S+", run.group(0)))
        title = False
        first = 0
        for i, w in enumerate(words):
            if w.group(0).lower().rstrip(",") in TITLE_WORDS:
                title = True
                first = i + 1
        lows = [w.group(0).lower() for w in words]
        if any(x in ORG_WORDS for x in lows) or (len(words) == 1 and words[0].group(0).isupper()):
            return run.start(), run.end(), "organization"
        if len(words) == 1 and lows[0].strip(".") in COUNTRIES:
            return run.start(), run.end(), "organization"
        if first < len(words) and (title or len(words) >= 2 or len(runs) == 1):
            a = run.start() + words[first].start()
            if run.start() == 0 and first == 0 and lows[0] in ("the", "a", "an"):
                return 0, len(phrase), None
            b = run.end()
            jm = _JOINER_RE.search(phrase, a, b)
            if jm is not None and len(phrase[a : jm.start()].split()) >= 2:
                b = jm.start()  # "Henrik Aune of Fjellmark (police)": the person
            return a, b, "person"
    head = low_words[-1].strip(",.") if low_words else ""
    if head in ORG_WORDS or head in ("police", "officials", "authorities"):
        return 0, len(phrase), "organization"
    if head in _PERSON_NOUNS:
        return 0, len(phrase), "person"
    return 0, len(phrase), None


def find_claimant(who: str, sentence: str, avoid: tuple[int, int]) -> Claimant | None:
    """The claimant named by the attribution ``who`` (a slice of ``sentence`` or
    "according to" + one), with offsets in ``sentence``; ``avoid`` is the claim's own span
    (the name is looked for outside it first). He/She are left to the caller."""
    if not who:
        return None
    span = source_phrase(who)
    if span is None:
        return None
    phrase = who[span[0] : span[1]]
    both = _coordinated(phrase, sentence, avoid)
    if both is not None:
        return both
    a, b, kind = name_of(phrase)
    name = phrase[a:b].strip()
    if not name or len(name.split()) > 12:
        return None
    pos = -1
    for m in re.finditer(re.escape(name), sentence, re.IGNORECASE):
        pos = m.start()
        if m.end() <= avoid[0] or m.start() >= avoid[1]:
            break
    if pos < 0:
        return None
    if name.split(" ", 1)[0].lower() in _POSSESSIVES:
        # "Its leader, Anton Berg, called ... and said ...": the name the sentence gives
        nm = re.compile(re.escape(name) + r",\s+(?P<name>" + _NAME_RUN_RE.pattern + r")(?=,)")
        m = nm.search(sentence)
        if m is not None and len(m.group("name").split()) >= 2:
            a, b = m.span("name")
            return Claimant(sentence[a:b], a, b, "person", phrase)
    return Claimant(sentence[pos : pos + len(name)], pos, pos + len(name), kind, phrase)


_POSSESSIVES = frozenset("its his her their our".split())
_BOTH_RE = re.compile(
    r"^(?:both\s+)?(?P<co>.+?)(?:,?\s+(?:both|all|each|together|jointly))?$", re.I
)
_AND_RE = re.compile(r",\s+(?:and\s+)?|\s+and\s+")


def _coordinated(phrase: str, sentence: str, avoid: tuple[int, int]) -> Claimant | None:
    """ "Mayor Ana Ruiz and Governor Tom Hale (both) said": one claim made by both, never by
    one of them: the claimant names them all ("Ana Ruiz and Tom Hale"), its offsets span the
    mention of the first to the last."""
    m = _BOTH_RE.match(phrase.strip())
    co = m.group("co") if m else phrase
    parts = _AND_RE.split(co)
    if not 2 <= len(parts) <= 4 or " and " not in co:
        return None
    names, kinds = [], set()
    for part in parts:
        a, b, kind = name_of(part)
        name = part[a:b].strip()
        if not name or kind is None or len(name.split()) > 6:
            return None
        names.append(name)
        kinds.add(kind)
    spans = []
    for name in names:
        found = [x for x in re.finditer(re.escape(name), sentence) if x.end() <= avoid[0]]
        found = found or list(re.finditer(re.escape(name), sentence))
        if not found:
            return None
        spans.append(found[-1].span())
    start, end = min(a for a, _ in spans), max(b for _, b in spans)
    if end - start > len(co) + 5:
        return None
    name = ", ".join(names[:-1]) + " and " + names[-1]
    kind = kinds.pop() if len(kinds) == 1 else None
    return Claimant(name, start, end, kind, phrase)


def is_pronoun_source(c: Claimant | None) -> bool:
    return c is not None and c.name.lower() in _PRONOUN_SOURCES
