"""Evaluate the shipped check-worthiness model on CheckThat! 2024 dev-test (and dev).

Prints precision, recall and F1 of the positive class at the model's default threshold,
and average precision, each with a bootstrap 95% interval (2,000 resamples, fixed seed).
For comparison it also prints what tuning the threshold on the set itself would give: the
best F1 over thresholds (optimistic: chosen and measured on the same sentences) and an
honest estimate of it, 2-fold cross-validation repeated 200 times (choose the threshold on
one half, measure on the other).

Usage: python bench/eval_checkworthy.py [DATA_DIR]   (default: ../shared/eval/ct24)
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from factcheck.extract.model import load_model, score_sentences  # noqa: E402

RESAMPLES = 2000
SEED = 7
CV_REPEATS = 200


def average_precision(labels: list[int], scores: list[float]) -> float:
    """Average precision (area under the precision-recall curve, step-wise, ties grouped)."""
    pos = sum(labels)
    if not pos:
        return 0.0
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    ap = tp = seen = 0
    i = 0
    while i < len(order):
        j = i
        while j < len(order) and scores[order[j]] == scores[order[i]]:
            j += 1
        group_tp = sum(labels[k] for k in order[i:j])
        tp += group_tp
        seen += j - i
        ap += group_tp / pos * (tp / seen)
        i = j
    return ap


def prf(labels: list[int], preds: list[int]) -> tuple[float, float, float]:
    """Precision, recall and F1 of the positive class."""
    tp = sum(1 for y, p in zip(labels, preds, strict=False) if y and p)
    fp = sum(1 for y, p in zip(labels, preds, strict=False) if not y and p)
    fn = sum(1 for y, p in zip(labels, preds, strict=False) if y and not p)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def best_threshold(labels: list[int], scores: list[float]) -> tuple[float, float]:
    """The threshold (one of the scores) with the best F1, and that F1."""
    best = (0.0, 0.5)
    for th in sorted(set(scores)):
        f = prf(labels, [int(s >= th) for s in scores])[2]
        if f > best[0]:
            best = (f, th)
    return best[1], best[0]


def tuned_f1_cv(labels: list[int], scores: list[float], rng: random.Random) -> list[float]:
    """F1 when the threshold is chosen on one random half and applied to the other (both
    ways, pooled), once per repeat."""
    n = len(labels)
    out = []
    for _ in range(CV_REPEATS):
        idx = list(range(n))
        rng.shuffle(idx)
        halves = (idx[: n // 2], idx[n // 2 :])
        preds = [0] * n
        for fit, apply in (halves, halves[::-1]):
            th, _ = best_threshold([labels[i] for i in fit], [scores[i] for i in fit])
            for i in apply:
                preds[i] = int(scores[i] >= th)
        out.append(prf(labels, preds)[2])
    return out


def evaluate(path: Path, threshold: float) -> None:
    rows = [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    labels = [int(r["label"]) for r in rows]
    scores = score_sentences([r["text"] for r in rows])
    preds = [int(s >= threshold) for s in scores]
    p, r, f = prf(labels, preds)
    ap = average_precision(labels, scores)
    rng = random.Random(SEED)
    n = len(rows)
    boot: dict[str, list[float]] = {"P": [], "R": [], "F1": [], "AP": []}
    for _ in range(RESAMPLES):
        idx = [rng.randrange(n) for _ in range(n)]
        yl = [labels[i] for i in idx]
        bp, br, bf = prf(yl, [preds[i] for i in idx])
        boot["P"].append(bp)
        boot["R"].append(br)
        boot["F1"].append(bf)
        boot["AP"].append(average_precision(yl, [scores[i] for i in idx]))

    def ci(name: str) -> str:
        v = sorted(boot[name])
        return f"[{v[int(0.025 * len(v))]:.3f}, {v[int(0.975 * len(v)) - 1]:.3f}]"

    print(f"{path.name}: {n} sentences, {sum(labels)} positive, threshold {threshold:.2f}")
    for name, val in (("precision", p), ("recall", r), ("F1", f), ("AP", ap)):
        key = {"precision": "P", "recall": "R"}.get(name, name)
        print(f"  {name:<9} {val:.3f}  95% CI {ci(key)}")
    th, best = best_threshold(labels, scores)
    cv = tuned_f1_cv(labels, scores, random.Random(SEED))
    mean = sum(cv) / len(cv)
    sd = (sum((x - mean) ** 2 for x in cv) / len(cv)) ** 0.5
    print(
        f"  threshold tuned on this set: best F1 {best:.3f} at {th:.2f} (optimistic); "
        f"2-fold CV x{CV_REPEATS}: F1 {mean:.3f} (sd {sd:.3f})"
    )


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "eval" / "ct24"
    model = load_model()
    print(f"model: {len(model.weights)} weights, meta {json.dumps(model.meta)}")
    for name in ("dev-test.jsonl", "dev.jsonl"):
        path = data / name
        if path.exists():
            evaluate(path, model.threshold)
        else:
            print(f"{path}: not found, skipped")


if __name__ == "__main__":
    main()
