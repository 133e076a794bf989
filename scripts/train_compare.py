"""Train the small logistic-regression model behind refcheck.compare.

Features come from ``refcheck.compare.analyse`` (coverage, numbers, negation,
direction, hedging ...); labels are collapsed to supported / contradicted /
not_supported.  Training data: the Citation-Integrity *train* split only
(claims_train.jsonl + corpus.jsonl), optionally plus the even-numbered topics
of HealthVer *dev* with ``--with-healthver-dev`` (the odd topics then remain a
clean dev check; HealthVer test is never read here).

numpy is needed here only; the written model is plain JSON that
refcheck.compare evaluates in pure Python.

    python scripts/train_compare.py [--with-healthver-dev] [--l2 1.0] [--out refcheck/compare_model.json]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_claims import CLASSES, citint_pairs, datasets_dir, healthver_pairs  # noqa: E402
from refcheck.compare import MODEL_CLASSES, MODEL_PATH, analyse  # noqa: E402

assert tuple(MODEL_CLASSES) == CLASSES


def feature_matrix(pairs) -> tuple[np.ndarray, np.ndarray, list[str]]:
    rows, labels, names = [], [], None
    for pair in pairs:
        if not pair.abstract:
            continue
        features = analyse(pair.claim, pair.abstract).features
        names = names or list(features)
        rows.append([features[n] for n in names])
        labels.append(CLASSES.index(pair.label))
    return np.array(rows, dtype=float), np.array(labels), names or []


def fit_softmax(x: np.ndarray, y: np.ndarray, l2: float, steps: int = 3000, rate: float = 0.5) -> np.ndarray:
    """Multinomial logistic regression by full-batch gradient descent.

    Classes are weighted inversely to their frequency because the goal is
    macro-F1, and the rare classes (contradicted, not supported) matter most.
    Returns a (features + 1, classes) weight matrix, bias in the last row.
    """
    n, k = len(y), len(CLASSES)
    xb = np.hstack([x, np.ones((n, 1))])
    onehot = np.eye(k)[y]
    counts = np.bincount(y, minlength=k).astype(float)
    sample_weight = (n / (k * np.maximum(counts, 1)))[y][:, None]
    weights = np.zeros((xb.shape[1], k))
    penalty = np.ones((xb.shape[1], 1))
    penalty[-1] = 0.0  # no shrinkage on the bias
    for _ in range(steps):
        logits = xb @ weights
        logits -= logits.max(axis=1, keepdims=True)
        probabilities = np.exp(logits)
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        gradient = xb.T @ ((probabilities - onehot) * sample_weight) / n + l2 * penalty * weights / n
        weights -= rate * gradient
    return weights


def _macro_f1(gold: np.ndarray, predicted: np.ndarray) -> float:
    scores = []
    for c in range(len(CLASSES)):
        tp = np.sum((predicted == c) & (gold == c))
        precision = tp / max(1, np.sum(predicted == c))
        recall = tp / max(1, np.sum(gold == c))
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return float(np.mean(scores))


def calibrate_supported_bias(x: np.ndarray, y: np.ndarray, weights: np.ndarray) -> float:
    """The shift of the supported logit that maximises training macro-F1.

    compare() reports the model's "contradicted" as not supported (only rules
    may contradict), so the shift is chosen under that same mapping.
    """
    logits = np.hstack([x, np.ones((len(y), 1))]) @ weights
    supported, contradicted, not_supported = (CLASSES.index(c) for c in ("supported", "contradicted", "not_supported"))
    best_shift, best_score = 0.0, -1.0
    for shift in np.arange(-2.0, 2.01, 0.1):
        shifted = logits.copy()
        shifted[:, supported] += shift
        predicted = shifted.argmax(axis=1)
        predicted[predicted == contradicted] = not_supported
        score = _macro_f1(y, predicted)
        if score > best_score + 1e-9:
            best_shift, best_score = float(shift), score
    print(f"supported bias shift {best_shift:+.1f} (training macro-F1 {best_score:.3f})")
    return best_shift


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--with-healthver-dev", action="store_true",
                        help="also train on the even topics of HealthVer dev")
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)

    base = datasets_dir()
    pairs = list(citint_pairs(base / "citint" / "claims_train.jsonl", base / "citint" / "corpus.jsonl"))
    sources = ["citint/claims_train.jsonl"]
    if args.with_healthver_dev:
        pairs += list(healthver_pairs(base / "healthver" / "healthver_dev.csv", topic_parity=0))
        sources.append("healthver/healthver_dev.csv (even topic ids)")
    x, y, names = feature_matrix(pairs)
    weights = fit_softmax(x, y, args.l2)
    weights[-1, CLASSES.index("supported")] += calibrate_supported_bias(x, y, weights)

    model = {
        "trained_on": sources,
        "n_examples": int(len(y)),
        "features": names,
        "weights": {
            label: {"bias": round(float(weights[-1, j]), 4),
                    **{name: round(float(weights[i, j]), 4) for i, name in enumerate(names)}}
            for j, label in enumerate(CLASSES)
        },
    }
    args.out.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    predicted = (np.hstack([x, np.ones((len(y), 1))]) @ weights).argmax(axis=1)
    print(f"wrote {args.out} ({len(y)} examples); training accuracy {np.mean(predicted == y):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
