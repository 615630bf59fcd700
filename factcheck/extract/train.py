"""Train the check-worthiness model shipped as ``model.json`` (dev extra: scikit-learn, numpy).

Data: CheckThat! 2024 task 1 English (``train.jsonl``, ``dev.jsonl``, ``dev-test.jsonl``,
one ``{"text", "label"}`` object per line), built on the ClaimBuster dataset
(Arslan, Hassan, Li and Tremayne, ICWSM 2020; CC BY 4.0, Zenodo record 3836810).

The model is a class-balanced, L2-regularised logistic regression over
:func:`factcheck.extract.features.sentence_features`, restricted to features seen in at
least ``min_df`` training sentences (so no sentence can be memorised). The decision
threshold is chosen on ``dev.jsonl`` and folded into the bias so that the shipped
threshold is 0.5. Training is deterministic (fixed seed, deterministic solver).

Usage: ``factcheck train-model --data ../shared/eval/ct24 [--out factcheck/extract/model.json]``.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

from .features import sentence_features

__all__ = ["load_jsonl", "train_model", "SEED"]

SEED = 20240601


def load_jsonl(path: Path) -> tuple[list[str], list[int]]:
    """Read ``text`` and ``label`` from a JSON-lines file."""
    texts, labels = [], []
    with open(path, encoding="utf-8-sig") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                texts.append(str(row["text"]))
                labels.append(int(row["label"]))
    return texts, labels


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


def train_model(
    data_dir: str | Path,
    out: str | Path | None = None,
    min_df: int = 10,
    c: float = 0.1,
) -> dict:
    """Train on ``data_dir/train.jsonl``, pick the threshold on ``dev.jsonl``, write JSON to ``out``; return the report."""  # noqa: E501
    import numpy as np  # dev extra
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    data_dir = Path(data_dir)
    texts, labels = load_jsonl(data_dir / "train.jsonl")
    feats = [sentence_features(t) for t in texts]
    df = Counter(k for f in feats for k in f)
    keep = {k for k, n in df.items() if n >= min_df}
    vec = DictVectorizer(sort=True)
    x = vec.fit_transform([{k: v for k, v in f.items() if k in keep} for f in feats])
    y = np.asarray(labels)
    clf = LogisticRegression(
        C=c, class_weight="balanced", max_iter=5000, solver="lbfgs", random_state=SEED
    )
    clf.fit(x, y)
    names = vec.get_feature_names_out()
    coef = clf.coef_[0]
    weights = {
        str(n): round(float(w), 4) for n, w in zip(names, coef, strict=False) if abs(w) >= 0.002
    }  # noqa: E501
    bias = float(clf.intercept_[0])

    def probs_of(ts: list[str]) -> list[float]:
        out_p = []
        for t in ts:
            z = bias + sum(weights.get(f, 0.0) for f in sentence_features(t))
            out_p.append(1.0 / (1.0 + math.exp(-z)))
        return out_p

    report: dict = {"train_sentences": len(texts), "features": len(weights)}
    threshold = 0.5
    dev = data_dir / "dev.jsonl"
    if dev.exists():
        dt, dl = load_jsonl(dev)
        f1, threshold = _best_threshold(dl, probs_of(dt))
        report["dev_f1"] = round(f1, 4)
    report["dev_threshold"] = threshold
    # fold the threshold into the bias: p >= threshold  <=>  shifted p >= 0.5
    bias -= math.log(threshold / (1.0 - threshold))
    model = {
        "format": "factcheck-checkworthy-lr/1",
        "bias": round(bias, 6),
        "threshold": 0.5,
        "meta": {
            "data": "CheckThat! 2024 task 1 English (ClaimBuster, CC BY 4.0)",
            "min_df": min_df,
            "C": c,
            "seed": SEED,
            **report,
        },
        "weights": dict(sorted(weights.items())),
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
