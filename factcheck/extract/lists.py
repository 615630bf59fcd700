"""Lists inside a clause, one claim per item: events after a preposition ("following A, B
and C") and figures that measure different things ("put Abel at 44%, Reinholt at 41% and Moll
at 9%"; "Wheat exports fell 12%, maize exports 8%"; "36% picked Holst, 34% Ekdal and 30%
Vik"). Pure steps used by :mod:`factcheck.extract.clauses`."""

from __future__ import annotations

import re

from .grammar import _FINITE_RE, _subject_verb

_LIST_PREP_RE = re.compile(
    r"\b(?:following|after|amid|including|such as|despite|because of|due to)\s+"
)


_LIST_SEP_RE = re.compile(r",\s+(?:and\s+|or\s+)?")


_LIST_AND_RE = re.compile(r"\s+(?:and|or)\s+(?=(?:the|a|an|its|his|her|their|[A-Z])\b|[A-Z])")


_LIST_BAD = frozenset(
    "is are was were has have had will would that which who whose said says can could".split()
)


def _event_list(quote: str) -> tuple[int, int, list[tuple[int, int]]] | None:
    """``... following A, B and C`` -> (preposition start and end, item spans) or ``None``.

    The last preposition that introduces a list wins ("amid anger following A, B and C").
    """
    for pm in reversed(list(_LIST_PREP_RE.finditer(quote))):
        items: list[tuple[int, int]] = []
        pos = pm.end()
        for sm in _LIST_SEP_RE.finditer(quote, pos):
            items.append((pos, sm.start()))
            pos = sm.end()
        last = (pos, len(quote))
        am = _LIST_AND_RE.search(quote, last[0])
        if am is not None:
            items.append((last[0], am.start()))
            items.append((am.end(), last[1]))
        else:
            items.append(last)
        if len(items) < 2:
            continue
        sizes = [len(quote[a:b].split()) for a, b in items]
        if min(sizes) < 3 or max(sizes) > 14 or (len(items) == 2 and min(sizes) < 4):
            continue
        if any(w.lower().strip(",") in _LIST_BAD for a, b in items for w in quote[a:b].split()):
            continue
        return pm.start(), pm.end(), items
    return None


_GAPPED_RE = re.compile(r"[a-z]+\s+[$€£]?\d[\d.,]*(?:\s?(?:%|per\s?cent|percent))?\s*$")
_FIGURE_RE = re.compile(r"[$€£]?\d[\d.,]*(?:\s?(?:%|per\s?cent|percent))?")
_LIST_ITEM_SEP_RE = re.compile(r",\s+(?:and\s+)?|\s+and\s+")
_FIGURE_END_RE = re.compile(
    r"(?:(?P<prep>at|on|to|by|with|of)\s+)?(?P<fig>(?:about\s+|nearly\s+|almost\s+)?[$€£]?\d[\d.,]*"
    r"(?:\s?(?:%|per\s?cent|percent))?(?:\s+(?:million|billion|thousand|tonnes|points?))?)$"
)


_ADJUNCT_RE = re.compile(r"(?:within|with|according|against|compared|up|down|as|in|on)\b")


def _figure_list(quote: str) -> tuple[int, list[tuple[int, int, str]]] | None:
    """A clause ending in a list of figures that measure different things (GUIDE.md section
    4): "The poll put Abel at 44%, Reinholt at 41% and Moll at 9%" (the same frame: "The
    poll put Reinholt at 41%"), "Wheat exports fell 12%, maize exports 8% and barley exports
    5%" (gapping: the verb of the first, only when the items share its subject's head noun).
    Returns where the first clause ends and (start, end, wording) of each further item, in
    ``quote``'s offsets; ``None`` unless every item is short, verbless and ends in a figure."""
    seps = list(_LIST_ITEM_SEP_RE.finditer(quote))
    if not seps or not _FINITE_RE.search(quote.lower(), 0, seps[0].start()):
        return None
    bounds = [(0, seps[0].start())]
    for i, m in enumerate(seps):
        bounds.append((m.end(), seps[i + 1].start() if i + 1 < len(seps) else len(quote)))
    head_s, head_e = bounds[0]
    head = quote[head_s:head_e]
    hm = _FIGURE_END_RE.search(head)
    if hm is None:
        # "Exports rose 4% in March and imports 2%": the figure before a time adjunct
        found = list(_FIGURE_RE.finditer(head))
        if not found:
            return None
        hm = _FIGURE_END_RE.search(head, 0, found[-1].end())
    items: list[tuple[int, int, str]] = []
    for k, (a, b) in enumerate(bounds[1:]):
        item = quote[a:b]
        words = item.split()
        im = _FIGURE_END_RE.search(item)
        if im is None and items and k == len(bounds) - 2 and _ADJUNCT_RE.match(item):
            break  # "..., within the poll's margin of error": an adjunct after the list
        if im is None or not 2 <= len(words) <= 5 or _FINITE_RE.search(item.lower()):
            return None
        np_ = item[: im.start()].strip()
        if not np_:
            return None
        if im.group("prep"):
            # the same frame: what stands before "at 44%" in the first clause is replaced
            if hm.group("prep") != im.group("prep"):
                return None
            n = len(np_.split())
            before = head[: hm.start()].split()
            if len(before) <= n:
                return None
            if _FINITE_RE.search(" ".join(before[-n:]).lower()):
                return None  # "Exports rose by 4% and imports by 2%": the subject's gap
            frame = " ".join(before[:-n])
            wording = frame + " " + item
        else:
            if hm.group("prep"):
                return None
            subj, sv = _subject_verb(head)
            if not subj or not sv:
                return None
            same_head = subj.split()[-1].lower() == np_.split()[-1].lower()
            plurals = " " not in subj + np_ and subj.endswith("s") and np_.endswith("s")
            if not (same_head or plurals):
                return None  # "..., February 2%": a month, not a second subject
            verb = sv[len(subj) :].strip()
            wording = np_ + " " + verb + " " + im.group("fig")
        items.append((a, b, wording))
    return head_e, items


_FIGURE_SUBJECT_RE = re.compile(
    r"(?:(?:about|nearly|almost|some|over|more than|another)\s+)?[$€£]?\d[\d.,]*"
    r"(?:\s?(?:%|per\s?cent|percent))?(?:\s+(?:million|billion))?\s+"
)
_RESUME_WORDS = frozenset("to in on at for from by into".split())


def figure_subject_list(quote: str) -> tuple[int, list[tuple[int, int, str]]] | None:
    """Figures as the subjects of a gapped list: "36% picked Holst, 34% Ekdal and 30% Vik"
    ("34% picked Ekdal"), "$1.1 million had been used to buy a villa and $400,000 to pay off
    the mortgage" ("$400,000 had been used to pay off the mortgage"). Returns where the first
    clause ends and (start, end, wording) of each further item, in ``quote``'s offsets, or
    ``None`` unless every item is a figure and a few words without a verb."""
    seps = list(_LIST_ITEM_SEP_RE.finditer(quote))
    if not seps:
        return None
    head = quote[: seps[0].start()]
    hm = _FIGURE_SUBJECT_RE.match(head)
    if hm is None:
        return None
    pred = head[hm.end() :]
    pred_words = pred.split()
    if not pred_words or not _FINITE_RE.search(pred.lower()):
        return None
    items: list[tuple[int, int, str]] = []
    for i, m in enumerate(seps):
        a, b = m.end(), seps[i + 1].start() if i + 1 < len(seps) else len(quote)
        item = quote[a:b]
        im = _FIGURE_SUBJECT_RE.match(item + " ")
        if im is None:
            return None
        tail = item[im.end() :].strip() if im.end() <= len(item) else ""
        if not tail or _FINITE_RE.search(tail.lower()) or len(tail.split()) > 8:
            return None
        first = tail.split()[0].lower()
        if first in _RESUME_WORDS:
            # the words of the first clause up to where the item resumes it
            at = (" " + pred + " ").find(" " + first + " ")
            if at <= 0:
                return None
            verb = pred[: at - 1].strip()
        else:
            # the first clause is a verb and what it applies to, replaced by the item's
            if len(tail.split()) > 3 or len(pred_words) > 4:
                return None
            verb = pred_words[0]
        if not _FINITE_RE.search(verb.lower()):
            return None
        items.append((a, b, item[: im.end()].rstrip() + " " + verb + " " + tail))
    return len(head), items


_FIG_PP = (
    r"(?:(?:about|around|nearly|almost|some|over|more\s+than|up\s+to)\s+)?[$€£]?\d[\d.,]*"
    r"(?:\s?(?:%|per\s?cent|percent))?(?:\s+(?:million|billion|thousand))?(?:\s+[a-z]+s)?"
)
_FIG_PP_ITEM_RE = re.compile(
    r"(?P<fig>" + _FIG_PP + r")\s+(?P<prep>in|for|among|at|on)\s+[^,;]{1,40}"
)
_FIG_PP_HEAD_RE = re.compile(
    r"(?P<fig>" + _FIG_PP + r")\s+(?P<prep>in|for|among|at|on)\s+[^,;\d]{1,40}$"
)
_FIG_PP_SEP_RE = re.compile(r",?\s+and\s+")


def figure_pp_list(quote: str) -> tuple[int, list[tuple[int, int, str]]] | None:
    """Figures, each with what it measures, coordinated after one frame: "start at 1,500
    crowns for smokers and 10,000 crowns for owners", "against 41% in Velland and 63% in
    Dania" ("... against 63% in Dania"). Returns where the first item ends and (start, end,
    wording) of the second, in ``quote``'s offsets; ``None`` unless both are a figure and the
    same preposition, and the clause has a verb or a comparison before the first."""
    seps = list(_FIG_PP_SEP_RE.finditer(quote))
    if len(seps) != 1:
        return None
    sep = seps[0]
    head, item = quote[: sep.start()], quote[sep.end() :]
    im = _FIG_PP_ITEM_RE.fullmatch(item)
    hm = _FIG_PP_HEAD_RE.search(head)
    if im is None or hm is None or im.group("prep") != hm.group("prep"):
        return None
    frame = head[: hm.start()]
    if not (_FINITE_RE.search(frame.lower()) or _COMPARE_FRAME_RE.search(frame)):
        return None
    return sep.start(), [(sep.end(), len(quote), frame + item)]


_COMPARE_FRAME_RE = re.compile(r"\b(?:against|compared\s+(?:with|to)|versus)\s+$")


_GAP_ITEM_RE = re.compile(
    r"(?P<np>(?:the|a|an|its|their|[a-z][\w-]*|[A-Z][\w'’-]*)(?:[\s,]+[\w'’-]+){0,8}?,?)\s+"
    r"(?P<tail>(?P<prep>by|to)\s+(?P<fig>" + _FIG_PP + r")(?:\s+(?:in|on|at|from|last|this)\s+"
    r"[^,;]{1,30})?)"
)
_GAP_HEAD_RE = re.compile(r"\s(?P<prep>by|to)\s+" + _FIG_PP)
_GAP_SEP_RE = re.compile(r",?\s+and\s+")


def gapped_list(quote: str) -> tuple[int, list[tuple[int, int, str]]] | None:
    """A second clause that leaves out the verb of the first ("Fjordnett raised its prices by
    6% in May and Mobi by 4% in June", "flu fell by 18% ..., and hospital admissions by 12%"):
    worded with the first clause's verb phrase ("Mobi raised its prices by 4% in June").
    Returns where the first clause ends and (start, end, wording) of the second, in
    ``quote``'s offsets; ``None`` unless the second is a noun phrase and "by"/"to" a figure,
    as the first clause's change is."""
    seps = list(_GAP_SEP_RE.finditer(quote))
    if not seps:
        return None
    sep = seps[-1]
    head, item = quote[: sep.start()], quote[sep.end() :]
    im = _GAP_ITEM_RE.fullmatch(item)
    if im is None or any(_FINITE_RE.fullmatch(w) for w in im.group("np").lower().split()):
        return None
    hms = [m for m in _GAP_HEAD_RE.finditer(head) if m.group("prep") == im.group("prep")]
    if not hms:
        return None
    subj, sv = _subject_verb(head)
    if not subj or not sv:
        return None
    at = head.find(sv)
    if at < 0 or at + len(subj) > hms[-1].start():
        return None
    verb_phrase = head[at + len(subj) : hms[-1].start()].strip()
    if not verb_phrase or "," in verb_phrase:
        return None
    np_ = im.group("np")  # ("the third operator, Mobi," keeps its closing comma)
    return sep.start(), [(sep.end(), len(quote), np_ + " " + verb_phrase + " " + im.group("tail"))]
