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
  training block, never on the held-out one).

``dev-test.jsonl`` is never read: it is newer data kept for ``bench/eval_checkworthy.py``.
The word vectors are unsupervised (no label is read for them) and computed once over
``train.jsonl`` and ``dev.jsonl``, as ``factcheck train-model`` does, then cached in
``--cache-dir``; a held-out block's text is among what they were averaged over, its labels
never. Needs the ``train`` extra.

Usage: python bench/cv_checkworthy.py [--data ../shared/eval/ct24] [--folds 6] [--cache-dir DIR]
"""

from __future__ import annotations

import argparse
import hashlib
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


def fit_score(variant, c, rows_fit, rows_score, feats, dense, labels, words, vocab, vecs, args):
    """Fit on ``rows_fit`` with regularisation ``c``; probabilities of ``rows_score``."""
    fx = [feats[variant][j] for j in rows_fit]
    w, ww, b = train._fit(
        fx, dense[rows_fit], [labels[j] for j in rows_fit], args.min_df, c, vocab, vecs
    )
    return train._probs(
        w, ww, b, [feats[variant][j] for j in rows_score], [words[j] for j in rows_score]
    )


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
    args = parser.parse_args()

    texts, labels, ids = load(args.data)
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
    variants = {"shipped": ("shipped", [args.c]), "news": ("news", [args.c])}
    if grid:
        variants["news+C"] = ("news", grid)
    results: dict[str, dict[str, list[float]]] = {v: {"AP": [], "F1": []} for v in variants}
    for k, held in enumerate(blocks):
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
            line.append(f"{name}: AP {ap:.3f} F1 {f1:.3f} (C {c:g}, th {th:.2f})")
        print("  " + "; ".join(line), flush=True)
    for variant, figures in results.items():
        print(f"{variant:>8}: AP {summary(figures['AP'])}; F1 {summary(figures['F1'])}")
    for name in results:
        if name == "shipped":
            continue
        for metric in ("AP", "F1"):
            diffs = [
                a - b
                for a, b in zip(results[name][metric], results["shipped"][metric], strict=True)
            ]
            better = sum(d > 0 for d in diffs)
            print(
                f"{name} - shipped, {metric}: mean {statistics.fmean(diffs):+.3f}, "
                f"better in {better} of {len(diffs)} blocks"
            )


if __name__ == "__main__":
    main()
