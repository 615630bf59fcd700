"""Atomic claims of an article, the public API ``extract_claims`` / ``claim_spans``.

The pipeline, one step a module: segment (:mod:`.segment`) -> one sentence's pieces
(:mod:`.spans`: attribution, quoted words, :mod:`.clauses`) -> each piece's claimant
(:mod:`.claimant`) -> its wording (:mod:`.wording`, checked by :mod:`.final_wording`) ->
values (:mod:`.values`) -> kinds and score (:mod:`.kinds`, :mod:`.score`); then the passes
over the article's claims (:mod:`.open_quotes`, :mod:`.confidence`, :mod:`.shorthand`,
:func:`.filters.drop_repeats`). This module holds what the sentences read so far tell the
next one (:class:`_Context`) and puts the steps together.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from .claimant import (
    _BARE_QUOTE_RE,
    Claimant,
    People,
    _context,
    find_claimant,
    speaker_label,
    wording_source,
)
from .confidence import apply as doubtful_rewrites
from .filters import drop_repeats, has_verb, lead_end, not_a_claim
from .final_wording import faithful_wording
from .grammar import _cap, _decap
from .kinds import CLAIM_KIND_NAMES, claim_kinds
from .model import load_model
from .open_quotes import _open_quotes
from .pronouns import _HE_SHE, _opening_pronoun, _other_person
from .score import _score
from .segment import CLAIM_KINDS, Segment, split_sentences
from .shorthand import resolve as resolve_shorthand
from .spans import check_attribution, claim_spans
from .values import find_values
from .wording import _resolve_pronoun, tidy_quote

__all__ = [
    "claim_spans",
    "extract_claims",
    "claim_kinds",
    "check_attribution",
    "drop_repeats",
    "CLAIM_KIND_NAMES",
]


@dataclass
class _Context:
    """What the sentences read so far tell the next one."""

    person: str | None = None  # who "He"/"She" in the next sentence most likely is
    thing: str | None = None  # what "It" in the next sentence most likely is
    mentions: dict[str, tuple[int, int]] = field(default_factory=dict)  # where they were named
    speaker: str | None = None  # who spoke the quotation just before
    speaker_claimant: Claimant | None = None
    speaker_span: tuple[int, int] | None = None  # where that speaker is named
    people: People = field(default_factory=People)
    genders: dict[str, str] = field(default_factory=dict)  # surname -> "he"/"she"

    def forget(self) -> None:
        """A headline, a byline, a break: no pronoun reaches back past it."""
        self.person = self.thing = self.speaker = self.speaker_claimant = None


@dataclass
class _Sentence:
    """One sentence being read: where it starts in the article (``at``, past a speaker's
    label), its text, the paragraph before it, its speaker label (a debate or interview
    line), whether it goes on the quotation before it, whether it is a question."""

    seg: Segment
    at: int
    sent: str
    para: str
    label: Claimant | None
    continued: bool = False
    question: bool = False


def extract_claims(
    text: str,
    published: datetime.date | str | None = None,
    threshold: float | None = None,
) -> list[dict]:
    """Return the atomic claims of an article, sorted by position.

    ``published`` (a date or ``YYYY-MM-DD``) resolves relative dates; ``threshold``
    overrides the model's default decision threshold for ``checkworthy``.

    Each claim has ``start``/``end``/``quote`` (its span), ``text`` (the wording),
    ``claimant`` (who makes it, or ``None`` for the publication) with ``claimant_start``/
    ``claimant_end`` (the offsets of that name's mention) and ``claimant_kind``,
    ``wording_source`` ("rewritten", or "quote" when no faithful rewrite was found) and
    ``wording_spans`` (the stretches of ``text`` every word of the wording comes from),
    ``kind``, ``values``, ``score``, ``checkworthy``, ``sentence_start``/``sentence_end``.
    """
    if not isinstance(text, str) or not text.strip():
        return []
    thr = load_model().threshold if threshold is None else float(threshold)
    segments: list[Segment] = split_sentences(text)
    seen: set[tuple[int, int]] = set()
    claims: list[dict] = []
    ctx = _Context()
    line_starts = [0] + [m.end() for m in _LINE_BREAK_RE.finditer(text)]
    line_no = 0
    for seg in segments:
        if seg.kind not in CLAIM_KINDS:
            ctx.forget()
            continue
        while line_no + 1 < len(line_starts) and line_starts[line_no + 1] <= seg.start:
            line_no += 1
        label = speaker_label(text, line_starts[line_no], seg.end)
        at = label.end if label is not None and label.start >= seg.start else seg.start
        if label is not None:
            at = _skip_label(text, at, seg.end)
        sent = text[at : seg.end]
        para = text[text.rfind("\n", 0, seg.start) + 1 : seg.start]  # the paragraph so far
        s = _Sentence(seg, at, sent, para, label)
        pieces = claim_spans(sent)
        _pronoun_referent(ctx, sent, para)
        pieces = _continued_quote(s, pieces, ctx.speaker)
        ctx.speaker = next((p["speaker"] for p in pieces if p.get("speaker")), None)
        s.question = sent.rstrip().rstrip("\"'”’»)").endswith("?")
        sentence_claimant = _sentence_claims(text, s, pieces, ctx, published, thr, seen, claims)
        _note_sentence(ctx, s, pieces, sentence_claimant)
    claims.sort(key=lambda c: (c["start"], c["end"]))
    _open_quotes(text, claims)
    claims = resolve_shorthand(text, doubtful_rewrites(text, claims))
    lead = lead_end(text, [(s.start, s.end, s.kind) for s in segments[:2]])
    return drop_repeats(claims, lead)


def _pronoun_referent(ctx: _Context, sent: str, para: str) -> None:
    """ "Abel said it had doubled under Reinholt. She replied ...": not Abel, whom "he" named
    before, but someone this paragraph named; never a guess among speakers further back ("...
    Dahl said. [new paragraph] ... He was taken to hospital")."""
    pron = _opening_pronoun(sent)
    people, genders = ctx.people, ctx.genders
    ref = ctx.person or (people.seen[-1].name if people.seen else None)
    if not (ref and pron and genders.get(ref.split()[-1], pron) != pron):
        return
    alt = _other_person(people, genders, pron, ref)
    if alt and ctx.person is None and alt.name.split()[-1] not in para:
        alt = None
    if alt:
        ctx.person = alt.name
        ctx.mentions[alt.name] = (alt.start, alt.end)
        people.seen.append(alt)  # the likeliest "she" from here on
    else:
        ctx.person = None


def _continued_quote(s: _Sentence, pieces: list[dict], speaker: str | None) -> list[dict]:
    """'"Insurance covers half." ' after '"...," said Petra Lund': her words too."""
    bare = _BARE_QUOTE_RE.fullmatch(s.sent)
    if not (bare and speaker and len(pieces) == 1 and not pieces[0]["attribution"]):
        return pieces
    a, b = bare.span("q")
    s.continued = True
    return [
        dict(
            pieces[0],
            start=a,
            end=b,
            text=_cap(speaker + " said " + _decap(s.sent[a:b])),
            attribution=speaker,
            speaker=speaker,
        )
    ]


def _sentence_claims(
    text: str,
    s: _Sentence,
    pieces: list[dict],
    ctx: _Context,
    published: datetime.date | str | None,
    thr: float,
    seen: set[tuple[int, int]],
    claims: list[dict],
) -> Claimant | None:
    """Append the claims of one sentence's ``pieces`` to ``claims``; return the sentence's
    first claimant (who a quotation in the next sentence goes on)."""
    sentence_claimant: Claimant | None = None
    # "The health authority will close ..., it said": the organisation this sentence is about
    ctx.people.subject_org(pieces[0].get("subject") if pieces else None, s.sent, s.at)
    words: dict = {}  # the sentence's words, for the faithfulness check
    for piece in pieces:
        who = None if piece.get("own_voice") else piece.get("speaker") or piece["attribution"]
        if s.continued:
            who_c = ctx.speaker_claimant
        else:
            who_c = _resolve(ctx, who or "", s, piece)
        if who_c is not None and sentence_claimant is None:
            sentence_claimant = who_c
        if who_c is not None and who_c.kind == "person" and (who or "").lower() in _HE_SHE:
            ctx.genders[who_c.name.split()[-1]] = who.lower()
        start, end = s.at + piece["start"], s.at + piece["end"]
        if (start, end) in seen:
            continue
        claim = _piece_claim(text, s, piece, who_c, ctx, published, thr, seen, words)
        if claim is not None:
            claims.append(claim)
    return sentence_claimant


def _resolve(ctx: _Context, who: str, s: _Sentence, piece: dict) -> Claimant | None:
    """The claimant the name ``who`` stands for in the piece's sentence."""
    return ctx.people.resolve(
        find_claimant(who, s.sent, (piece["start"], piece["end"])),
        s.at,
        ctx.person,
        ctx.mentions,
        s.para + s.sent[: piece["start"]],  # (the sentence so far names them too)
    )


def _piece_claim(
    text: str,
    s: _Sentence,
    piece: dict,
    who_c: Claimant | None,
    ctx: _Context,
    published: datetime.date | str | None,
    thr: float,
    seen: set[tuple[int, int]],
    words: dict,
) -> dict | None:
    """One piece as a claim: its values, kinds, claimant, faithful wording and score; or
    ``None`` when it is no claim (a question, a fragment, quoted words without a fact)."""
    start, end = s.at + piece["start"], s.at + piece["end"]
    quote = text[start:end]
    values = [{k: v for k, v in d.items() if k[0] != "_"} for d in find_values(quote, published)]
    if (s.question or "?" in quote) and not values:
        return None  # a question asserts nothing, unless it takes a figure or date as given
    seen.add((start, end))
    kinds = claim_kinds(quote, values, piece["attribution"] is not None, piece["type"] == "item")
    wording, who_c, sources = _claimant_wording(s, piece, quote, who_c, ctx)
    if piece.get("unsure"):
        wording, source, spans = tidy_quote(quote), "quote", [[start, end]]
    else:
        wording, source, spans = faithful_wording(
            wording,
            quote,
            start,
            end,
            text,
            sources,
            piece.get("glue", frozenset()),
            words,
            who_c,
        )
    if not_a_claim(wording, values, s.seg.kind == "list_item"):
        return None
    if source == "quote" and piece.get("type") == "rrel":
        return None  # "That opened last year.": a relative clause without its noun
    if (
        piece.get("speaker")
        and not piece.get("own_voice")
        and s.seg.kind != "list_item"
        and not has_verb(quote)
    ):
        return None  # '"The house, the car, the animals," she said': quoted words, no fact
    score = round(_score(wording, quote, kinds), 4)
    return {
        "start": start,
        "end": end,
        "quote": quote,
        "text": wording,
        "kind": kinds,
        "score": score,
        "checkworthy": score >= thr,
        "values": values,
        "sentence_start": s.seg.start,
        "sentence_end": s.seg.end,
        "claimant": who_c.name if who_c else None,
        "claimant_start": who_c.start if who_c else None,
        "claimant_end": who_c.end if who_c else None,
        "claimant_kind": who_c.kind if who_c else None,
        "wording_source": source,
        "wording_spans": spans,
    }


def _claimant_wording(
    s: _Sentence, piece: dict, quote: str, who_c: Claimant | None, ctx: _Context
) -> tuple[str, Claimant | None, list[tuple[int, int]]]:
    """The piece's wording with its pronoun resolved and its claimant named, the claimant
    (found from the wording when the piece names no source), and the spans of the article
    the wording may take its words from."""
    wording = _resolve_pronoun(piece["text"], ctx.person, ctx.thing)
    sources = [(s.seg.start, s.seg.end)]
    if who_c is None and not s.continued and s.label is None and not piece["attribution"]:
        # (a source the piece names but the article does not resolve, "..., he said",
        # is no license to credit the clause's own subject: "Witnesses told police")
        # ("She has said ...": the pronoun, resolved below, not the name put for it)
        src = wording_source(piece["text"]) or wording_source(wording)
        if src is None and quote.startswith("citing ") and piece.get("subject"):
            # "The ministry cut its forecast, citing a drought": the ministry's cause
            src = piece["subject"]
        if src:
            who_c = _resolve(ctx, src, s, piece)
    if (
        who_c is not None
        and who_c.kind == "person"
        and wording[:3] in ("He ", "She")
        and wording.split(" ", 1)[0] in ("He", "She")
    ):
        # "She said ...": the person the article named
        wording = who_c.name + wording[wording.index(" ") :]
        sources.append((who_c.start, who_c.end))
    elif (
        who_c is not None
        and who_c.kind == "organization"
        and wording.startswith("It ")
        and (piece.get("attribution") or "").lower().split(" ", 1)[0] == "it"
    ):
        # "It said ...": the organisation the article named
        wording = _cap(who_c.name) + wording[2:]
        sources.append((who_c.start, who_c.end))
    if s.label is not None and who_c is None and not piece["attribution"]:
        # a debate or interview line: "HALE: We cut the deficit." is Hale's
        who_c = s.label
        wording = _cap(s.label.name + " said " + _decap(piece["text"]))
        sources.append((s.label.start, s.label.end))
    if wording != piece["text"]:
        ref = ctx.person if piece["text"][:2] in ("He", "Sh") else ctx.thing
        if ref in ctx.mentions:
            sources.append(ctx.mentions[ref])
    if who_c is not None and not s.seg.start <= who_c.start < s.seg.end:
        sources.append((who_c.start, who_c.end))
    if s.continued and ctx.speaker_span is not None:
        sources.append(ctx.speaker_span)
    return wording, who_c, sources


def _note_sentence(
    ctx: _Context, s: _Sentence, pieces: list[dict], sentence_claimant: Claimant | None
) -> None:
    """What this sentence tells the next one: its speaker, who it named, what "he" and "it"
    now refer to."""
    sent, at = s.sent, s.at
    if ctx.speaker is not None and not s.continued:
        ctx.speaker_claimant = sentence_claimant
        i = sent.find(ctx.speaker)
        ctx.speaker_span = (at + i, at + i + len(ctx.speaker)) if i >= 0 else None
    ctx.people.note_mentions(sent, at)
    ctx.people.note_subject(
        pieces[0].get("subject") if pieces else None, sent, at, sentence_claimant
    )
    ctx.person, ctx.thing = _context(pieces, ctx.person, ctx.thing)
    for ref in (ctx.person, ctx.thing):
        if ref:
            i = sent.find(ref)
            if i >= 0:
                ctx.mentions[ref] = (at + i, at + i + len(ref))


_LINE_BREAK_RE = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _skip_label(text: str, at: int, end: int) -> int:
    while at < end and text[at] in " :\t":
        at += 1
    return at
