"""The wording of a claim: rewrites of appositions and embedded sources, pronouns resolved."""

from __future__ import annotations

import re

from .grammar import _cap, _is_past

_SUMMARY_HEADS = frozenset(
    "move step decision development sign measure gesture blow reversal change shift setback "
    "breakthrough first".split()
)


# "the lowest level", "the biggest drop", "the highest since", "the first time": an
# apposition that ranks a figure or an event, not the noun before it
_FIGURE_HEADS = frozenset(
    "level levels rate rates figure reading pace rise increase fall drop decline jump gain loss "
    "growth total number share amount time since in on for of ever yet recorded".split()
)


_RANKS = frozenset("first second third fourth fifth last only latest".split())


def _figure_apposition(quote: str) -> bool:
    words = quote.lower().split(None, 3)
    if len(words) < 3 or words[2] not in _FIGURE_HEADS:
        return False
    # "a phone call, the first since 2025": the call was the first ("the first time": the event)
    return words[1] not in _RANKS or words[2] == "time"


_EMBED_SAY_RE = re.compile(
    r"(?P<np>(?:the|a|an|its|his|her|their|our)\s+[^\W\d_]+(?:\s+[^\W\d_]+){0,2})\s+"
    r"(?P<v>says|said|claims|claimed|believes|believed|estimates|estimated|hopes|expects|"
    r"expected)\s+(?P<rest>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)


_APPSAY_RE = re.compile(
    r"(?:a|an|the)\s+(?P<noun>[^\W\d_]+)\s+" + _EMBED_SAY_RE.pattern, re.IGNORECASE | re.DOTALL
)


_MAKING_RE = re.compile(r"making\s+(?:it|them|him|her)\s+(?P<rest>\S.*)$", re.DOTALL)


_POSSESSOR_RE = re.compile(r"([A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3})['’]s\s")


_PRONOUN_RE = re.compile(r"(He|She|It)\s+(\S+)")


def _resolve_pronoun(text: str, person: str | None, thing: str | None) -> str:
    """Name who "He"/"She" (or what "It") at the start of a claim's wording refers to."""
    m = _PRONOUN_RE.match(text)
    if not m:
        return text
    if m.group(1) == "It":
        if thing and _is_past(m.group(2)):
            return thing + text[2:]
        return text
    return _cap(person) + text[m.end(1) :] if person else text


# --- faithfulness: every word of a wording comes from the article ---------------------------

PRONOUN_STARTS = frozenset("he she it they this that these those".split())
# words a rewrite may add that carry no fact of their own: the reporting verb of an
# attribution ("X said"), "that" after it, and the genitive of "whose" ("X's")
GLUE_WORDS = frozenset("said says that s".split())
_TOKEN_RE = re.compile(r"[^\W_]+")


def starts_with_pronoun(wording: str) -> bool:
    """Does ``wording`` open with he/she/it/they/this/that/these/those (a reference it does
    not resolve)?"""
    m = _TOKEN_RE.search(wording)
    return m is not None and m.start() <= 1 and m.group(0).lower() in PRONOUN_STARTS


# first-person words: "I", "we", "our" ... (not "US", the country)
_FIRST_PERSON_RE = re.compile(
    r"(?<![\w'’])(?:I|I['’](?:m|ve|d|ll)|[Ww]e|[Ww]e['’](?:re|ve|d|ll)|[Uu]s|[Oo]urs?|"
    r"[Oo]urselves|[Mm]y|[Mm]e|[Mm]yself|"
    # the person spoken to: '"You abused the trust placed in you," the judge told Aalto' is
    # not "Helena Brandt said you abused the trust" (who is "you"?)
    r"[Yy]ou|[Yy]ou['’](?:re|ve|d|ll)|[Yy]ours?|[Yy]ourself)(?![\w'’])"
)  # (not "mine": "the Lerum mine")
_QUOTED_RE = re.compile(r"\"[^\"]*\"|“[^”]*”")


def first_person(wording: str) -> bool:
    """Does ``wording`` speak in the first (or second) person outside quotation marks ("Ana
    Pires said I'm glad", "Weiss said our members ...", "Brandt said you abused ...")? A
    rewrite that puts "X said" before a speaker's own "I"/"we"/"you" turns direct speech into
    reported speech that names nobody (who is "we", whom does "you" address?): such a wording
    is no faithful rewrite, and the quote stands."""
    return _FIRST_PERSON_RE.search(_QUOTED_RE.sub(" ", wording)) is not None


_DEMONSTRATIVE_RE = re.compile(
    r"[\"“'‘\s]*(?:That|Those|(?:This|These)(?!\s+(?:is|was|are|were)\s+(?:the\s+)?(?:[a-z]+est|"
    r"first|last|only|most|least|biggest|largest|worst|best)\b))\s+(?:is|was|are|were)\b"
)


def quoted_demonstrative(quote: str, start: int, text: str) -> bool:
    """'"That is not true," Lindqvist replied', '"This was not bad luck," she said': quoted
    words whose subject points at something said or done before; "Lindqvist said that is not
    true" would name nothing. (Not "This is the worst fire season in a decade": the here and
    now the speaker stands in.)"""
    return _DEMONSTRATIVE_RE.match(quote) is not None and (
        quote[:1] in '"“' or in_quotation(text, start)
    )


def in_quotation(text: str, start: int) -> bool:
    """Does the passage starting at ``start`` stand inside quotation marks (an odd number of
    marks before it on its line)?"""
    line = max(text.rfind("\n", 0, start) + 1, 0)
    before = text[line:start]
    return (before.count('"') + before.count("“") + before.count("”")) % 2 == 1


def speaker_quote(
    quote: str, start: int, end: int, text: str, speaker
) -> tuple[str, list[list[int]]] | None:
    """A speaker's own words in the first person, as the wording: 'Rosa Vidal said: "We left
    with the clothes we were wearing."' (never "Rosa Vidal said we left ...", which makes
    "we" nobody's), with the spans it comes from; ``None`` unless ``quote`` is direct speech
    in the first person and ``speaker`` (a claimant with offsets) is named in ``text``."""
    if speaker is None or speaker.start is None:
        return None
    label = speaker.end <= start and text[speaker.end : speaker.end + 1] == ":"
    if not (label or in_quotation(text, start)):
        return None  # ("HALE: We cut the deficit": a transcript's line is direct speech)
    if not text[start : start + 1].isupper():
        return None  # a piece of a quoted sentence ("gave us nothing"), not a sentence
    q = tidy_quote(quote.strip("\"“”'‘’ "))
    if not q or not first_person(q) or starts_with_pronoun(q):
        return None  # ('"It was worse than anything I have seen": what "it" is, is not said)
    wording = f'{_cap(speaker.name)} said: "{q}"'
    return wording, sorted([[speaker.start, speaker.end], [start, end]])


def tidy_quote(quote: str) -> str:
    """The quote as a wording: capital first letter and a full stop."""
    q = quote.strip()
    if not q:
        return q
    q = q[0].upper() + q[1:]
    end = q.rstrip("\"'”’»")  # (not ")": "Cost: 2.4 billion euros (budget 1.85 billion).")
    if end and end[-1] not in ".!?…":
        q = end + "." + q[len(end) :] if len(end) != len(q) else q + "."
    # 'X said: "Our members have not had a pay rise': the quotation it opens is closed
    if q.count('"') % 2:
        q += '"'
    elif q.count("“") > q.count("”"):
        q += "”"
    return q


def token_index(text: str, sources: list[tuple[int, int]]) -> tuple[list, dict]:
    """The words of ``text`` within ``sources``: their spans in order, and for each word
    (case-folded) the positions in that list where it occurs."""
    toks: list[tuple[int, int]] = []
    where: dict[str, list[int]] = {}
    for a, b in sorted(sources):
        for m in _TOKEN_RE.finditer(text, a, b):
            where.setdefault(m.group(0).casefold(), []).append(len(toks))
            toks.append(m.span())
    return toks, where


def wording_spans(
    wording: str,
    text: str,
    sources: list[tuple[int, int]],
    glue: frozenset = GLUE_WORDS,
    cache: dict | None = None,
) -> list[list[int]] | None:
    """The stretches of ``text`` (within ``sources``) that the words of ``wording`` come
    from, as sorted ``[start, end]`` offsets; ``None`` when a word (other than ``glue``)
    comes from none of them. Words are matched case-insensitively, in order where the
    sources allow (a name before "said" may come from later in the sentence).
    ``cache`` keeps ``token_index(text, sources)`` between calls on the same sources."""
    if wording and len(sources) == 1:
        # the common case: the wording is a stretch of the sentence (its first letter capital)
        a, b = sources[0]
        i = text.find(wording[1:], a, b)
        if i > a and text[i - 1].casefold() == wording[0].casefold():
            return [[i - 1, i - 1 + len(wording)]]
    key = tuple(sources)
    if cache is not None and key in cache:
        toks, where = cache[key]
    else:
        toks, where = token_index(text, sources)
        if cache is not None:
            cache[key] = (toks, where)
    runs: list[list[int]] = []
    last = -2
    for m in _TOKEN_RE.finditer(wording):
        cands = where.get(m.group(0).casefold())
        if not cands:
            if m.group(0).casefold() in glue:
                last = -2
                continue
            return None
        i = next((c for c in cands if c > last), cands[0])
        s, e = toks[i]
        if i == last + 1 and runs:
            runs[-1][1] = e
        else:
            runs.append([s, e])
        last = i
    runs.sort()
    merged: list[list[int]] = []
    for s, e in runs:
        if merged and s <= merged[-1][1] + 3 and not _TOKEN_RE.search(text, merged[-1][1], s):
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return merged
