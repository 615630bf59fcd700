"""Cross-validation of the check-worthiness model over blocks of debates, by era.

The debates of ``train.jsonl`` and ``dev.jsonl`` (ClaimBuster: US presidential debates
1960-2016) are put in the order they were held (sentence ids run in that order) and cut into
``--folds`` blocks of consecutive sentence ids, each a span of years. Each block in turn is
held out: the model is fitted on the other blocks (the same logistic regression as
``factcheck train-model``), its decision threshold is chosen on the newest of those blocks
(fitted on the rest, the shipped protocol), and it is scored on the held-out block: average
precision (threshold-free) and F1 at that threshold. The figures are printed per block, then
as mean, standard deviation and range, and each candidate's paired difference from
``shipped`` per block (mean, sd, paired t over the blocks), for each candidate compared:

* ``shipped``: the model as shipped (its features, C, word vectors and threshold protocol);
* ``news``: with news-domain signals (:func:`news_signals`: attributed figure vs attributed
  judgement, figure with a date or a past-tense verb, forecast without a figure, a label
  pinned on something, a named source); ``news+C`` the same with C chosen among
  ``--select-c`` inside each fold (on the newest training block, never on the held-out one);
* ``news2``: :func:`news_signals2`, those plus a reporting verb with evaluative words, with a
  modal or future, with a figure or with neither; a first-person plural promise; a named day
  or month (with a figure);
* ``chars``: the shipped model blended with a character n-gram model (:func:`char_fit`, with
  its pure-Python inference :func:`char_logit`; logit ``(1 - share) * shipped + share *
  characters``), C and share chosen among ``CHAR_C_GRID`` and ``CHAR_SHARE_GRID`` inside each
  fold; ``chars-cal`` the same, its logit scaled to the spread of the shipped model's on the
  newest training block, so that the extractor's cues (score.py) weigh as much against it
  (the same debate figures as ``chars``; only the news flags differ);
* ``nb``: naive-Bayes log-count ratios scale the binary features (NBSVM; C chosen inside
  each fold); ``scale2``/``scale5``: the word-vector block at 2 or 5 instead of 3
  (``train.WORD_SCALE``); ``mindf3``/``mindf10``: features seen in 3 or 10 training
  sentences instead of 5;
* ``pooled-th``: the shipped model with its threshold chosen by nested cross-validation, every
  training block held out in turn (fitted on the other four) and F1 maximised over their
  pooled scores, instead of on the newest training block alone;
* ``newsrows1``, ``newsrows5``, ``news2+rows5``, ``news2+rows20``: the labelled claims of our
  news halves added to the training rows with that weight (a claim the extractor makes from
  a news article, labelled 1 when it matches a core label, 0 when it matches none; borderline
  left out), all four halves in the debate folds, and leave-one-half-out on the news.

``--news`` retrains each candidate on every debate as a shipped model would be (C, share and
threshold by its protocol, the threshold on the newest block) and scores the claims the
extractor makes from the news halves dev, test, fresh and fourth (never fifth, the held-out
half): precision of check-worthy claims, recall of core claims by them, claims flagged and
the average precision of the claims' scores (core 1, unmatched 0), beside the shipped
``model.json``. A candidate trained on news claims is scored on each half by a model that did
not see it. ``--adjust`` fits the candidate ``adjust`` (:func:`run_adjuster`) on the news
claims, leave-one-half-out.

``dev-test.jsonl`` is never read: it is newer data kept for ``bench/eval_checkworthy.py``.
The word vectors are unsupervised (no label is read for them) and computed once over
``train.jsonl`` and ``dev.jsonl``, as ``factcheck train-model`` does, then cached in
``--cache-dir``; a held-out block's text is among what they were averaged over, its labels
never. Needs the ``train`` extra.

Usage: python bench/cv_checkworthy.py [--data ../shared/eval/ct24] [--folds 6] [--cache-dir DIR]
[--variants shipped,news,news+C,chars,...] [--blocks 1,2,3] [--news] [--adjust] [--no-cv]
"""

from __future__ import annotations

import argparse
import hashlib
import math
import pickle
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from factcheck.extract import train  # noqa: E402
from factcheck.extract.features import sentence_features, sentence_features_words  # noqa: E402

# "X called the plan a disgrace", "described it as reckless": a label pinned on something
_LABELLING_RE = re.compile(
    r"\b(?:called|calls|branded|brands|labelled|labeled|dubbed)\s+(?:\S+\s+){1,4}?(?:an?|the)\s"
    r"|\bdescribed\s+(?:\S+\s+){1,4}?as\s",
    re.IGNORECASE,
)
# a named source: "Maria Okafor said", "said Maria Okafor", "according to the Central Bank"
_NAMED_SOURCE_RE = re.compile(
    r"[A-Z][\w'’-]+\s+[A-Z][\w'’-]+,?\s+(?:said|says|told|added|wrote)\b"
    r"|\b(?:said|says|told)\s+[A-Z][\w'’-]+\s+[A-Z]"
    r"|\b[Aa]ccording to (?:the\s+)?[A-Z]"
)


def news_signals(sentence: str, feats: dict[str, float]) -> dict[str, float]:
    """``feats`` with candidate news-domain features: conjunctions of the model's cues that a
    linear model cannot form from the single cues (an attributed figure against an attributed
    judgement, a figure with a date or a past-tense verb, a forecast without a figure), a
    label pinned on something, a named source."""
    out = dict(feats)
    num, att = "c:num" in feats, "c:att" in feats
    if att and num:
        out["n:att*num"] = 1.0
    if att and ("c:opin" in feats or "c:op" in feats):
        out["n:att*judge"] = 1.0
    if num and "c:time" in feats:
        out["n:num*time"] = 1.0
    if num and ("c:ed" in feats or "c:pastaux" in feats):
        out["n:num*past"] = 1.0
    if "c:modal" in feats and not num:
        out["n:modal*nonum"] = 1.0
    if _LABELLING_RE.search(sentence):
        out["n:label"] = 1.0
    if _NAMED_SOURCE_RE.search(sentence):
        out["n:named"] = 1.0
    return out


def load(data: Path) -> tuple[list[str], list[int], list[int]]:
    """Texts, labels and sentence ids of train and dev, in debate order."""
    texts, labels, ids = train.load_jsonl(data / "train.jsonl", with_ids=True)
    dev = data / "dev.jsonl"
    if dev.exists():
        t, y, i = train.load_jsonl(dev, with_ids=True)
        texts, labels, ids = texts + t, labels + y, ids + i
    order = sorted(range(len(ids)), key=lambda j: ids[j])
    return [texts[j] for j in order], [labels[j] for j in order], [ids[j] for j in order]


def vectors(texts: list[str], word_lists: list[list[str]], data: Path, cache_dir: Path):
    """The vocabulary and its word vectors (cached by data and training constants)."""
    key = hashlib.sha256()
    for name in ("train.jsonl", "dev.jsonl"):
        if (data / name).exists():
            key.update((data / name).read_bytes())
    key.update(repr((train.WORD_SCALE, train.WORD_MIN_DF, train.RIDGE_ALPHA)).encode())
    key.update(repr((train.CONTEXT_BATCH, train.CONTEXT_MAX_PIECES, train.SEED)).encode())
    path = cache_dir / f"cv-vectors-{key.hexdigest()[:16]}.pickle"
    if path.exists():
        with open(path, "rb") as fh:
            return pickle.load(fh)  # noqa: S301 (our own cache file)
    started = time.perf_counter()
    vocab = train._vocabulary(word_lists)
    vecs = train.word_vectors(vocab, texts)
    print(f"word vectors: {len(vocab)} words in {time.perf_counter() - started:.0f} s (cached)")
    cache_dir.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        pickle.dump((vocab, vecs), fh)
    return vocab, vecs


# the candidate character model (chars): n-grams of 2-5 letters of each space-padded word,
# sublinear tf-idf rows of unit length, a class-balanced logistic regression
CHAR_MIN_N, CHAR_MAX_N = 2, 5
CHAR_MIN_DF = 5
CHAR_C_GRID = (0.03, 0.1, 0.3)
CHAR_SHARE_GRID = (0.25, 0.5)


def char_ngrams(sentence: str) -> list[str]:
    """The character n-grams (``CHAR_MIN_N`` to ``CHAR_MAX_N`` letters) of each
    whitespace-separated word of the lower-cased ``sentence``, the word padded with one space
    each side, as scikit-learn's ``char_wb`` analyzer makes them (a word no longer than an
    n-gram counts once, whole). Repeats are kept: the model counts them."""
    out: list[str] = []
    for w in sentence.lower().split():
        w = " " + w + " "
        size = len(w)
        for n in range(CHAR_MIN_N, CHAR_MAX_N + 1):
            if size <= n:
                out.append(w)
                break
            out.extend([w[i : i + n] for i in range(size - n + 1)])
    return out


def char_logit(table: dict[str, tuple[float, float]], sentence: str) -> float:
    """The character term of ``sentence`` as a pure-Python scorer would compute it: its known
    n-grams (``table`` maps each to ``(idf, weight)``) weighted ``(1 + log count) * idf``, the
    vector scaled to unit length, dotted with the weights (scikit-learn's sublinear tf-idf,
    then a linear model; the bias is added by the caller)."""
    counts: dict[str, int] = {}
    for g in char_ngrams(sentence):
        if g in table:
            counts[g] = counts.get(g, 0) + 1
    dot = norm = 0.0
    for g, n in counts.items():
        idf, w = table[g]
        v = (1.0 + math.log(n)) * idf if n > 1 else idf
        dot += v * w
        norm += v * v
    return dot / math.sqrt(norm) if norm else 0.0


def char_fit(texts: list[str], labels: list[int], c: float) -> tuple[dict, float]:
    """Fit the character model; return ``({ngram: (idf, weight)}, bias)``, rounded as a
    shipped file would hold them (every n-gram kept: each one's idf enters the length)."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    tv = TfidfVectorizer(analyzer=char_ngrams, min_df=CHAR_MIN_DF, sublinear_tf=True)
    x = tv.fit_transform(texts)
    clf = LogisticRegression(
        C=c, class_weight="balanced", max_iter=5000, solver="lbfgs", random_state=train.SEED
    )
    clf.fit(x, np.asarray(labels))
    table = {
        str(g): (round(float(i), 3), round(float(w), 4))
        for g, i, w in zip(tv.get_feature_names_out(), tv.idf_, clf.coef_[0], strict=True)
    }
    return table, float(clf.intercept_[0])


# more news-domain signals (candidate news2): what a reported sentence says and how
_REPORT = frozenset(
    "said says told added announced confirmed stated estimated reported warned argued claimed "
    "insisted accused called described criticised criticized welcomed denied admitted "
    "according".split()
)
_EVALUATIVE = frozenset(
    "unfair reckless disgrace disgraceful shameful welcome welcomed disappointing disappointed "
    "outrageous absurd ridiculous excellent brilliant terrible awful dangerous irresponsible "
    "wrong right good bad better worse best worst great huge historic failure success "
    "betrayal insult scandal nonsense vital crucial important".split()
)
_FUTURE = frozenset("will won't would shall going gonna plan plans pledge pledged promise".split())
_DATE_RE = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)


def news_signals2(sentence: str, feats: dict[str, float]) -> dict[str, float]:
    """:func:`news_signals` plus: a reporting verb with evaluative words, with a modal or
    future, or with a figure (attributed opinion, forecast or fact); a first-person plural
    promise ("we will"); a named day or month; a question that is a whole sentence."""
    out = news_signals(sentence, feats)
    low = {w.lower() for w in re.findall(r"[A-Za-z']+", sentence)}
    rep = bool(low & _REPORT)
    ev = bool(low & _EVALUATIVE)
    fut = bool(low & _FUTURE)
    num = "c:num" in feats
    if rep and ev:
        out["n:rep*eval"] = 1.0
    if rep and fut:
        out["n:rep*fut"] = 1.0
    if rep and num:
        out["n:rep*num"] = 1.0
    if rep and not num and not ev:
        out["n:rep*plain"] = 1.0
    if "c:fppl" in feats and fut:
        out["n:we*will"] = 1.0
    if _DATE_RE.search(sentence):
        out["n:date"] = 1.0
        if num:
            out["n:date*num"] = 1.0
    if ev and not num:
        out["n:eval*nonum"] = 1.0
    return out


FEATURE_SETS = {
    "shipped": lambda text, feats: feats,
    "news": news_signals,
    "news2": news_signals2,
}


# ---------------------------------------------------------------------------------------
# Candidates. Each is a spec: its feature set, the values chosen inside each fold (by AP on
# the newest training block), and options; fitted on debate rows (and, with ``news_weight``,
# on the labelled claims of the news halves it may see), scored on debate rows or on text.


class Spec:
    def __init__(
        self,
        name,
        feats="shipped",
        grid=None,
        chars=False,
        nb=False,
        scale=1.0,
        news_weight=0.0,
        threshold="newest",
        calibrate=False,
        min_df=None,
    ):
        self.name = name
        self.feats = feats
        self.grid = grid  # None: [args.c]; a list of C; for chars a list of (C, share)
        self.chars = chars
        self.nb = nb  # naive-Bayes log-count ratios scale the binary features (NBSVM)
        self.scale = scale  # multiplies the word-vector block
        self.news_weight = news_weight  # weight of each labelled news claim (0: none)
        self.threshold = threshold  # "newest" block, or "pooled" inner leave-one-block-out
        # logits scaled to the spread of the shipped model's on the newest training block, so
        # that the extractor's cues (score.py) weigh as much against them as against its
        self.calibrate = calibrate
        self.min_df = min_df  # None: --min-df


SHIPPED = Spec("shipped")


def specs(args) -> dict[str, Spec]:
    grid_c = [float(c) for c in args.select_c.split(",")] if args.select_c else None
    chars_grid = [(c, a) for c in CHAR_C_GRID for a in CHAR_SHARE_GRID]
    out = [
        SHIPPED,
        Spec("news", "news"),
        Spec("news+C", "news", grid=grid_c),
        Spec("chars", grid=chars_grid, chars=True),
        Spec("news2", "news2"),
        Spec("nb", nb=True, grid=grid_c),
        Spec("scale2", scale=2 / 3),
        Spec("scale5", scale=5 / 3),
        Spec("mindf3", min_df=3),
        Spec("mindf10", min_df=10),
        Spec("chars-cal", grid=chars_grid, chars=True, calibrate=True),
        Spec("news2+chars-cal", "news2", grid=chars_grid, chars=True, calibrate=True),
        Spec("pooled-th", threshold="pooled"),
        Spec("newsrows1", news_weight=1.0),
        Spec("newsrows5", news_weight=5.0),
        Spec("news2+rows5", "news2", news_weight=5.0),
        Spec("news2+rows20", "news2", news_weight=20.0),
    ]
    return {s.name: s for s in out}


class Data:
    """Debate rows (texts, labels, ids, features per set, words, word-vector means) and the
    news claims (per half: text, label 1/0, features, words, means)."""

    texts: list[str]
    labels: list[int]
    ids: list[int]
    feats: dict[str, list[dict]]
    words: list[list[str]]
    dense: object
    vocab: list[str]
    vecs: object
    index: dict[str, int]
    news: dict[str, list[dict]]


D = Data()


def text_row(text: str) -> dict:
    """Features (every set), words and word-vector mean of one text."""
    import numpy as np

    base, words = sentence_features_words(text)
    feats = {k: f(text, base) for k, f in FEATURE_SETS.items()}
    mean = train._mean_vectors([words], D.index, D.vecs)[0] if words else np.zeros(D.vecs.shape[1])
    return {"feats": feats, "words": words, "dense": mean}


def nb_ratios(fx: list[dict], y: list[int], alpha: float = 1.0) -> dict[str, float]:
    """Log-count ratio of each binary feature between the classes (Wang and Manning 2012)."""
    pos: dict[str, float] = {}
    neg: dict[str, float] = {}
    for f, label in zip(fx, y, strict=True):
        side = pos if label else neg
        for k in f:
            side[k] = side.get(k, 0.0) + 1.0
    keys = set(pos) | set(neg)
    sp = sum(pos.values()) + alpha * len(keys)
    sn = sum(neg.values()) + alpha * len(keys)
    return {
        k: math.log((pos.get(k, 0.0) + alpha) / sp) - math.log((neg.get(k, 0.0) + alpha) / sn)
        for k in keys
    }


class Fitted:
    """A fitted candidate: logits of debate rows or of texts."""

    def __init__(self, spec, w, ww, b, char=None, share=0.0):
        self.spec, self.w, self.ww, self.b = spec, w, ww, b
        self.char, self.share = char, share

    def _lin(self, feats: dict, words: list[str]) -> float:
        z = self.b + sum(self.w.get(k, 0.0) for k in feats)
        if words:
            z += sum(self.ww.get(t, 0.0) for t in words) / len(words)
        return z

    def rows(self, rows: list[int]) -> list[float]:
        fs = D.feats[self.spec.feats]
        z = [self._lin(fs[j], D.words[j]) for j in rows]
        if self.char:
            table, cb = self.char
            z = [
                (1 - self.share) * a + self.share * (cb + char_logit(table, D.texts[j]))
                for a, j in zip(z, rows, strict=True)
            ]
        return z

    def text(self, text: str) -> float:
        base, words = sentence_features_words(text)
        z = self._lin(FEATURE_SETS[self.spec.feats](text, base), words)
        if self.char:
            table, cb = self.char
            z = (1 - self.share) * z + self.share * (cb + char_logit(table, text))
        return z


_CHAR_CACHE: dict = {}


def fit(spec: Spec, param, rows: list[int], news_rows: list[dict], args) -> Fitted:
    """Fit ``spec`` with ``param`` (C, or (C, share) for chars) on debate ``rows`` plus
    ``news_rows`` (weighted ``spec.news_weight``)."""
    import numpy as np

    c = param[0] if spec.chars else param
    cw = args.c if spec.chars else c
    fx = [D.feats[spec.feats][j] for j in rows]
    y = [D.labels[j] for j in rows]
    dense = D.dense[rows]
    weight = None
    if spec.news_weight and news_rows:
        fx = fx + [r["feats"][spec.feats] for r in news_rows]
        y = y + [r["label"] for r in news_rows]
        dense = np.vstack([dense, np.stack([r["dense"] for r in news_rows])])
        weight = np.asarray([1.0] * len(rows) + [spec.news_weight] * len(news_rows))
    ratios = None
    if spec.nb:
        ratios = nb_ratios(fx, y)
        fx = [{k: ratios[k] for k in f} for f in fx]
    vecs = D.vecs * spec.scale
    min_df = spec.min_df or args.min_df
    w, ww, b = train._fit(fx, dense * spec.scale, y, min_df, cw, D.vocab, vecs, weight)
    if ratios is not None:
        w = {k: v * ratios[k] for k, v in w.items()}
    model = Fitted(spec, w, ww, b)
    if spec.chars:
        key = (rows[0], rows[-1], len(rows), c)
        if key not in _CHAR_CACHE:
            _CHAR_CACHE.clear()
            _CHAR_CACHE[key] = char_fit([D.texts[j] for j in rows], y[: len(rows)], c)
        model.char, model.share = _CHAR_CACHE[key], param[1]
    return model


def probs(z: list[float]) -> list[float]:
    return [1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, v)))) for v in z]


def choose(spec: Spec, blocks, train_blocks: list[int], news_rows, args):
    """The parameter and decision threshold of ``spec`` when training on ``train_blocks``:
    the parameter by AP on the newest of them (fitted on the others); the threshold by F1
    there too, or (``pooled``) over every one of them held out in turn."""
    newest = max(train_blocks)
    inner_fit = [j for b in train_blocks if b != newest for j in blocks[b]]
    inner_y = [D.labels[j] for j in blocks[newest]]
    grid = spec.grid or [args.c]
    best = None
    for param in grid:
        p = probs(fit(spec, param, inner_fit, news_rows, args).rows(blocks[newest]))
        ap = train._average_precision(inner_y, p)
        if best is None or ap > best[0]:
            best = (ap, param, p)
    _ap, param, p = best
    spread = 1.0
    if spec.calibrate:
        z = fit(spec, param, inner_fit, news_rows, args).rows(blocks[newest])
        ref = fit(SHIPPED, args.c, inner_fit, [], args).rows(blocks[newest])
        spread = statistics.pstdev(ref) / statistics.pstdev(z)
    if spec.threshold == "pooled":
        ys, ps = list(inner_y), list(p)
        for b in train_blocks:
            if b == newest:
                continue
            fit_rows = [j for o in train_blocks if o != b for j in blocks[o]]
            ys += [D.labels[j] for j in blocks[b]]
            ps += probs(fit(spec, param, fit_rows, news_rows, args).rows(blocks[b]))
        _f1, th = train._best_threshold(ys, ps)
    else:
        _f1, th = train._best_threshold(inner_y, p)
    return param, th, spread


# ---------------------------------------------------------------------------------------
# News: the labelled claims of our news halves (never fifth, the held-out half).

NEWS_HALVES = ("dev", "test", "fresh", "fourth")


def load_news() -> dict[str, list[dict]]:
    """Per half, per article: the extractor's claims with their label (1: matched to a core
    label, 0: matched to none, None: matched to a borderline one) and the article."""
    sys.path.insert(0, str(ROOT / "bench"))
    import eval_claims

    from factcheck.extract import claims as claims_module
    from factcheck.extract import extract_claims

    # the model scores the wording as it stands when the claim is made; the extractor may
    # name a shorthand in full afterwards ("the union" -> "the Harbour Workers' Union")
    scored: dict[tuple[str, float], str] = {}
    original = claims_module._score

    def recording(text, quote, kinds):
        score = original(text, quote, kinds)
        scored[quote, round(score, 4)] = text
        return score

    out = {}
    claims_module._score = recording
    try:
        for half in NEWS_HALVES:
            assert half != "fifth"
            out[half] = []
            for art in eval_claims.load_half(half):
                scored.clear()
                claims = extract_claims(art["text"], published=art["meta"].get("published"))
                for c in claims:
                    c["scored_text"] = scored[c["quote"], c["score"]]
                out[half].append(_label(art, claims, eval_claims))
    finally:
        claims_module._score = original
    return out


def _label(art: dict, claims: list[dict], eval_claims) -> dict:
    """The article and its claims, each labelled 1 (matched to a core label), 0 (matched to
    none) or None (matched to a borderline label: neutral in precision, not trained on)."""
    pairs = eval_claims.score_article(art["text"], art["labels"], claims)["all"]["pairs"]
    for i, c in enumerate(claims):
        gi = pairs.get(i)
        c["_label"] = 0 if gi is None else (1 if art["labels"][gi]["core"] else None)
    return {"article": art, "claims": claims}


def news_training_rows(halves) -> list[dict]:
    rows = []
    for h in halves:
        for a in D.news[h]:
            for c in a["claims"]:
                if c["_label"] is not None:
                    if "_row" not in c:
                        c["_row"] = text_row(c["scored_text"])
                    rows.append({**c["_row"], "label": c["_label"]})
    return rows


def news_figures(half: str, logit, shift: float, spread: float = 1.0, direct=None) -> dict:
    """Precision of check-worthy claims and recall of core claims by them on ``half`` when
    the claim's logit is ``spread * (logit(text) + shift)`` plus the extractor's cues
    (score.py)."""
    import eval_claims

    from factcheck.extract.score import cue_adjustment, squash

    outputs, arts = {}, []
    ys, zs = [], []
    for a in D.news[half]:
        claims = []
        for c in a["claims"]:
            if direct is not None:  # a logit that includes the cues already
                z = direct(c) + shift
            else:
                z = spread * (logit(c["scored_text"]) + shift)
                z += cue_adjustment(c["quote"], c["kind"])
            if c["_label"] is not None:
                ys.append(c["_label"])
                zs.append(z)
            # as the extractor decides: the score rounded to 4 decimals, at or above 0.5
            claims.append({**c, "checkworthy": round(squash(z), 4) >= 0.5})
        outputs[a["article"]["slug"]] = claims
        arts.append(a["article"])
    counts = [
        eval_claims.score_article(a["text"], a["labels"], outputs[a["slug"]])["checkworthy"][
            "counts"
        ]
        for a in arts
    ]
    t = eval_claims.summarize(eval_claims.total(counts))
    return {
        "AP": train._average_precision(ys, zs),
        "P": t["precision"],
        "R": t["recall_core"],
        "tp": t["tp"],
        "fp": t["fp"],
        "n": t["tool"],
    }


def cue_features(c: dict) -> dict[str, float]:
    """The extractor's cues of a claim, one feature each (score.py weighs them by hand), and
    the news signals of its wording (:func:`news_signals2`)."""
    from factcheck.extract.filters import _FIRST_PERSON_RE, _MODAL_OPINION_RE, _OPINION_RE
    from factcheck.extract.grammar import _VERB_HINT_RE

    quote, kinds = c["quote"], c["kind"]
    out = {"k:" + k: 1.0 for k in kinds}
    if kinds == ["other"]:
        out["k:other-only"] = 1.0
    if quote.rstrip().endswith("?"):
        out["q:question"] = 1.0
    if _OPINION_RE.search(quote) or _FIRST_PERSON_RE.search(quote):
        out["q:opinion"] = 1.0
        if _MODAL_OPINION_RE.search(quote):
            out["q:modal-opinion"] = 1.0
    if not _VERB_HINT_RE.search(quote.lower()):
        out["q:no-verb"] = 1.0
    base, _words = sentence_features_words(c["scored_text"])
    for k in news_signals2(c["scored_text"], base):
        if k.startswith("n:"):
            out[k] = 1.0
    return out


def run_adjuster(blocks, args) -> None:
    """Candidate ``adjust``: the shipped model's logit and the extractor's cues (each its own
    feature) and the news signals weighed by a logistic regression fitted on the labelled
    claims of three news halves and scored on the fourth (leave-one-half-out), in place of
    score.py's hand-set cue weights. Its threshold flags, on the three training halves, as
    many claims as the shipped scorer does there (so precision compares at an equal share of
    claims flagged), or maximises F1 there (``adjust-f1``). ``adjust-words-count`` adds the
    claim's own sentence features (words, bigrams, prefixes, cues: a news-only term learned
    beside the debate model, whose debate scores it leaves alone)."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    from factcheck.extract.model import load_model
    from factcheck.extract.score import cue_adjustment, squash

    shipped = load_model()
    rows = {}
    for h in NEWS_HALVES:
        rows[h] = []
        for a in D.news[h]:
            for c in a["claims"]:
                z = shipped.logit(c["scored_text"])
                f = {"z": z, **cue_features(c)}
                ship = round(squash(z + cue_adjustment(c["quote"], c["kind"])), 4) >= 0.5
                words = {"x" + k: v for k, v in sentence_features(c["scored_text"]).items()}
                rows[h].append((f, c["_label"], ship, c, {**f, **words}))
    ref = {h: news_figures(h, shipped.logit, 0.0) for h in NEWS_HALVES}
    print_news("model.json", ref)
    # adjust+words: the sentence's own features too (words, bigrams, cues), learned on news
    for mode, feat, c_reg in (("count", 0, 1.0), ("f1", 0, 1.0), ("words-count", 4, 0.3)):
        figs = {}
        for h in NEWS_HALVES:
            tr = [r for o in NEWS_HALVES if o != h for r in rows[o] if r[1] is not None]
            vec = DictVectorizer(sort=True)
            x = vec.fit_transform([r[feat] for r in tr])
            y = np.asarray([r[1] for r in tr])
            clf = LogisticRegression(C=c_reg, max_iter=5000, random_state=train.SEED).fit(x, y)
            every = [r for o in NEWS_HALVES if o != h for r in rows[o]]
            p_tr = clf.predict_proba(vec.transform([r[feat] for r in every]))[:, 1]
            if mode.endswith("count"):
                n_ship = sum(r[2] for r in every)
                th = sorted(p_tr, reverse=True)[max(0, n_ship - 1)]
            else:
                lab = [(p, r[1]) for p, r in zip(p_tr, every, strict=True) if r[1] is not None]
                _f1, th = train._best_threshold([v for _p, v in lab], [p for p, _v in lab])
            p_h = clf.predict_proba(vec.transform([r[feat] for r in rows[h]]))[:, 1]
            logit = {
                id(r[3]): math.log(max(p, 1e-9) / max(1 - p, 1e-9))
                for p, r in zip(p_h, rows[h], strict=True)
            }
            shift = -math.log(th / (1 - th))
            figs[h] = news_figures(h, None, shift, direct=lambda c, lg=logit: lg[id(c)])
        print_news(f"adjust-{mode} (leave-one-half-out)", figs, ref)
    tr = [r for o in NEWS_HALVES for r in rows[o] if r[1] is not None]
    vec = DictVectorizer(sort=True)
    clf = LogisticRegression(C=1.0, max_iter=5000, random_state=train.SEED).fit(
        vec.fit_transform([r[0] for r in tr]), np.asarray([r[1] for r in tr])
    )
    weights = sorted(
        zip(vec.get_feature_names_out(), clf.coef_[0], strict=True), key=lambda t: t[1]
    )
    print("  adjust weights (all four halves): " + ", ".join(f"{k} {w:+.2f}" for k, w in weights))


def summary(values: list[float]) -> str:
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.fmean(values):.3f} (sd {sd:.3f}, {min(values):.3f}-{max(values):.3f})"


def run_news(chosen: dict[str, Spec], blocks, args) -> None:
    """Each candidate retrained on every debate as a shipped model would be (parameter and
    threshold by its protocol), scored on the news halves; a candidate trained on news claims
    is scored on each half with a model that did not see it (leave-one-half-out)."""
    from factcheck.extract.model import load_model
    from factcheck.extract.score import cue_adjustment

    shipped = load_model()
    every = list(range(len(blocks)))
    all_rows = [j for b in blocks for j in b]
    print(
        "news (precision of check-worthy claims P, recall of core claims by them R; "
        "claims flagged):"
    )
    ref = {h: news_figures(h, shipped.logit, 0.0) for h in NEWS_HALVES}
    print_news("model.json", ref)
    for name, spec in chosen.items():
        started = time.perf_counter()
        figs, equal = {}, {}
        if spec.news_weight:
            for h in NEWS_HALVES:
                others = [o for o in NEWS_HALVES if o != h]
                rows = news_training_rows(others)
                param, th, spread = choose(spec, blocks, every, rows, args)
                m = fit(spec, param, all_rows, rows, args)
                figs[h] = news_figures(h, m.text, -math.log(th / (1 - th)), spread)
                # the threshold that flags, on the other halves, as many claims as model.json
                z = sorted(
                    (
                        m.text(c["scored_text"]) + cue_adjustment(c["quote"], c["kind"])
                        for o in others
                        for a in D.news[o]
                        for c in a["claims"]
                    ),
                    reverse=True,
                )
                equal[h] = news_figures(h, m.text, -z[sum(ref[o]["n"] for o in others) - 1])
        else:
            param, th, spread = choose(spec, blocks, every, [], args)
            m = fit(spec, param, all_rows, [], args)
            for h in NEWS_HALVES:
                figs[h] = news_figures(h, m.text, -math.log(th / (1 - th)), spread)
        print_news(
            name + (" (leave-one-half-out)" if spec.news_weight else ""),
            figs,
            ref,
            f"{time.perf_counter() - started:.0f} s",
        )
        if equal:
            print_news(name + " (as many flagged as model.json on the other halves)", equal, ref)


def print_news(name: str, figs: dict, ref: dict | None = None, note: str = "") -> None:
    parts = []
    tp = fp = 0
    for h, f in figs.items():
        d = f" ({f['P'] - ref[h]['P']:+.3f})" if ref else ""
        parts.append(f"{h} P {f['P']:.3f}{d} R {f['R']:.3f} n {f['n']} AP {f['AP']:.3f}")
        tp, fp = tp + f["tp"], fp + f["fp"]
    rtp = sum(f["tp"] for f in ref.values()) if ref else tp
    rfp = sum(f["fp"] for f in ref.values()) if ref else fp
    pooled = tp / (tp + fp) if tp + fp else 0.0
    d = f" ({pooled - rtp / (rtp + rfp):+.3f})" if ref else ""
    print(f"  {name}: {'; '.join(parts)}; pooled P {pooled:.3f}{d} {note}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "eval" / "ct24")
    parser.add_argument("--folds", type=int, default=6)
    parser.add_argument("--min-df", type=int, default=5)
    parser.add_argument("--c", type=float, default=0.1)
    parser.add_argument(
        "--select-c",
        default="0.03,0.1,0.3",
        help="the C grid of the candidates that choose C inside each fold ('' for none)",
    )
    parser.add_argument(
        "--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "factcheck-bench"
    )
    parser.add_argument(
        "--variants",
        default="shipped,news,news+C,chars",
        help="which to run, comma-separated (shipped is the reference of the paired differences)",
    )
    parser.add_argument(
        "--blocks", default="", help="held-out blocks to run, e.g. '1,2' (default: all)"
    )
    parser.add_argument(
        "--news",
        action="store_true",
        help="also retrain each candidate on every debate and score it on the news halves "
        + ", ".join(NEWS_HALVES),
    )
    parser.add_argument(
        "--adjust", action="store_true", help="the news-trained cue weighing (run_adjuster)"
    )
    parser.add_argument("--no-cv", action="store_true", help="skip the cross-validation")
    args = parser.parse_args()

    texts, labels, ids = load(args.data)
    D.texts, D.labels, D.ids = texts, labels, ids
    parsed = [sentence_features_words(t) for t in texts]
    D.words = [p[1] for p in parsed]
    D.feats = {
        k: [f(t, p[0]) for t, p in zip(texts, parsed, strict=True)] for k, f in FEATURE_SETS.items()
    }
    D.vocab, D.vecs = vectors(texts, D.words, args.data, args.cache_dir)
    D.index = {w: i for i, w in enumerate(D.vocab)}
    D.dense = train._mean_vectors(D.words, D.index, D.vecs)
    all_specs = specs(args)
    wanted = args.variants.split(",")
    unknown = [v for v in wanted if v not in all_specs]
    if unknown:
        parser.error(f"unknown variants {unknown}; known: {', '.join(all_specs)}")
    chosen = {k: all_specs[k] for k in wanted}
    if args.news or args.adjust or any(s.news_weight for s in chosen.values()):
        started = time.perf_counter()
        D.news = load_news()
        n = sum(len(a["claims"]) for h in D.news.values() for a in h)
        print(
            f"news: {n} claims of {', '.join(NEWS_HALVES)} extracted and matched in "
            f"{time.perf_counter() - started:.1f} s"
        )

    n = len(texts)
    cuts = [round(n * k / args.folds) for k in range(args.folds + 1)]
    blocks = [list(range(cuts[k], cuts[k + 1])) for k in range(args.folds)]
    print(
        f"{n} sentences ({sum(labels)} check-worthy) of train+dev in {args.folds} blocks of "
        f"consecutive debates; C={args.c}, min_df={args.min_df}; dev-test not read"
    )
    run = {int(b) - 1 for b in args.blocks.split(",")} if args.blocks else set(range(args.folds))
    if args.no_cv:
        run = set()
    news_all = news_training_rows(NEWS_HALVES) if D.__dict__.get("news") else []
    results: dict[str, dict[str, list[float]]] = {v: {"AP": [], "F1": []} for v in chosen}
    for k, held in enumerate(blocks):
        if k not in run:
            continue
        rest = [j for b, block in enumerate(blocks) if b != k for j in block]
        train_blocks = [b for b in range(args.folds) if b != k]
        y = [labels[j] for j in held]
        line = [f"block {k + 1} (ids {ids[held[0]]}-{ids[held[-1]]}, {sum(y)}/{len(y)} pos)"]
        for name, spec in chosen.items():
            news_rows = news_all if spec.news_weight else []
            param, th, _spread = choose(spec, blocks, train_blocks, news_rows, args)
            p = probs(fit(spec, param, rest, news_rows, args).rows(held))
            ap = train._average_precision(y, p)
            f1 = train._f1_at(y, p, th)
            results[name]["AP"].append(ap)
            results[name]["F1"].append(f1)
            shown = f"C {param[0]:g}, share {param[1]:g}" if spec.chars else f"C {param:g}"
            line.append(f"{name}: AP {ap:.3f} F1 {f1:.3f} ({shown}, th {th:.2f})")
        print("  " + "; ".join(line), flush=True)
    if run:
        for variant, figures in results.items():
            print(f"{variant:>8}: AP {summary(figures['AP'])}; F1 {summary(figures['F1'])}")
        for name in results:
            if name == "shipped" or "shipped" not in results:
                continue
            for metric in ("AP", "F1"):
                diffs = [
                    a - b
                    for a, b in zip(results[name][metric], results["shipped"][metric], strict=True)
                ]
                better = sum(d > 0 for d in diffs)
                sd = statistics.stdev(diffs) if len(diffs) > 1 else 0.0
                t = statistics.fmean(diffs) / (sd / math.sqrt(len(diffs))) if sd else 0.0
                print(
                    f"{name} - shipped, {metric}: mean {statistics.fmean(diffs):+.4f} (sd "
                    f"{sd:.4f}, paired t {t:+.1f}; {' '.join(f'{d:+.3f}' for d in diffs)}), "
                    f"better in {better} of {len(diffs)} blocks"
                )
    if args.news:
        run_news(chosen, blocks, args)
    if args.adjust:
        run_adjuster(blocks, args)


if __name__ == "__main__":
    main()
