"""Atomic claims of an article: the pipeline segment -> attribution -> clauses -> wording
-> kinds, values -> score, and the public API ``extract_claims`` / ``claim_spans``."""

from __future__ import annotations

import datetime
import re

from .asides import _aside_claims
from .claimant import (
    _BARE_QUOTE_RE,
    _NO_ATTR,
    _QUOTE_STMT_RE,
    Claimant,
    People,
    _Attr,
    _context,
    find_claimant,
    inference,
    named_prefix,
    quote_speaker,
    sentence_attribution,
    speaker_label,
    wording_source,
)
from .clauses import _clause_claims, takes_trailing_attribution
from .confidence import apply as doubtful_rewrites
from .filters import drop_repeats, has_verb, lead_end, not_a_claim
from .grammar import (
    _FINITE_RE,
    _IRREGULAR_PAST,
    _LEAD_DISCOURSE_RE,
    _PAST_RE,
    _cap,
    _copula_ok,
    _decap,
    _trim,
)
from .kinds import CLAIM_KIND_NAMES, claim_kinds
from .model import load_model
from .score import _score
from .segment import CLAIM_KINDS, Segment, _split_paragraph, split_sentences
from .shorthand import resolve as resolve_shorthand
from .values import find_values
from .wording import (
    GLUE_WORDS,
    _resolve_pronoun,
    first_person,
    quoted_demonstrative,
    speaker_quote,
    starts_with_pronoun,
    tidy_quote,
    wording_spans,
)

__all__ = ["claim_spans", "extract_claims", "claim_kinds", "drop_repeats", "CLAIM_KIND_NAMES"]


def claim_spans(sentence: str) -> list[dict]:
    """Split one sentence into atomic claim pieces.

    Returns dicts with ``start``/``end`` (offsets into ``sentence``), ``text`` (self-contained
    wording where the sentence allows), ``attribution`` (the source named, if any) and
    ``subject`` (the subject of the main clause, if found).
    """
    n = len(sentence)
    s0, e0 = _trim(sentence, 0, n)
    if e0 - s0 < 3:
        return []
    if sentence[s0] in '"“':
        quoted = _quoted_statement(sentence, s0, e0)
        if quoted is not None:
            return quoted
    # leading discourse markers
    while True:
        m = _LEAD_DISCOURSE_RE.match(sentence, s0, e0)
        if not m or m.end() >= e0:
            break
        s0 = m.end()
    a0, b0 = s0, e0
    attr, s0, e0, mid = check_attribution(sentence, a0, b0, *sentence_attribution(sentence, s0, e0))
    if e0 - s0 < 3:
        return []
    closing = sentence[e0:].lstrip(".!?…")[:1]
    if attr.prefix and 0 < s0 and sentence[s0 - 1] in '"“' and closing and closing in '"”':
        # 'X said: "A. B."': each quoted sentence is a claim of the speaker's own words
        attr.direct = True
        out, count = _quoted_claims(sentence, s0, e0, attr, stop=True)
        if count > 1:
            return _with_attribution(sentence, out, s0, a0, b0, b0)  # (no closing mark)
    if mid is not None:
        # "House prices rose 3%, the registry said, while rents climbed 7%": both halves are
        # the registry's; the first one's span takes the attribution next to it
        out = _with_attribution(
            sentence, _clause_claims(sentence, s0, mid[0], attr), 0, 0, mid[0], mid[2]
        )
        if e0 - mid[1] >= 3:
            # "..., the ministry said, though officials cautioned that ...": a second half
            # naming its own source is that source's, never the first half's
            own, s1, e1, _ = sentence_attribution(sentence, mid[1], e0)
            if inference(sentence, mid):
                # "..., the office said, meaning real incomes rose": the writer's inference
                # from the whole sentence (GUIDE.md section 3), worded with what it rests on
                whole = _clause_claims(sentence, s0, e0, _NO_ATTR)
                out += [d for d in whole if d["start"] > mid[0]]
            elif own.who and e1 - s1 >= 3:
                out += _with_attribution(
                    sentence, _clause_claims(sentence, s1, e1, own), s1, mid[1], e1, e0
                )
            else:
                out += _clause_claims(sentence, mid[1], e0, attr)
        out.sort(key=lambda d: (d["start"], d["end"]))
        return out
    if attr.lead is not None:
        a0 = attr.lead
    sm = None if attr.asides or attr.direct else _subject_apposition(sentence, s0, e0)
    if sm is not None:
        # "The minister said the group, the armed wing of X, had crossed the river": the
        # apposition is the writer's (GUIDE.md section 3), the rest the clause's own claim
        np_, app, verb_at = sm
        copula = "was" if _PAST_RE.search(sentence, verb_at, e0) else "is"
        inner = _Attr(attr.who, prefix=attr.prefix + sentence[np_[0] : np_[1]] + " ")
        inner.suffix = attr.suffix
        out = _with_attribution(
            sentence, _clause_claims(sentence, verb_at, e0, inner), verb_at, a0, e0, b0
        )
        out.append(
            {
                "start": app[0],
                "end": app[1],
                "text": _cap(
                    sentence[np_[0] : np_[1]] + " " + copula + " " + sentence[app[0] : app[1]]
                ),
                "attribution": None,
                "subject": sentence[np_[0] : np_[1]],
                "type": "app",
                "glue": frozenset((copula,)),
                "own_voice": True,
            }
        )
        out.sort(key=lambda d: (d["start"], d["end"]))
        return out
    out = _with_attribution(sentence, _clause_claims(sentence, s0, e0, attr), s0, a0, e0, b0)
    if attr.asides:
        out += _aside_claims(sentence, attr)
        out.sort(key=lambda d: (d["start"], d["end"]))
    return out


# a trailing "..., against the 2.9 billion the Treasury had estimated" is a comparison, not a
# source: a source never opens with one of these
_NOT_SOURCE_OPENERS = frozenset(
    "against compared than unlike from to with as below above versus up down".split()
)
# "The agency said temperatures would stay high and warned that ...": the first reporting verb
_FIRST_SAID_RE = re.compile(r"(?P<who>[^,;:\"“”]{2,80}?)\s+(?P<v>said|says)\s+(?=\S)")


def check_attribution(
    sentence: str, a0: int, b0: int, attr: _Attr, s0: int, e0: int, mid: tuple | None
) -> tuple[_Attr, int, int, tuple | None]:
    """Guards on what :func:`sentence_attribution` found in ``sentence[a0:b0]``: a trailing
    "source" that opens with a comparison word is none (the stretch is the clause's own), and
    a leading "X said A and warned that B" is X's "said" (A and B are then two claims), never
    a source named "X said A and warned"."""
    if mid is None and e0 < b0:
        first = sentence[e0:b0].lstrip(" ,").split(" ", 1)[0].lower()
        if first in _NOT_SOURCE_OPENERS:
            if attr.suffix and not attr.prefix:
                return _Attr(""), a0, b0, None
            e0 = b0
    if attr.prefix and attr.who and " " in attr.who:
        m = _FIRST_SAID_RE.match(sentence, a0, b0)
        if m is not None and m.end("v") < a0 + len(attr.who) and attr.who.startswith(m["who"]):
            who = m.group("who")
            return _Attr(who, prefix=who + " " + m.group("v") + " "), m.end(), b0, None
    return attr, s0, e0, mid


_SUBJECT_APPOS_RE = re.compile(
    r"(?P<np>(?:[A-Z][\w'’.-]*|the|a|an)(?:\s+[\w'’.-]+){0,7}?),\s+"
    r"(?P<app>(?:the|a|an)\s+[^,;:\"“”()]{2,90}?),\s+"
    r"(?=(?:has|have|had|was|were|is|are|will|would|could|can|may|might|must|should|did|does|"
    r"also|now|later|then|still|[a-z]{3,}ed|" + _IRREGULAR_PAST.replace(" ", "|") + r")\b)"
)


def _subject_apposition(
    sentence: str, s0: int, e0: int
) -> tuple[tuple[int, int], tuple[int, int], int] | None:
    """A clause opening with its subject and an apposition to it ("Hale, a former judge,
    denied ...", "the group, the armed wing of the banned movement, had crossed ..."): the
    spans of the subject and the apposition, and where the verb starts; ``None`` otherwise."""
    m = _SUBJECT_APPOS_RE.match(sentence, s0, e0)
    if m is None:
        return None
    np_, app = m.group("np"), m.group("app")
    first = np_.split()[0].lower()
    if first in _NOT_SUBJECT_HEADS or _FINITE_RE.search(np_.lower()):
        return None
    if any(w in _NP_PREPS for w in np_.lower().split()[1:]):
        return None  # "Inflation in October, the month used for the cap,": which noun?
    # (an "-ed" word in it is a participle: "the banned movement", "a retired judge")
    if _APPOS_VERB_RE.search(re.split(r"\s(?:who|that|which)\s", app, maxsplit=1)[0].lower()):
        return None
    if not _copula_ok(np_, app):
        return None
    return m.span("np"), m.span("app"), m.end()


_APPOS_VERB_RE = re.compile(
    r"\b(?:is|are|was|were|has|have|had|will|would|said|says|"
    + _IRREGULAR_PAST.replace(" ", "|")
    + r")\b"
)
_NP_PREPS = frozenset("in of for at on from with by to under over near".split())
_NOT_SUBJECT_HEADS = frozenset(
    "it he she they we i there this that these those in on at for to from with by after before "
    "during since as when while if although though because".split()
)


def _with_attribution(
    sentence: str, pieces: list[dict], s0: int, a0: int, e0: int, b0: int
) -> list[dict]:
    """The span of a claim takes in the attribution next to it ("X said that" before
    ``s0``, from ``a0``; ", X said" after ``e0``, to ``b0``), as a desk would quote it."""
    for d in pieces:
        if a0 < s0 and d["start"] == s0 and d.get("type") in ("main", "item", "semi"):
            d["start"] = a0
        if e0 < b0 and d["end"] == e0 and takes_trailing_attribution(d, sentence):
            d["end"] = b0
    return pieces


def _quoted_claims(
    sentence: str, start: int, end: int, attr: _Attr, stop: bool = False
) -> tuple[list[dict], int]:
    """Claims of each sentence of the quoted words ``sentence[start:end]``, worded with the
    speaker's ``attr`` (without a closing stop when ``stop``), and how many sentences."""
    segs: list[Segment] = []
    _split_paragraph(sentence, start, end, "sentence", segs)
    out: list[dict] = []
    for seg in segs:
        a, b = _trim(sentence, seg.start, seg.end)
        while stop and b > a and sentence[b - 1] in ".!?… ":
            b -= 1
        while True:
            dm = _LEAD_DISCOURSE_RE.match(sentence, a, b)
            if not dm or dm.end() >= b:
                break
            a = dm.end()
        if b - a >= 3:
            out.extend(_clause_claims(sentence, a, b, attr))
    return out, len(segs)


def _quoted_statement(sentence: str, s0: int, e0: int) -> list[dict] | None:
    """``"Quoted words," Name said`` / ``said Name``: claims from the quoted words, attributed."""
    m = _QUOTE_STMT_RE.match(sentence, s0, e0)
    if not m:
        return None
    rest_s = m.start("rest")
    found = quote_speaker(sentence[rest_s:e0])
    if found is None:
        return None
    who, verb, rel = found
    if rel is not None:
        rel = (rest_s + rel[0], rest_s + rel[1])
    attr = _Attr(who, prefix=named_prefix(who, verb) or who + " " + verb + " ", direct=True)
    out, _ = _quoted_claims(sentence, m.start("q"), m.end("q"), attr)
    am = _ADDING_RE.search(sentence, rest_s, e0)
    if am is not None and rel is None:
        # '"...," the minister said, adding that imports rose 2%': the speaker's too
        a, b = _trim(sentence, am.end(), e0)
        while b > a and sentence[b - 1] in ".!?… ":
            b -= 1
        if b - a >= 8:
            out.append(
                {
                    "start": a,
                    "end": b,
                    "text": _cap(who + " said " + _decap(sentence[a:b])),
                    "attribution": who,
                    "subject": None,
                    "type": "main",
                    "glue": frozenset(("said",)),
                }
            )
    if rel is not None:
        a, b = _trim(sentence, *rel)
        if b - a >= 8 and len(sentence[a:b].split()) >= 3:
            out.append(
                {
                    "start": a,
                    "end": b,
                    # "said Ingrid Solberg, whose two sons attend the school": her sons
                    "text": _cap(
                        who
                        + ("'s " if sentence[:a].rstrip().lower().endswith("whose") else " ")
                        + sentence[a:b]
                    ),
                    "attribution": None,
                    "subject": who,
                    "type": "rel",
                    "own_voice": True,  # "said Ana Ruiz, who runs a bakery": the article's
                }
            )
    for d in out:
        d.setdefault("speaker", who)
    out.sort(key=lambda d: (d["start"], d["end"]))
    return out


_ADDING_RE = re.compile(
    r",\s+(?:adding|saying|noting|warning|arguing|insisting|claiming)\s+(?:that\s+)?(?=\S)"
)


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
    person: str | None = None  # who "He"/"She" in the next sentence most likely is
    thing: str | None = None  # what "It" in the next sentence most likely is
    mentions: dict[str, tuple[int, int]] = {}  # where person/thing were last named
    speaker: str | None = None  # who spoke the quotation just before
    speaker_claimant: Claimant | None = None
    speaker_span: tuple[int, int] | None = None  # where that speaker is named
    people = People()
    genders: dict[str, str] = {}  # surname -> "he"/"she", from pronouns resolved to them
    line_starts = [0] + [m.end() for m in _LINE_BREAK_RE.finditer(text)]
    line_no = 0
    for seg in segments:
        if seg.kind not in CLAIM_KINDS:
            person = thing = speaker = speaker_claimant = None
            continue
        while line_no + 1 < len(line_starts) and line_starts[line_no + 1] <= seg.start:
            line_no += 1
        label = speaker_label(text, line_starts[line_no], seg.end)
        at = label.end if label is not None and label.start >= seg.start else seg.start
        if label is not None:
            at = _skip_label(text, at, seg.end)
        sent = text[at : seg.end]
        pieces = claim_spans(sent)
        pron = _opening_pronoun(sent)
        para = text[text.rfind("\n", 0, seg.start) + 1 : seg.start]  # the paragraph so far
        ref = person or (people.seen[-1].name if people.seen else None)
        if ref and pron and genders.get(ref.split()[-1], pron) != pron:
            # "Abel said it had doubled under Reinholt. She replied ...": not Abel, whom "he"
            # named before, but someone this paragraph named; never a guess among speakers
            # further back ("... Dahl said. [new paragraph] ... He was taken to hospital")
            alt = _other_person(people, genders, pron, ref)
            if alt and person is None and alt.name.split()[-1] not in para:
                alt = None
            if alt:
                person = alt.name
                mentions[alt.name] = (alt.start, alt.end)
                people.seen.append(alt)  # the likeliest "she" from here on
            else:
                person = None
        bare = _BARE_QUOTE_RE.fullmatch(sent)
        continued = False
        if bare and speaker and len(pieces) == 1 and not pieces[0]["attribution"]:
            # '"Insurance covers half." ' after '"...," said Petra Lund': her words too
            a, b = bare.span("q")
            continued = True
            pieces = [
                dict(
                    pieces[0],
                    start=a,
                    end=b,
                    text=_cap(speaker + " said " + _decap(sent[a:b])),
                    attribution=speaker,
                    speaker=speaker,
                )
            ]
        speaker = next((p["speaker"] for p in pieces if p.get("speaker")), None)
        question = sent.rstrip().rstrip("\"'”’»)").endswith("?")
        sentence_claimant: Claimant | None = None
        # "The health authority will close ..., it said": the organisation this sentence is about
        people.subject_org(pieces[0].get("subject") if pieces else None, sent, at)
        words: dict = {}  # the sentence's words, for the faithfulness check
        for piece in pieces:
            start, end = at + piece["start"], at + piece["end"]
            who = None if piece.get("own_voice") else piece.get("speaker") or piece["attribution"]
            if continued:
                who_c = speaker_claimant
            else:
                who_c = people.resolve(
                    find_claimant(who or "", sent, (piece["start"], piece["end"])),
                    at,
                    person,
                    mentions,
                    para + sent[: piece["start"]],  # (the sentence so far names them too)
                )
            if who_c is not None and sentence_claimant is None:
                sentence_claimant = who_c
            if who_c is not None and who_c.kind == "person" and (who or "").lower() in _HE_SHE:
                genders[who_c.name.split()[-1]] = who.lower()
            if (start, end) in seen:
                continue
            quote = text[start:end]
            values = [
                {k: v for k, v in d.items() if k[0] != "_"} for d in find_values(quote, published)
            ]
            if (question or "?" in quote) and not values:
                continue  # a question asserts nothing, unless it takes a figure or date as given
            seen.add((start, end))
            kinds = claim_kinds(
                quote, values, piece["attribution"] is not None, piece["type"] == "item"
            )
            wording = _resolve_pronoun(piece["text"], person, thing)
            sources = [(seg.start, seg.end)]
            if who_c is None and not continued and label is None and not piece["attribution"]:
                # (a source the piece names but the article does not resolve, "..., he said",
                # is no license to credit the clause's own subject: "Witnesses told police")
                # ("She has said ...": the pronoun, resolved below, not the name put for it)
                src = wording_source(piece["text"]) or wording_source(wording)
                if src is None and quote.startswith("citing ") and piece.get("subject"):
                    # "The ministry cut its forecast, citing a drought": the ministry's cause
                    src = piece["subject"]
                if src:
                    who_c = people.resolve(
                        find_claimant(src, sent, (piece["start"], piece["end"])),
                        at,
                        person,
                        mentions,
                        para + sent[: piece["start"]],
                    )
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
            if label is not None and who_c is None and not piece["attribution"]:
                # a debate or interview line: "HALE: We cut the deficit." is Hale's
                who_c = label
                wording = _cap(label.name + " said " + _decap(piece["text"]))
                sources.append((label.start, label.end))
            if wording != piece["text"]:
                ref = person if piece["text"][:2] in ("He", "Sh") else thing
                if ref in mentions:
                    sources.append(mentions[ref])
            if who_c is not None and not seg.start <= who_c.start < seg.end:
                sources.append((who_c.start, who_c.end))
            if continued and speaker_span is not None:
                sources.append(speaker_span)
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
            if not_a_claim(wording, values, seg.kind == "list_item"):
                continue
            if source == "quote" and piece.get("type") == "rrel":
                continue  # "That opened last year.": a relative clause without its noun
            if (
                piece.get("speaker")
                and not piece.get("own_voice")
                and seg.kind != "list_item"
                and not has_verb(quote)
            ):
                continue  # '"The house, the car, the animals," she said': quoted words, no fact

            score = round(_score(wording, quote, kinds), 4)
            claims.append(
                {
                    "start": start,
                    "end": end,
                    "quote": quote,
                    "text": wording,
                    "kind": kinds,
                    "score": score,
                    "checkworthy": score >= thr,
                    "values": values,
                    "sentence_start": seg.start,
                    "sentence_end": seg.end,
                    "claimant": who_c.name if who_c else None,
                    "claimant_start": who_c.start if who_c else None,
                    "claimant_end": who_c.end if who_c else None,
                    "claimant_kind": who_c.kind if who_c else None,
                    "wording_source": source,
                    "wording_spans": spans,
                }
            )
        if speaker is not None and not continued:
            speaker_claimant = sentence_claimant
            i = sent.find(speaker)
            speaker_span = (at + i, at + i + len(speaker)) if i >= 0 else None
        people.note_mentions(sent, at)
        people.note_subject(
            pieces[0].get("subject") if pieces else None, sent, at, sentence_claimant
        )
        person, thing = _context(pieces, person, thing)
        for ref in (person, thing):
            if ref:
                i = sent.find(ref)
                if i >= 0:
                    mentions[ref] = (at + i, at + i + len(ref))
    claims.sort(key=lambda c: (c["start"], c["end"]))
    _open_quotes(text, claims)
    claims = resolve_shorthand(text, doubtful_rewrites(text, claims))
    lead = lead_end(text, [(s.start, s.end, s.kind) for s in segments[:2]])
    return drop_repeats(claims, lead)


_HE_SHE = frozenset(("he", "she"))


def _opening_pronoun(sent: str) -> str | None:
    words = sent.lstrip('"“ ').split(None, 1)
    w = words[0].lower() if words else ""
    return w if w in _HE_SHE else None


def _other_person(people: People, genders: dict, pron: str, person: str) -> Claimant | None:
    """The last person quoted whom ``pron`` fits: one it named before, else one no
    pronoun has named yet (not ``person``)."""
    last = person.split()[-1]
    for want in (pron, None):
        for c in reversed(people.seen):
            sur = c.name.split()[-1]
            if sur != last and genders.get(sur) == want:
                return c
    return None


def _open_quotes(text: str, claims: list[dict]) -> None:
    """'"Six years ago she promised 10,000 homes. She has built fewer than 4,000," he said.':
    the sentence that opens a quotation closed, with its speaker, in a later sentence of the
    same paragraph is that speaker's."""
    for i, c in enumerate(claims):
        s, e = c["sentence_start"], c["sentence_end"]
        if c["claimant"] is not None or text[s] not in '"“' or _quote_marks(text[s:e]) % 2 == 0:
            continue
        for d in claims[i + 1 :]:
            if d["sentence_start"] < e:
                continue
            if "\n" in text[e : d["sentence_start"]]:
                break
            if (
                d["claimant"] is not None
                and _quote_marks(text[d["sentence_start"] : d["sentence_end"]]) % 2
            ):
                who = d["claimant"]
                if _PRONOUN_SUBJECT_RE.match(c["quote"]):
                    # '"She has built fewer than 4,000," he said': not "Abel said she ..."
                    for k in ("claimant", "claimant_start", "claimant_end", "claimant_kind"):
                        c[k] = d[k]
                    break
                wording = _cap(who + " said " + _decap(c["quote"].lstrip('"“')))
                sources = [(s, e), (d["claimant_start"], d["claimant_end"])]
                spans = wording_spans(wording, text, sources)
                if spans is not None:
                    c.update(text=wording, wording_source="rewritten", wording_spans=spans)
                for k in ("claimant", "claimant_start", "claimant_end", "claimant_kind"):
                    c[k] = d[k]
            break


# "this"/"that" in a quotation mostly point at the here and now ("This is the busiest summer");
# he/she/it/they at someone or something the speaker had in mind
_SAID_PRONOUN_RE = re.compile(
    r"[^\"“”]{1,100}?\s(?:said|says|told [^\"“”]{1,40}?)\s+(?:that\s+)?(?P<rest>\S)",
    re.IGNORECASE,
)
# quoted words whose subject is a pronoun, past an opening time phrase ("Six years ago she
# promised ...") or conjunction
_PRONOUN_SUBJECT_RE = re.compile(
    r"[\"“'‘\s]*(?:(?:[\w-]+\s+){1,3}ago,?\s+|(?:now|then|today|yesterday|but|and|so),?\s+)?"
    r"(?:he|she|it|they)\s",
    re.IGNORECASE,
)


def _quoted_pronoun(wording: str, quote: str, start: int, text: str) -> bool:
    """'"It was gone in ten minutes," she said.' is not "Noor Kessel said it was gone ...":
    a pronoun that opens quoted words refers to someone or something the speaker had in
    mind, so a wording "X said it ..." would name no subject (or a wrong one)."""
    m = _SAID_PRONOUN_RE.match(wording)
    if m is None or not _PRONOUN_SUBJECT_RE.match(quote):
        return False
    q = quote.lstrip("\"“'‘ ")
    if not wording[m.start("rest") :].lower().startswith(q[: min(len(q), 20)].lower()):
        return False  # the wording is not the quote's words after "X said"
    line = text.rfind("\n", 0, start) + 1
    return _quote_marks(text[line:start]) % 2 == 1


def _quote_marks(s: str) -> int:
    return s.count('"') + s.count("“") + s.count("”")


_LINE_BREAK_RE = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _skip_label(text: str, at: int, end: int) -> int:
    while at < end and text[at] in " :\t":
        at += 1
    return at


def faithful_wording(
    wording: str,
    quote: str,
    start: int,
    end: int,
    text: str,
    sources: list[tuple[int, int]],
    glue: frozenset = frozenset(),
    cache: dict | None = None,
    speaker: Claimant | None = None,
) -> tuple[str, str, list[list[int]]]:
    """The last step: a rewritten wording stays only when every word of it comes from
    ``sources`` (the sentence, the claimant's mention, a resolved antecedent) and it does not
    open with an unresolved pronoun; else the quote itself, tidied. Returns (wording,
    "rewritten" | "quote", spans the wording comes from)."""
    if (
        not starts_with_pronoun(wording)
        and not _quoted_pronoun(wording, quote, start, text)
        and (wording == tidy_quote(quote) or not first_person(wording))
        and not quoted_demonstrative(quote, start, text)
    ):
        spans = wording_spans(wording, text, sources, GLUE_WORDS | glue, cache)
        if spans is not None:
            return wording, "rewritten", spans
    said = speaker_quote(quote, start, end, text, speaker)
    if said is not None:
        return said[0], "quote", said[1]
    return tidy_quote(quote), "quote", [[start, end]]
