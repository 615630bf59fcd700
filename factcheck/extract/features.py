"""Sentence features for the check-worthiness model (pure Python, shared by training and inference).

The same function turns a sentence into sparse features at training time
(``train.py``) and at run time (``model.py``), so the shipped weights and the
inference code can never drift apart.
"""

from __future__ import annotations

import re

__all__ = ["sentence_features", "TOKEN_RE"]

# Tokens: money, percentages, numbers, words (with inner apostrophes / hyphens), "?" and "!".
TOKEN_RE = re.compile(
    r"[$€£¥]\s?\d[\d,]*(?:\.\d+)?"
    r"|\d[\d,]*(?:\.\d+)?\s?(?:%|percent\b|per cent\b)"
    r"|\d[\d,]*(?:\.\d+)?(?:st|nd|rd|th|s)?"
    r"|[^\W\d_]+(?:['’][^\W\d_]+)*(?:-[^\W\d_]+)*"
    r"|[?!]"
)

_NUM_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred hundreds thousand thousands million millions billion billions trillion trillions "
    "dozen dozens half third quarter twice double triple".split()
)
_MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)
_TIME_WORDS = frozenset(
    "year years month months week weeks decade decades century ago since yesterday today "
    "monday tuesday wednesday thursday friday saturday sunday last".split()
)
_COMPARATIVE = frozenset(
    "more less fewer than higher lower larger smaller bigger increase increased increases "
    "decrease decreased decreases rise rose risen fell fall fallen doubled tripled cut cuts "
    "grew grown up down percent".split()
)
_SUPERLATIVE = frozenset(
    "most least first only largest biggest highest lowest record never ever best worst "
    "greatest fastest every all none no".split()
)
_CAUSAL = frozenset(
    "caused causes cause because result resulted led leads due killed destroyed created "
    "lost gained passed voted signed".split()
)
_ATTRIB = frozenset("said says according reported report study studies data statistics".split())
_OPINION = frozenset(
    "think believe feel hope wish want should must need let's going gonna great terrible "
    "wonderful frankly honestly maybe perhaps probably".split()
)
_FIRST_PERSON = frozenset("i i'm i've i'd i'll me my we we're we've we'll our us".split())
_SECOND_PERSON = frozenset("you you're you've your".split())
_MONEY_WORDS = frozenset("dollars dollar tax taxes budget deficit debt spending cost costs".split())


def _shape(tok: str) -> str:
    """Map a number-like token to a coarse class; words pass through lowercased."""
    c = tok[0]
    if c in "$€£¥":
        return "<money>"
    if c.isdigit():
        if tok.endswith(("%", "percent", "per cent")):
            return "<pct>"
        digits = tok.replace(",", "")
        if len(digits) == 4 and digits.isdigit() and digits[:2] in ("19", "20"):
            return "<year>"
        if tok.endswith("s") and tok[:-1].isdigit():
            return "<decade>"
        if tok[-1].isalpha():
            return "<ord>"
        return "<num>"
    return tok.lower().replace("’", "'")


def sentence_features(sentence: str) -> dict[str, float]:
    """Return the sparse features of one sentence: word uni/bigrams (prefixed ``w:``/``b:``) and cues (``c:``)."""  # noqa: E501
    toks = [_shape(t) for t in TOKEN_RE.findall(sentence)]
    feats: dict[str, float] = {}
    prev = "<s>"
    n_num = n_time = n_cmp = n_sup = n_cause = n_att = n_op = n_fp = n_sp = 0
    for t in toks:
        feats["w:" + t] = 1.0
        feats["b:" + prev + " " + t] = 1.0
        prev = t
        if t[0] == "<" or t in _NUM_WORDS:
            n_num += 1
        if t in _MONTHS or t in _TIME_WORDS or t == "<year>" or t == "<decade>":
            n_time += 1
        if t in _COMPARATIVE:
            n_cmp += 1
        if t in _SUPERLATIVE:
            n_sup += 1
        if t in _CAUSAL:
            n_cause += 1
        if t in _ATTRIB:
            n_att += 1
        if t in _OPINION:
            n_op += 1
        if t in _FIRST_PERSON:
            n_fp += 1
        if t in _SECOND_PERSON:
            n_sp += 1
        if t in _MONEY_WORDS:
            n_num += 0  # vocabulary covers these; kept for readability
    feats["b:" + prev + " </s>"] = 1.0
    n = len(toks)
    feats["c:bias"] = 1.0
    if n <= 4:
        feats["c:len<=4"] = 1.0
    elif n <= 8:
        feats["c:len<=8"] = 1.0
    elif n <= 16:
        feats["c:len<=16"] = 1.0
    elif n <= 32:
        feats["c:len<=32"] = 1.0
    else:
        feats["c:len>32"] = 1.0
    for name, cnt in (
        ("num", n_num),
        ("time", n_time),
        ("cmp", n_cmp),
        ("sup", n_sup),
        ("cause", n_cause),
        ("att", n_att),
        ("op", n_op),
        ("fp", n_fp),
        ("sp", n_sp),
    ):
        if cnt:
            feats["c:" + name] = 1.0
            if cnt > 1:
                feats["c:" + name + "2"] = 1.0
    s = sentence.rstrip()
    if s.endswith("?"):
        feats["c:question"] = 1.0
    if s.endswith("!"):
        feats["c:exclaim"] = 1.0
    if s.endswith(("...", "…", "-", "—")):
        feats["c:trailing"] = 1.0
    return feats
