"""Cross-validation of the check-worthiness model over blocks of debates, by era.

The debates of ``train.jsonl`` and ``dev.jsonl`` (ClaimBuster: US presidential debates
1960-2016) are put in the order they were held (sentence ids run in that order) and cut into
``--folds`` blocks of consecutive sentence ids, each a span of years. Each block in turn is
held out: the model is fitted on the other blocks (the same logistic regression as
``factcheck train-model``), its decision threshold is chosen on the newest of those blocks
(fitted on the rest, the shipped protocol), and it is scored on the held-out block: average
precision (threshold-free) and F1 at that threshold. The figures are printed per block, then
as mean, standard deviation and range, for each feature set compared:

* ``shipped``: the features of the model as shipped before the news signals;
* ``news``: with candidate news-domain signals (:func:`news_signals`, defined here: they
  reach the shipped model only if they win here), at the shipped C;
* ``news+C``: the same, with C chosen among ``--select-c`` inside each fold (on the newest
  training block, never on the held-out one);
* ``chars`` (candidate, 2026-12-07): the shipped model blended with a character n-gram model
  (:func:`char_fit`, defined here with its pure-Python inference :func:`char_logit`; logit
  ``(1 - share) * shipped + share * characters``), the character model's C and share chosen
  among ``CHAR_C_GRID`` and ``CHAR_SHARE_GRID`` inside each fold (on the newest training
  block). It reaches the shipped model only if it wins here (README gives the last figures).

``dev-test.jsonl`` is never read: it is newer data kept for ``bench/eval_checkworthy.py``.
The word vectors are unsupervised (no label is read for them) and computed once over
``train.jsonl`` and ``dev.jsonl``, as ``factcheck train-model`` does, then cached in
``--cache-dir``; a held-out block's text is among what they were averaged over, its labels
never. Needs the ``train`` extra.

Usage: python bench/cv_checkworthy.py [--data ../shared/eval/ct24] [--folds 6] [--cache-dir DIR]
[--variants shipped,news,news+C,chars] [--blocks 1,2,3]
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
from factcheck.extract.features import sentence_features_words  # noqa: E402

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


def fit_score(variant, c, rows_fit, rows_score, feats, dense, labels, words, vocab, vecs, args):
    """Fit on ``rows_fit`` with regularisation ``c``; probabilities of ``rows_score``."""
    return [
        1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
        for z in fit_logits(
            variant, c, rows_fit, rows_score, feats, dense, labels, words, vocab, vecs, args
        )
    ]


def fit_logits(variant, c, rows_fit, rows_score, feats, dense, labels, words, vocab, vecs, args):
    """Fit on ``rows_fit``; logits of ``rows_score``. ``chars`` blends the word model (at
    ``args.c``) with the character model: ``c`` is ``(C, share)``, the logit
    ``(1 - share) * words + share * characters``."""
    feature_set = "shipped" if variant == "chars" else variant
    fx = [feats[feature_set][j] for j in rows_fit]
    y = [labels[j] for j in rows_fit]
    cw = args.c if variant == "chars" else c
    rows = (rows_fit[0], rows_fit[-1], len(rows_fit), rows_score[0], len(rows_score))
    if (feature_set, rows, cw) not in _WORD_LOGITS:  # the blend's word model: one fit
        w, ww, b = train._fit(fx, dense[rows_fit], y, args.min_df, cw, vocab, vecs)
        _WORD_LOGITS.clear()
        _WORD_LOGITS[feature_set, rows, cw] = train._logits(
            w, ww, b, [feats[feature_set][j] for j in rows_score], [words[j] for j in rows_score]
        )
    z = _WORD_LOGITS[feature_set, rows, cw]
    if variant != "chars":
        return z
    cc, share = c
    key = (rows, cc)
    if key not in _CHAR_LOGITS:  # one fit per C serves every share
        table, cb = char_fit([TEXTS[j] for j in rows_fit], y, cc)
        _CHAR_LOGITS.clear()
        _CHAR_LOGITS[key] = [cb + char_logit(table, TEXTS[j]) for j in rows_score]
    return [(1 - share) * a + share * b for a, b in zip(z, _CHAR_LOGITS[key], strict=True)]


_WORD_LOGITS: dict = {}
_CHAR_LOGITS: dict = {}


TEXTS: list[str] = []


def summary(values: list[float]) -> str:
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.fmean(values):.3f} (sd {sd:.3f}, {min(values):.3f}-{max(values):.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "eval" / "ct24")
    parser.add_argument("--folds", type=int, default=6)
    parser.add_argument("--min-df", type=int, default=5)
    parser.add_argument("--c", type=float, default=0.1)
    parser.add_argument(
        "--select-c",
        default="0.03,0.1,0.3",
        help="a third variant, news+C, chooses C among these inside each fold ('' for none)",
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
    args = parser.parse_args()

    texts, labels, ids = load(args.data)
    TEXTS[:] = texts
    parsed = [sentence_features_words(t) for t in texts]
    words = [p[1] for p in parsed]
    feats = {
        "shipped": [p[0] for p in parsed],
        "news": [news_signals(t, p[0]) for t, p in zip(texts, parsed, strict=True)],
    }
    vocab, vecs = vectors(texts, words, args.data, args.cache_dir)
    index = {w: i for i, w in enumerate(vocab)}
    dense = train._mean_vectors(words, index, vecs)

    common = (feats, dense, labels, words, vocab, vecs, args)
    n = len(texts)
    cuts = [round(n * k / args.folds) for k in range(args.folds + 1)]
    blocks = [list(range(cuts[k], cuts[k + 1])) for k in range(args.folds)]
    print(
        f"{n} sentences ({sum(labels)} check-worthy) of train+dev in {args.folds} blocks of "
        f"consecutive debates; C={args.c}, min_df={args.min_df}; dev-test not read"
    )
    grid = [float(c) for c in args.select_c.split(",")] if args.select_c else []
    variants = {
        "shipped": ("shipped", [args.c]),
        "news": ("news", [args.c]),
        "news+C": ("news", grid or [args.c]),
        "chars": (
            "chars",
            [(c, a) for c in CHAR_C_GRID for a in CHAR_SHARE_GRID],
        ),
    }
    wanted = args.variants.split(",")
    variants = {k: v for k, v in variants.items() if k in wanted}
    run = {int(b) - 1 for b in args.blocks.split(",")} if args.blocks else set(range(args.folds))
    results: dict[str, dict[str, list[float]]] = {v: {"AP": [], "F1": []} for v in variants}
    for k, held in enumerate(blocks):
        if k not in run:
            continue
        rest = [j for b, block in enumerate(blocks) if b != k for j in block]
        newest = max(b for b in range(args.folds) if b != k)
        inner_fit = [j for b, block in enumerate(blocks) if b not in (k, newest) for j in block]
        inner_y = [labels[j] for j in blocks[newest]]
        y = [labels[j] for j in held]
        line = [f"block {k + 1} (ids {ids[held[0]]}-{ids[held[-1]]}, {sum(y)}/{len(y)} pos)"]
        for name, (feature_set, cs) in variants.items():
            # C and threshold chosen on the newest training block (fitted on the others)
            best = None
            for c in cs:
                inner = fit_score(feature_set, c, inner_fit, blocks[newest], *common)
                inner_ap = train._average_precision(inner_y, inner)
                if best is None or inner_ap > best[0]:
                    best = (inner_ap, c, inner)
            _ap, c, inner = best
            _f1, th = train._best_threshold(inner_y, inner)
            probs = fit_score(feature_set, c, rest, held, *common)
            ap = train._average_precision(y, probs)
            f1 = train._f1_at(y, probs, th)
            results[name]["AP"].append(ap)
            results[name]["F1"].append(f1)
            chosen = f"C {c[0]:g}, share {c[1]:g}" if isinstance(c, tuple) else f"C {c:g}"
            line.append(f"{name}: AP {ap:.3f} F1 {f1:.3f} ({chosen}, th {th:.2f})")
        print("  " + "; ".join(line), flush=True)
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
            print(
                f"{name} - shipped, {metric}: mean {statistics.fmean(diffs):+.3f} (sd {sd:.3f}; "
                f"{' '.join(f'{d:+.3f}' for d in diffs)}), better in {better} of {len(diffs)} "
                "blocks"
            )


if __name__ == "__main__":
    main()
