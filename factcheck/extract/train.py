"""Train the check-worthiness model shipped as ``model.json`` (dev extra: scikit-learn, numpy).

Data: CheckThat! 2024 task 1 English (``train.jsonl``, ``dev.jsonl``, ``dev-test.jsonl``,
one ``{"text", "label", "sentence_id"}`` object per line), built on the ClaimBuster dataset
(Arslan, Hassan, Li and Tremayne, ICWSM 2020; CC BY 4.0, Zenodo record 3836810).

The model is a class-balanced, L2-regularised logistic regression over
:func:`factcheck.extract.features.sentence_features`, restricted to features seen in at
least ``min_df`` training sentences (so no sentence can be memorised).

The decision threshold is chosen without ``dev-test.jsonl``. The debates the tool meets
are newer than its training data, so besides ``dev.jsonl`` (drawn from the same debates
as ``train.jsonl``) we hold out the newest training debates (``sentence_id >=
HOLDOUT_FROM``, about 9% of the sentences): a model fitted on the older ones scores them,
the final model (fitted on all of ``train.jsonl``) scores ``dev.jsonl``, and the
threshold maximising F1 on the two pooled is folded into the bias so that the shipped
threshold is 0.5. ``dev-test.jsonl`` is left for ``bench/eval_checkworthy.py``.
Training is deterministic (fixed seed, deterministic solver, sorted features).

Usage: ``factcheck train-model --data ../shared/eval/ct24 [--out factcheck/extract/model.json]``.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

from .features import sentence_features

__all__ = ["load_jsonl", "train_model", "SEED", "HOLDOUT_FROM"]

SEED = 20240601
HOLDOUT_FROM = 30000  # sentence ids of the newest training debates (temporal validation)
MIN_WEIGHT = 0.03  # smaller weights are dropped from the shipped file (AP unchanged)


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
        tp = sum(1 for y, p in zip(labels, probs, strict=False) if y and p >= th)
        fp = sum(1 for y, p in zip(labels, probs, strict=False) if not y and p >= th)
        fn = sum(1 for y, p in zip(labels, probs, strict=False) if y and p < th)
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best[0] + 1e-12:
            best = (f1, th)
    return best


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


def _fit(feats: list[dict[str, float]], labels: list[int], min_df: int, c: float):
    """Fit the logistic regression; return ``(weights, bias)`` rounded as shipped."""
    import numpy as np  # dev extra
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    df = Counter(k for f in feats for k in f)
    keep = {k for k, n in df.items() if n >= min_df}
    vec = DictVectorizer(sort=True)
    x = vec.fit_transform([{k: v for k, v in f.items() if k in keep} for f in feats])
    clf = LogisticRegression(
        C=c, class_weight="balanced", max_iter=5000, solver="lbfgs", random_state=SEED
    )
    clf.fit(x, np.asarray(labels))
    weights = {
        str(n): round(float(w), 3)
        for n, w in zip(vec.get_feature_names_out(), clf.coef_[0], strict=False)
        if abs(w) >= MIN_WEIGHT
    }
    return weights, float(clf.intercept_[0])


def _probs(weights: dict[str, float], bias: float, feats: list[dict[str, float]]) -> list[float]:
    out = []
    for f in feats:
        z = bias + sum(weights.get(k, 0.0) for k in f)
        out.append(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))))
    return out


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
    feats = [sentence_features(t) for t in texts]
    weights, bias = _fit(feats, labels, min_df, c)
    report: dict = {"train_sentences": len(texts), "features": len(weights)}

    pool_y: list[int] = []
    pool_p: list[float] = []
    old = [i < HOLDOUT_FROM for i in ids]
    if 0 < sum(old) < len(old):
        w_old, b_old = _fit(
            [f for f, o in zip(feats, old, strict=False) if o],
            [y for y, o in zip(labels, old, strict=False) if o],
            min_df,
            c,
        )
        hy = [y for y, o in zip(labels, old, strict=False) if not o]
        hp = _probs(w_old, b_old, [f for f, o in zip(feats, old, strict=False) if not o])
        report["holdout_sentences"] = len(hy)
        report["holdout_ap"] = round(_average_precision(hy, hp), 4)
        pool_y += hy
        pool_p += hp
    dev = data_dir / "dev.jsonl"
    if dev.exists():
        dt, dl = load_jsonl(dev)
        dp = _probs(weights, bias, [sentence_features(t) for t in dt])
        report["dev_ap"] = round(_average_precision(dl, dp), 4)
        report["dev_f1_at_0.5"] = round(_f1_at(dl, dp, 0.5), 4)
        pool_y += dl
        pool_p += dp
    threshold = 0.5
    if pool_y:
        f1, threshold = _best_threshold(pool_y, pool_p)
        report["pooled_f1"] = round(f1, 4)
    report["threshold"] = threshold
    # fold the threshold into the bias: p >= threshold  <=>  shifted p >= 0.5
    bias -= math.log(threshold / (1.0 - threshold))
    model = {
        "format": "factcheck-checkworthy-lr/2",
        "bias": round(bias, 6),
        "threshold": 0.5,
        "meta": {
            "data": "CheckThat! 2024 task 1 English (ClaimBuster, CC BY 4.0)",
            "min_df": min_df,
            "C": c,
            "seed": SEED,
            "holdout_from_sentence_id": HOLDOUT_FROM,
            "sklearn": sklearn.__version__,
            **report,
        },
        "weights": dict(sorted(weights.items())),
    }
    if out is not None:
        Path(out).write_text(
            json.dumps(model, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
        )
    return model


def _f1_at(labels: list[int], probs: list[float], th: float) -> float:
    tp = sum(1 for y, p in zip(labels, probs, strict=False) if y and p >= th)
    fp = sum(1 for y, p in zip(labels, probs, strict=False) if not y and p >= th)
    fn = sum(1 for y, p in zip(labels, probs, strict=False) if y and p < th)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


if __name__ == "__main__":  # pragma: no cover
    import sys

    m = train_model(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
    print(json.dumps(m["meta"], indent=1))
