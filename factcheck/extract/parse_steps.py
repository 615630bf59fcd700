"""The optional parse step of claim extraction (setting ``EXTRACT_PARSER``).

``"rules"`` (the default) is the pure-Python extractor alone. ``"spacy"`` runs it and then
uses spaCy's dependency parse (:mod:`factcheck.extract.parse`) where bench/compare_parsers.py
measured that the parse adds something the rules miss: a claim whose passage holds two
coordinated clauses ("The Homeland list lost both its seats, and the Left Alliance kept its
three"; "will withdraw 11 routes and raise fares by 8%") is split into one claim per clause,
each with its own span; a clause that shares its subject with the one before it is worded
with that subject, taken from the sentence ("Halvik Buss ... raise single fares by 8%").
The rules' wording is kept for each part (cut where the second clause begins), so a name the
rules resolved stays resolved.

Where spaCy or its model is missing, ``"spacy"`` falls back to the rules (logged once).
"""

from __future__ import annotations

import logging
import os
import re

from . import parse as P
from .claims import extract_claims as rules_extract_claims
from .filters import not_a_claim
from .kinds import claim_kinds
from .model import load_model
from .score import _score
from .values import find_values

log = logging.getLogger(__name__)

PARSERS = ("rules", "spacy")
PARSER_ENV = "FACTCHECK_EXTRACT_PARSER"
_configured: str | None = None
_warned = False

# what joins two clauses: ", and", "; but", ", while" ... (left at the end of the first part)
_JOIN_TAIL_RE = re.compile(r"[\s,;:\u2013\u2014-]*(?:\b(?:and|but|while|whereas|or)\b)?[\s,;:]*$")
_JOIN_RE = re.compile(r";|\b(?:and|but|while|whereas)\b")
_QUOTES = ('"', "\u201c", "\u201d")
_ATTR_PREFIX_RE = re.compile(r"^(.{2,120}?\b(?:said|says)(?: that)?\s)")


def configure(parser: str | None) -> None:
    """Set this process's parser (``create_app`` calls it with ``EXTRACT_PARSER``)."""
    global _configured
    _configured = parser if parser in PARSERS else None
    if parser not in (None, *PARSERS):
        log.warning("EXTRACT_PARSER %r is not one of %s: using the rules", parser, PARSERS)


def current_parser() -> str:
    """The parser in force: the configured one, else ``FACTCHECK_EXTRACT_PARSER``, else
    ``"rules"``."""
    if _configured:
        return _configured
    env = os.environ.get(PARSER_ENV, "").strip().lower()
    return env if env in PARSERS else "rules"


def extract_claims(
    text: str,
    published=None,
    threshold: float | None = None,
    parser: str | None = None,
) -> list[dict]:
    """:func:`factcheck.extract.claims.extract_claims`, then, with the ``"spacy"`` parser,
    the parse step (see the module's docstring). ``parser`` overrides the setting."""
    claims = rules_extract_claims(text, published=published, threshold=threshold)
    if (parser or current_parser()) != "spacy" or not claims:
        return claims
    try:
        sentences = P.parse(text)
    except P.ParserUnavailable as exc:
        global _warned
        if not _warned:
            log.warning("EXTRACT_PARSER is spacy, but %s: extracting with the rules", exc)
            _warned = True
        return claims
    thr = load_model().threshold if threshold is None else float(threshold)
    claims = split_coordinated(text, claims, sentences, published, thr)
    return add_appositions(text, claims, sentences, published, thr)


def _pair(pairs: list[tuple[P.Clause, P.Clause]]) -> tuple[P.Clause, P.Clause] | None:
    """The first two coordinated finite clauses of a passage, neither a reporting verb nor
    a modifier, the second with a subject (its own or the first's)."""
    for a, b in pairs:
        if a.reported or b.reported or a.dep in P.MODIFIERS or not (a.finite and b.finite):
            continue
        if b.subject_from in ("own", "shared"):
            return a, b
    return None


def _part(
    claim: dict,
    start: int,
    end: int,
    wording: str,
    text: str,
    published,
    thr: float,
    extra_span: tuple[int, int] | None = None,
) -> dict | None:
    quote = text[start:end]
    values = [{k: v for k, v in d.items() if k[0] != "_"} for d in find_values(quote, published)]
    if not_a_claim(wording, values, False):
        return None
    kinds = claim_kinds(quote, values, claim.get("claimant") is not None, False)
    score = round(_score(wording, quote, kinds), 4)
    spans = [list(s) for s in claim.get("wording_spans") or [[start, end]]]
    if extra_span and list(extra_span) not in spans:
        spans.append(list(extra_span))
    return dict(
        claim,
        start=start,
        end=end,
        quote=quote,
        text=wording,
        kind=kinds,
        score=score,
        checkworthy=score >= thr,
        values=values,
        wording_spans=spans,
    )


def _finish(wording: str) -> str:
    """A part's wording: the joining words at its end dropped, a capital (no full stop,
    like the rules' rewritten wordings)."""
    w = _JOIN_TAIL_RE.sub("", wording.rstrip(" .")).rstrip()
    return w[:1].upper() + w[1:]


def split_one(
    text: str, claim: dict, sentences: tuple[P.Sentence, ...], published, thr: float
) -> list[dict]:
    """``claim`` split at its coordinated clauses, or ``[claim]``."""
    start, end = claim["start"], claim["end"]
    pair = _pair(P.coordinated(sentences, start, end))
    if pair is None:
        return [claim]
    a, b = pair
    cut = b.extent.start  # the second clause's first word (its own subject, or its verb)
    if b.subject_from == "own" and b.subject is not None:
        cut = min(cut, b.subject.start)
    if not start < cut < end:
        return [claim]
    first_end = start + len(_JOIN_TAIL_RE.sub("", text[start:cut]))
    if not _JOIN_RE.search(text[first_end:cut]):
        return [claim]  # no "and"/"but"/";" between them: rather a misparse than two clauses
    if first_end - start < 8 or end - cut < 8:
        return [claim]
    wording = claim.get("text") or ""
    if any(q in text[start:end] or q in wording for q in _QUOTES):
        return [claim]  # direct speech: the speaker's sentence stays whole
    second_core = text[cut : b.extent.end]
    probe = second_core[: min(len(second_core), 24)]
    at = wording.lower().find(probe.lower())
    if at <= 0:
        return [claim]  # the rules' wording does not carry the second clause as it stands
    first_wording = _finish(wording[:at])
    rest = wording[at:]
    prefix = ""
    m = _ATTR_PREFIX_RE.match(wording)
    if m and m.end() <= at and claim.get("claimant"):
        prefix = m.group(1)  # "The ministry said ": the source of both clauses
    extra = None
    if b.subject_from == "shared" and b.subject_core is not None:
        subj = b.subject_core
        rest = subj.text + " " + rest
        extra = (subj.start, subj.end)
    second_wording = prefix + rest
    second_wording = _finish(second_wording[0].upper() + second_wording[1:])
    first = _part(claim, start, first_end, first_wording, text, published, thr)
    second = _part(claim, cut, end, second_wording, text, published, thr, extra)
    if first is None or second is None or not (first["checkworthy"] and second["checkworthy"]):
        return [claim]  # (two facts a desk would check, or the claim as the rules gave it)
    return [first, second]


def split_coordinated(
    text: str, claims: list[dict], sentences: tuple[P.Sentence, ...], published, thr: float
) -> list[dict]:
    """Every claim split at its coordinated clauses (see :func:`split_one`)."""
    out: list[dict] = []
    seen: set[tuple[int, int]] = {(c["start"], c["end"]) for c in claims}
    for claim in claims:
        parts = split_one(text, claim, sentences, published, thr)
        if len(parts) > 1 and any(
            (p["start"], p["end"]) in seen
            and (p["start"], p["end"]) != (claim["start"], claim["end"])
            for p in parts
        ):
            parts = [claim]  # a part the rules already give as a claim of its own
        out.extend(parts)
    out.sort(key=lambda c: (c["start"], c["end"]))
    return out


def _iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    i = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    u = (a[1] - a[0]) + (b[1] - b[0]) - i
    return i / u if u > 0 else 0.0


# where an apposition's description ends: its own relative clause or aside
_APPOS_END_RE = re.compile(r",\s|\s(?:who|which|that|whose|where)\s")
# an apposition about a figure, not a description of a name ("..., a figure that ...")
_MEASURE_NOUNS = frozenset(
    "figure level rise fall increase decrease drop record rate share amount number total sum "
    "jump gain loss cut".split()
)
_DESCRIBING = frozenset("a an the its his her their".split())


def add_appositions(
    text: str, claims: list[dict], sentences: tuple[P.Sentence, ...], published, thr: float
) -> list[dict]:
    """A claim of its own for an apposition describing a name ("Velmar Pharma, Brevia's
    largest drugmaker," gives "Velmar Pharma is Brevia's largest drugmaker."), the article's
    own statement, where the rules give none for that stretch."""
    spans = [(c["start"], c["end"]) for c in claims]
    out = list(claims)
    for s in sentences:
        for c in s.clauses:
            if c.dep != "appos" or c.subject_core is None:
                continue
            if c.subject_pos != "PROPN" or c.pos != "NOUN" or c.lemma in _MEASURE_NOUNS:
                continue  # a name describing a noun ("its chairman, Viktor Lamm") is no fact
            a, b = c.extent.start, c.extent.end
            cut = _APPOS_END_RE.search(c.extent.text)
            if cut:
                b = a + cut.start()  # "a village of 600 people[ that will lose its only bus]"
            phrase = text[a:b]
            words = phrase.split()
            if len(words) < 2 or any(_iou((a, b), t) >= 0.5 for t in spans):
                continue
            if not (
                words[0].lower() in _DESCRIBING
                or any(w.endswith(("'s", "\u2019s")) for w in words[:3])
            ) or any(ch in phrase for ch in "()\n"):
                continue  # "a town of ...", "Brevia's largest drugmaker"; not "all his life"
            if any(q in text[max(s.start, a - 200) : a] for q in ('"', "\u201c")):
                continue  # inside a quotation: the speaker's words, not a description
            holder = next(
                (x for x in claims if x["sentence_start"] <= a and b <= x["sentence_end"]), None
            )
            if holder is None:
                continue  # only in a sentence the rules find a claim in (not a headline ...)
            ante = c.subject_core
            if ante.text.isupper():
                continue  # a dateline's place ("OSTRAVIK, Brenmark, Sept 8 - ..."): a misparse
            wording = _finish(f"{ante.text} is {phrase}")
            part = _part(
                dict(
                    holder,
                    claimant=None,
                    claimant_start=None,
                    claimant_end=None,
                    claimant_kind=None,
                    wording_source="rewritten",
                    wording_spans=[[ante.start, ante.end]],
                ),
                a,
                b,
                wording,
                text,
                published,
                thr,
                (a, b),
            )
            if part is not None:
                out.append(part)
                spans.append((a, b))
    out.sort(key=lambda c: (c["start"], c["end"]))
    return out
