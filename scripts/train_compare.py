"""Train the small boosted-stumps model behind refcheck.compare.

Features come from ``refcheck.compare.scorers.lexical.features`` (coverage, numbers, negation,
direction, hedging ...); labels are collapsed to supported / contradicted /
not_supported.  Training data: the Citation-Integrity *train* split only
(claims_train.jsonl + corpus.jsonl), optionally plus the even-numbered topics
of HealthVer *dev* with ``--with-healthver-dev`` (the odd topics then remain a
clean dev check; HealthVer test is never read here).

numpy is needed here only; the written model is plain JSON that
refcheck.compare evaluates in pure Python.

    python scripts/train_compare.py [--with-healthver-dev] [--rounds 200] [--out refcheck/compare/lexical_model.json]
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
from refcheck.compare import rules  # noqa: E402
from refcheck.compare.abstract import analyse_abstract  # noqa: E402
from refcheck.compare.context import claim_context  # noqa: E402
from refcheck.compare.scorers.lexical import MODEL_CLASSES, MODEL_PATH, features  # noqa: E402

assert MODEL_CLASSES == CLASSES


def feature_matrix(pairs) -> tuple[np.ndarray, np.ndarray, list[str]]:
    rows, labels, names = [], [], None
    for pair in pairs:
        if not pair.abstract:
            continue
        context = claim_context(pair.claim, analyse_abstract(pair.abstract))
        row = features(context, rules.clashes(context))
        names = names or list(row)
        rows.append([row[n] for n in names])
        labels.append(CLASSES.index(pair.label))
    return np.array(rows, dtype=float), np.array(labels), names or []


def _best_stump(x: np.ndarray, gradient: np.ndarray, hessian: np.ndarray,
                cuts: list[np.ndarray], l2: float, min_leaf: int) -> tuple[int, float, float, float] | None:
    """(feature, threshold, left value, right value) of the split that most
    reduces the second-order loss, or None if no split leaves min_leaf a side."""
    g_total, h_total = gradient.sum(), hessian.sum()
    best, best_gain = None, 1e-9
    for j, thresholds in enumerate(cuts):
        order = np.argsort(x[:, j], kind="stable")
        xs, g_cum, h_cum = x[order, j], np.cumsum(gradient[order]), np.cumsum(hessian[order])
        n_left = np.searchsorted(xs, thresholds, side="right")
        for threshold, n in zip(thresholds, n_left):
            if n < min_leaf or len(xs) - n < min_leaf:
                continue
            g_left, h_left = g_cum[n - 1], h_cum[n - 1]
            g_right, h_right = g_total - g_left, h_total - h_left
            gain = g_left ** 2 / (h_left + l2) + g_right ** 2 / (h_right + l2) - g_total ** 2 / (h_total + l2)
            if gain > best_gain:
                best_gain = gain
                best = (j, float(threshold), float(-g_left / (h_left + l2)), float(-g_right / (h_right + l2)))
    return best


def fit_boosted_stumps(x: np.ndarray, y: np.ndarray, sample_weight: np.ndarray, rounds: int = 200,
                       learning_rate: float = 0.1, l2: float = 1.0, min_leaf: int = 20) -> list[tuple]:
    """Multi-class gradient boosting of one-split trees (softmax loss).

    Stumps keep the model additive, one feature at a time, so each feature's
    contribution can still be read off, yet thresholds capture the non-linear
    effects (coverage matters only above some level) a linear model misses.
    Returns (class, feature, threshold, value if <= threshold, value if >),
    values already scaled by the learning rate.
    """
    n, k = len(y), len(CLASSES)
    onehot = np.eye(k)[y]
    cuts = [np.unique(np.quantile(x[:, j], np.linspace(0, 1, 33)[1:-1])) for j in range(x.shape[1])]
    logits = np.zeros((n, k))
    stumps = []
    for _ in range(rounds):
        probabilities = np.exp(logits - logits.max(axis=1, keepdims=True))
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        for c in range(k):
            gradient = (probabilities[:, c] - onehot[:, c]) * sample_weight
            hessian = np.maximum(probabilities[:, c] * (1 - probabilities[:, c]), 1e-6) * sample_weight
            stump = _best_stump(x, gradient, hessian, cuts, l2, min_leaf)
            if stump is None:
                continue
            j, threshold, left, right = stump
            logits[:, c] += learning_rate * np.where(x[:, j] <= threshold, left, right)
            stumps.append((c, j, threshold, learning_rate * left, learning_rate * right))
    return stumps


def merge_stumps(stumps: list[tuple]) -> list[tuple]:
    """Sum stumps that split the same class on the same feature at the same threshold."""
    merged: dict[tuple[int, int, float], list[float]] = {}
    for c, j, threshold, left, right in stumps:
        values = merged.setdefault((c, j, threshold), [0.0, 0.0])
        values[0] += left
        values[1] += right
    return [(c, j, t, left, right) for (c, j, t), (left, right) in sorted(merged.items())]


def balanced_weights(y: np.ndarray, source: np.ndarray) -> np.ndarray:
    """Weights giving every (source, class) cell the same total.

    Balancing classes serves macro-F1; balancing sources stops the larger
    Citation-Integrity split from setting HealthVer's priors too.
    """
    weights = np.zeros(len(y))
    cells = [(s, c) for s in np.unique(source) for c in range(len(CLASSES)) if np.any((source == s) & (y == c))]
    for s, c in cells:
        in_cell = (source == s) & (y == c)
        weights[in_cell] = len(y) / (len(cells) * in_cell.sum())
    return weights


def predict(x: np.ndarray, stumps: list[tuple]) -> np.ndarray:
    logits = np.zeros((len(x), len(CLASSES)))
    for c, j, threshold, left, right in stumps:
        logits[:, c] += np.where(x[:, j] <= threshold, left, right)
    return logits


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--with-healthver-dev", action="store_true",
                        help="also train on the even topics of HealthVer dev")
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)

    base = datasets_dir()
    citint = list(citint_pairs(base / "citint" / "claims_train.jsonl", base / "citint" / "corpus.jsonl"))
    healthver = list(healthver_pairs(base / "healthver" / "healthver_dev.csv", topic_parity=0)) \
        if args.with_healthver_dev else []
    sources = ["citint/claims_train.jsonl"] + (["healthver/healthver_dev.csv (even topic ids)"] if healthver else [])
    x_citint, y_citint, names = feature_matrix(citint)
    x_healthver, y_healthver, _ = feature_matrix(healthver)
    x = np.vstack([x_citint, x_healthver.reshape(-1, x_citint.shape[1])])
    y = np.concatenate([y_citint, y_healthver]).astype(int)
    source = np.concatenate([np.zeros(len(y_citint)), np.ones(len(y_healthver))])
    stumps = merge_stumps(fit_boosted_stumps(x, y, balanced_weights(y, source), rounds=args.rounds))

    model = {
        "kind": "boosted_stumps",
        "trained_on": sources,
        "n_examples": int(len(y)),
        "classes": list(CLASSES),
        "features": names,
        # [class, feature, threshold, added if feature <= threshold, added if >]
        "stumps": [[CLASSES[c], names[j], t, round(left, 5), round(right, 5)]
                   for c, j, t, left, right in stumps],
    }
    args.out.write_text(json.dumps(model, indent=0) + "\n", encoding="utf-8")
    predicted = predict(x, stumps).argmax(axis=1)
    print(f"wrote {args.out} ({len(y)} examples, {len(stumps)} stumps); training accuracy {np.mean(predicted == y):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
