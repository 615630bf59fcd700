"""Sentence features for the check-worthiness model (pure Python, shared by training and inference).

The same function turns a sentence into sparse features at training time
(``train.py``) and at run time (``model.py``), so the shipped weights and the
inference code can never drift apart.
"""

from __future__ import annotations

import re

__all__ = ["sentence_features", "sentence_features_words", "TOKEN_RE"]

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
# Second set of cue lexicons (generic function words and stances, not topical vocabulary).
_HEDGE = frozenset(
    "maybe perhaps probably possibly might could seems seem appears likely unlikely guess "
    "suppose".split()
)
_MODAL = frozenset("will would should could can must gonna going".split())
_EXHORT = frozenset("let's let join vote imagine look listen remember thank thanks please".split())
_QWORDS = frozenset("what why how who whom where when which whether".split())
_NEG = frozenset(
    "not no never don't doesn't didn't won't can't isn't aren't wasn't weren't nothing "
    "nobody".split()
)
_STANCE = frozenset(
    "think believe feel hope wish want love hate agree disagree proud honored honor pleased "
    "glad happy sad great terrible wonderful horrible beautiful tremendous amazing incredible "
    "fantastic disaster frankly honestly".split()
)
_FP_SG = frozenset("i i'm i've i'd i'll me my mine myself".split())
_FP_PL = frozenset("we we're we've we'll we'd our us ours".split())
_THIRD = frozenset("he she they he's she's they're his her their them him".split())
_STATE = frozenset("is are was were has have had been".split())
_PAST_AUX = frozenset("was were had did".split())
_FACTUAL = frozenset(
    "percent percentage rate average total number numbers million billion trillion thousand "
    "hundred jobs tax taxes deficit debt budget unemployment cost costs income spending spent "
    "paid pay voted vote law bill passed signed cut cuts increase increased decrease "
    "decreased".split()
)
# word-set cues: (feature name, lexicon), counted per sentence (present, and present twice+)
_LEXICONS = (
    ("num", _NUM_WORDS),
    ("cmp", _COMPARATIVE),
    ("sup", _SUPERLATIVE),
    ("cause", _CAUSAL),
    ("att", _ATTRIB),
    ("op", _OPINION),
    ("fp", _FIRST_PERSON),
    ("sp", _SECOND_PERSON),
    ("hedge", _HEDGE),
    ("modal", _MODAL),
    ("neg", _NEG),
    ("opin", _STANCE),
    ("fpsg", _FP_SG),
    ("fppl", _FP_PL),
    ("tp", _THIRD),
    ("state", _STATE),
    ("pastaux", _PAST_AUX),
    ("factv", _FACTUAL),
)
# one lookup per token: word -> the cue names it fires
_CUES_OF: dict[str, tuple[str, ...]] = {}
for _name, _words in _LEXICONS:
    for _w in _words:
        _CUES_OF[_w] = _CUES_OF.get(_w, ()) + (_name,)
_TIME_SET = _MONTHS | _TIME_WORDS
_LEN_BINS = (3, 6, 10, 15, 20, 30, 45)
_STEM_LEN = 5


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
    """Return the sparse binary features of one sentence (see :func:`sentence_features_words`)."""
    return sentence_features_words(sentence)[0]


def sentence_features_words(sentence: str) -> tuple[dict[str, float], list[str]]:
    """Return the sparse binary features of one sentence and its lower-cased word tokens.

    ``w:`` word unigrams, ``b:`` word bigrams, ``s:`` five-letter prefixes of longer words
    (a crude stem, so unseen inflections share weight), and ``c:`` generic cues: number,
    date, money and percentage shapes; comparison, superlative, causal, attribution, hedge,
    modal, negation, stance and pronoun lexicons; capitalised words inside the sentence
    (names); questions, exhortations, quotes, interruptions and length bins.

    The word list (numbers, money, ``?`` and ``!`` left out) feeds the averaged word
    vectors of the model (:mod:`factcheck.extract.model`).
    """
    raw = TOKEN_RE.findall(sentence)
    feats: dict[str, float] = {"c:bias": 1.0}
    cnt: dict[str, int] = {}
    prev = "<s>"
    caps = 0
    cues_of = _CUES_OF
    words: list[str] = []
    for i, r in enumerate(raw):
        t = _shape(r)
        feats["w:" + t] = 1.0
        feats["b:" + prev + " " + t] = 1.0
        prev = t
        if t[0] == "<":
            cnt["num"] = cnt.get("num", 0) + 1
            cnt["numshape"] = cnt.get("numshape", 0) + 1
            if t == "<year>" or t == "<decade>":
                cnt["time"] = cnt.get("time", 0) + 1
            continue
        if t == "?" or t == "!":
            continue
        words.append(t)
        names = cues_of.get(t)
        if names:
            for k in names:
                cnt[k] = cnt.get(k, 0) + 1
        if t in _TIME_SET:
            cnt["time"] = cnt.get("time", 0) + 1
        if len(t) > 3 and t.endswith("ed"):
            cnt["ed"] = cnt.get("ed", 0) + 1
        if len(t) > _STEM_LEN:
            feats["s:" + t[:_STEM_LEN]] = 1.0
        if i and r[0].isupper() and r != "I" and not r.startswith(("I'", "I’")):
            caps += 1
    feats["b:" + prev + " </s>"] = 1.0
    n = len(raw)
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
    for b in _LEN_BINS:
        if n > b:
            feats["c:len>" + str(b)] = 1.0
    for k, v in cnt.items():
        feats["c:" + k] = 1.0
        if v > 1:
            feats["c:" + k + "2"] = 1.0
    if caps:
        feats["c:caps"] = 1.0
        if caps > 1:
            feats["c:caps2"] = 1.0
            if caps > 3:
                feats["c:caps4"] = 1.0
    if raw:
        first = raw[0].lower()
        if first in _QWORDS:
            feats["c:startq"] = 1.0
        if first in _EXHORT or first == "let’s":
            feats["c:starthort"] = 1.0
    if "[" in sentence:
        feats["c:bracket"] = 1.0
    if '"' in sentence or "“" in sentence:
        feats["c:quote"] = 1.0
    s = sentence.rstrip()
    if s.endswith("?"):
        feats["c:question"] = 1.0
    if s.endswith("!"):
        feats["c:exclaim"] = 1.0
    if s.endswith(("...", "…", "-", "—")):
        feats["c:trailing"] = 1.0
    return feats, words
