"""Segmentation of news text into sentences, headings, bylines, captions and datelines.

Rule-based and regex-driven so that it runs well above 1 MB/s in pure Python.
Offsets are Python ``str`` indices into the text exactly as given (CRLF, lone CR,
Unicode line separators are all accepted).
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["Segment", "split_sentences", "MAX_SEGMENT", "CLAIM_KINDS"]

MAX_SEGMENT = 600
"""No segment is longer than this many characters (long runs are cut at clause or word boundaries)."""  # noqa: E501

CLAIM_KINDS = frozenset({"sentence", "list_item"})
"""Segment kinds that may hold claims; headings, bylines, captions, datelines, links and notes
(corrections, credits, appeals) do not."""


class Segment(NamedTuple):
    """A span ``text[start:end]`` of one kind: sentence, heading, byline, caption, dateline, related, note, list_item, other."""  # noqa: E501

    start: int
    end: int
    kind: str


# --- lines and paragraphs -------------------------------------------------

_LINE_RE = re.compile(r"[^\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")
_BLANK_RE = re.compile(r"\s*")
_WS = frozenset(
    " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\u200b"
)
_TERMINALS = ".!?…‽"
_CLOSERS = "\"'”’»)]"

# --- sentence boundaries ------------------------------------------------------

_BOUND_RE = re.compile(r"(?:\.\.\.|…|[.!?‽]+)[.!?…]*[\"'”’»)\]]*\s+(?=\S)")
_QUOTE_SPAN_RE = re.compile(r"\"[^\"\n]{1,500}\"|“[^”\n]{1,500}”|\([^()\n]{1,300}\)")
_SECONDARY_RE = re.compile(r"[;:]\s+|\s[—–-]{1,2}\s|,\s+")
_LIST_MARK_RE = re.compile(r"(?:[-*•·▪‣◦–]|\d{1,3}[.)]|[a-z][.)]|[A-Z]\)|\(\d{1,3}\))\s+(?=\S)")

_TITLES = frozenset(
    "mr mrs ms messrs dr prof sen sens rep reps gov gen lt col maj capt cpt sgt cmdr adm "
    "st rev hon pres supt insp det atty mt ft mme mlle msgr fr sr jr gens brig cpl pvt".split()
)
_BEFORE_NUMBER = frozenset(
    "no nos art arts fig figs p pp vol vols ch chap sec para op ed eds approx ca tel ext "
    "jan feb mar apr jun jul aug sep sept oct nov dec rt hwy rte".split()
)
_NEVER_FINAL = frozenset("vs v e.g i.e cf viz al".split())
_STARTERS = frozenset(
    "The A An He She It They We I You This That These Those There Here But And Or So Yet "
    "In On At As After Before When While Since If Although Though However Meanwhile Still "
    "His Her Their Its Our My Your Some Many Most Several Both All No Not One Two Three "
    "Last Next Today Yesterday According Officials Police What Why How Who Where Such Other "
    "Despite During Under Over For From With Without Instead Also Then Now Earlier Later".split()
)

# --- paragraph kinds ------------------------------------------------------------

_BYLINE_RE = re.compile(
    r"(?:by|written by|reporting by|words by|story by|text by|from)\s+\S", re.IGNORECASE
)
_MONTH_NAMES = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE_LINE_RE = re.compile(
    r"(?:(?:published|updated|posted|last updated|modified)\b.*"
    r"|.*\b" + _MONTH_NAMES + r"\s+\d{1,2}\b.*"
    r"|.*\b\d{1,2}\s+" + _MONTH_NAMES + r"\b.*"
    r"|.*\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b.*"
    r"|.*\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b.*)",
    re.IGNORECASE,
)
_CAPTION_RE = re.compile(
    r"\b(?:photo|photograph|picture|image|illustration|file photo|getty images|credit|"
    r"ap photo|afp|reuters/|epa|shutterstock|courtesy)\b",
    re.IGNORECASE,
)
_RELATED_RE = re.compile(
    r"(?:read more|related|see also|also read|more from|recommended|watch|listen|"
    r"read also|more on this|most read|trending)\b\s*[:|-]?",
    re.IGNORECASE,
)
# Notes about the story rather than in it: corrections, credits, a police appeal, an author's
# bio. "Correction: an earlier version said 250,000 homes" states what was wrong.
_NOTE_RE = re.compile(
    # "Correction, March 20: ...": the note may carry its date before the colon
    r"(?:corrections?|clarifications?|editor['’]?s note|note to readers)"
    r"(?:,?\s+(?:\w+\s+\d{1,2}|\d{1,2}\s+\w+|\w+)(?:,\s+\d{4})?)?\s*[:—–-]"
    r"|an earlier version of this (?:article|story|report|piece)\b"
    r"|(?:additional\s+)?(?:reporting|writing|editing)\s+by\s+(?-i:[A-Z])"
    r"|this (?:article|story|report|piece) (?:was|has been) (?:amended|updated|corrected)\b"
    r"|anyone with information\b"
    r"|the (?:author|writer) is (?:an?|the)\b",
    re.IGNORECASE,
)
NOTE_MAX = 400
_DATELINE_PREFIX_RE = re.compile(
    r"([^\W\d_][^\W\d_.'’\- ]*(?:[ .'’\-]+[^\W\d_][^\W\d_.'’\-]*){0,4}"
    r"(?:,\s*[^\W\d_][\w.'’ ]{0,30})?)\s*(\([\w .&/-]{1,30}\))?\s*[—–-]{1,2}\s+(?=\S)"
)


def _is_dateline_prefix(dm: re.Match, text: str) -> bool:
    """``CITY, Month D (Agency) - ``: an upper-case place, optional date/agency, then a dash."""
    place = dm.group(1).split(",", 1)[0].strip()
    if len(place) < 3 or not place.isupper():
        return False
    nxt = text[dm.end() : dm.end() + 1]
    # "NATO - the alliance ..." is running text; a dateline is followed by a new sentence
    return nxt.isupper() or nxt.isdigit() or nxt in "\"“‘'("


_NAME_PARTICLES = frozenset(
    "de del della der di da das dos du la le van von y e bin al el and mac st".split()
)
_CAPTION_FUNCTION = frozenset(
    "and of the in at for with from to on a an by during after before as or its his her their".split()  # noqa: E501
)


def _is_upper_word(w: str) -> bool:
    c = w[:1]
    return c.isupper() or c.isdigit()


def _paragraph_kind(para: str, is_first: bool) -> str | None:
    """Kind of a whole paragraph that is not running text, or ``None`` for running text."""
    stripped = para.rstrip(_CLOSERS + " ")
    terminal = stripped[-1:] in _TERMINALS
    n = len(para)
    if n <= 200 and _CAPTION_RE.search(para) and not (n > 80 and terminal):
        return "caption"
    if terminal:
        if n <= 150 and para[-1] == ".":
            words = para[:-1].split()
            if 2 <= len(words) <= 20 and all(
                _is_upper_word(w) or w.lower() in _CAPTION_FUNCTION for w in words
            ):
                return "caption"
        return None
    if n > 200:
        return None
    if n <= 120 and _DATE_LINE_RE.fullmatch(para) and sum(c.isalpha() for c in para) < 60:
        return "dateline"
    if _BYLINE_RE.match(para) and n <= 80:
        return "byline"
    words = para.split()
    if 2 <= len(words) <= 5 and n <= 60 and not any(c.isdigit() for c in para):
        if all(w[:1].isupper() or w.lower() in _NAME_PARTICLES for w in words) and any(
            w[:1].isupper() for w in words[1:]
        ):
            if not is_first:
                return "byline"
    lm = _LIST_MARK_RE.match(para)
    item = para[lm.end() :] if lm else para
    if _RELATED_RE.match(item):
        return "related"
    if lm and (any(c.isdigit() for c in item) or len(item.split()) >= 4):
        # "- Harvest: 18.2 million tonnes, down 23%": a fact-box item states something (a
        # figure, or four words or more); a menu entry does not
        return None
    return "heading"


def _is_boundary(text: str, m: re.Match, pos_end: int) -> bool:
    """Decide whether candidate match ``m`` ends a sentence."""
    nxt = text[m.end()]
    if nxt.islower():
        return False
    if nxt in ",;:":
        return False
    t = m.start()
    if text[t] != "." or text.startswith("..", t):
        return True
    # previous token (without the dot)
    j = t
    while j > 0 and text[j - 1] not in _WS and text[j - 1] not in "(\"“'‘[":
        j -= 1
    tok = text[j:t]
    if not tok:
        return True
    low = tok.lower()
    if low in _TITLES or low in _NEVER_FINAL:
        return False
    if low in _BEFORE_NUMBER:
        return not nxt.isdigit()
    if (
        len(tok) == 1
        and tok.isalpha()
        or "." in tok
        and all(p.isalpha() and len(p) <= 2 for p in tok.split("."))
        or low in _MAYBE_FINAL
    ):
        # initials (J. Smith), initialisms (U.S.), abbreviations that can end a sentence
        k = m.end()
        e = k
        while e < pos_end and (text[e].isalpha() or text[e] == "'"):
            e += 1
        return text[k:e] in _STARTERS
    return True


_MAYBE_FINAL = frozenset(
    "etc inc ltd corp co bros llc plc dept univ est govt assn intl a.m p.m u.s u.k u.n d.c "
    "no jr sr".split()
)


def _cut_long(text: str, s: int, e: int, kind: str, out: list[Segment]) -> None:
    """Append ``text[s:e]`` to ``out`` as segments of at most ``MAX_SEGMENT`` characters."""
    while e - s > MAX_SEGMENT:
        limit = s + MAX_SEGMENT
        cut = -1
        for m in _SECONDARY_RE.finditer(text, s + MAX_SEGMENT // 3, limit):
            cut = m.start() + (1 if text[m.start()] in ";:," else 0)
        if cut <= s:
            ws = -1
            for i in range(limit - 1, s + MAX_SEGMENT // 3, -1):
                if text[i] in _WS:
                    ws = i
                    break
            cut = ws if ws > s else limit
        out.append(Segment(s, cut, kind))
        s = cut
        while s < e and text[s] in _WS:
            s += 1
    if e > s:
        out.append(Segment(s, e, kind))


def _split_paragraph(text: str, ps: int, pe: int, kind: str, out: list[Segment]) -> None:
    """Split running text ``text[ps:pe]`` into sentence segments of ``kind``."""
    protected: list[tuple[int, int]] = []
    if '"' in text[ps:pe] or "“" in text[ps:pe] or "(" in text[ps:pe]:
        protected = [(q.start(), q.end()) for q in _QUOTE_SPAN_RE.finditer(text, ps, pe)]
    s = ps
    pi = 0
    for m in _BOUND_RE.finditer(text, ps, pe):
        if not _is_boundary(text, m, pe):
            continue
        t = m.start()
        if protected:
            while pi < len(protected) and protected[pi][1] <= t:
                pi += 1
            if pi < len(protected) and protected[pi][0] < t and protected[pi][1] > m.end() - 1:
                continue
        e = m.end()
        while text[e - 1] in _WS:
            e -= 1
        _cut_long(text, s, e, kind, out)
        s = m.end()
    if s < pe:
        _cut_long(text, s, pe, kind, out)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: one per line, or whole blocks for hard-wrapped text."""
    lines = []
    for m in _LINE_RE.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s] in _WS:
            s += 1
        while e > s and text[e - 1] in _WS:
            e -= 1
        if e > s:
            lines.append((s, e, m.start()))
        else:
            lines.append(None)
    paras: list[tuple[int, int]] = []
    block: list[tuple[int, int, int]] = []

    def flush() -> None:
        if not block:
            return
        if len(block) >= 3:
            joins = 0
            for (_s1, e1, _), (s2, _e2, _) in zip(block, block[1:], strict=False):
                if text[e1 - 1] not in _TERMINALS + ":" and text[s2].islower():
                    joins += 1
            if joins * 4 >= len(block) - 1:
                # hard-wrapped block: its lines form one paragraph
                paras.append((block[0][0], block[-1][1]))
                block.clear()
                return
        paras.extend((s, e) for s, e, _ in block)
        block.clear()

    for ln in lines:
        if ln is None:
            flush()
        else:
            block.append(ln)
    flush()
    return paras


def split_sentences(text: str) -> list[Segment]:
    """Split ``text`` into :class:`Segment` spans: sentences, headings, bylines, captions, ...

    Segments are sorted, do not overlap, are trimmed of whitespace and are at most
    :data:`MAX_SEGMENT` characters long.
    """
    if not isinstance(text, str) or not text:
        return []
    out: list[Segment] = []
    paras = _paragraphs(text)
    kinds: list[str | None] = []
    for i, (ps, pe) in enumerate(paras):
        if pe - ps <= NOTE_MAX and _NOTE_RE.match(text, ps, pe):
            kinds.append("note")
            continue
        kinds.append(_paragraph_kind(text[ps:pe], i == 0) if pe - ps <= 200 else None)
    # teaser cards: section label, headline, author -> the headline is a related-story link
    for i in range(1, len(paras) - 1):
        if kinds[i] == "heading" and kinds[i + 1] == "byline" and kinds[i - 1] == "heading":
            if len(text[paras[i - 1][0] : paras[i - 1][1]].split()) <= 3:
                kinds[i] = "related"
    for (ps, pe), kind in zip(paras, kinds, strict=False):
        if kind is not None:
            _cut_long(text, ps, pe, kind, out)
            continue
        if not any(c.isalnum() for c in text[ps : min(pe, ps + 200)]) and pe - ps < 200:
            _cut_long(text, ps, pe, "other", out)
            continue
        seg_kind = "sentence"
        lm = _LIST_MARK_RE.match(text, ps, pe)
        if lm:
            seg_kind = "list_item"
            ps = lm.end()
        else:
            dm = _DATELINE_PREFIX_RE.match(text, ps, pe)
            if dm and _is_dateline_prefix(dm, text):
                de = dm.end()
                while text[de - 1] in _WS:
                    de -= 1
                out.append(Segment(ps, de, "dateline"))
                ps = dm.end()
        _split_paragraph(text, ps, pe, seg_kind, out)
    return out
