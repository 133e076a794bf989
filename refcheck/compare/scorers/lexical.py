"""The lexical scorer: a small feature vector (coverage, TF-IDF cosine, BM25, figures, negation,
direction, hedging, length) scored by boosted decision stumps trained offline
(scripts/train_compare.py; the stumps are refcheck/compare/lexical_model.json). Pure Python at run
time; the model file is read once, on the first score.

It reads (claim context, clashes) pairs, not text: see refcheck.compare.scorers.
"""
from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

from ..context import ClaimContext
from ..findings import NEGATION, directions_in, opposed
from ..rules.clash import Clash
from ..statements import HEDGE, OVERCLAIM, is_question


MODEL_PATH = Path(__file__).parents[1] / "lexical_model.json"
# The model's classes, in the order its stumps were trained with.
MODEL_CLASSES = ("supported", "contradicted", "not_supported")


def features(context: ClaimContext, clashes: Sequence[Clash]) -> dict[str, float]:
    """The feature vector of a claim read beside its abstract, each feature scaled to [0, 1]."""
    claim, abstract, numbers = context.claim, context.abstract, context.numbers
    stems = context.stems
    claim_directions = directions_in(claim)
    evidence_directions = [d for s in context.evidence for d in directions_in(s)]
    bigrams = set(zip(stems, stems[1:]))
    cosines, abstract_cosine = abstract.tfidf.cosines(stems)
    bm25 = context.bm25
    n_claim_numbers = len(context.quantities)
    return {
        "coverage_best": context.coverage_best,
        "coverage_evidence": context.coverage_evidence,
        "coverage_abstract": context.coverage_abstract,
        "bigram_coverage": len(bigrams & abstract.bigrams) / max(1, len(bigrams)),
        "missing_words": min(len(context.missing_words), 10) / 10,
        "claim_length": min(len(set(stems)), 40) / 40,
        "claim_numbers": min(n_claim_numbers, 5) / 5,
        "numbers_given": len(numbers.given) / n_claim_numbers if n_claim_numbers else 0.0,
        "numbers_missing": len(numbers.missing) / n_claim_numbers if n_claim_numbers else 0.0,
        "number_clash": float(bool(numbers.clashes)),
        "rule_clash": float(len(clashes) > len(numbers.clashes)),
        "claim_negated": float(context.negated),
        "evidence_negated": float(context.evidence_negated),
        "negation_mismatch": float(context.negation_mismatch),
        "claim_direction": float(bool(claim_directions)),
        "direction_opposed": float(any(
            opposed(c, e) and c.target & e.target for c in claim_directions for e in evidence_directions
        )),
        "direction_agrees": float(any(
            c.axis == e.axis and c.sign == e.sign and c.target & e.target
            for c in claim_directions for e in evidence_directions
        )),
        "evidence_null": float(any(d.axis == "null" for d in evidence_directions)),
        "claim_hedged": float(bool(HEDGE.search(claim))),
        "abstract_hedged": float(abstract.hedged),
        "claim_overclaims": float(bool(OVERCLAIM.search(claim))),
        # How much text the claim is checked against: a whole abstract (where
        # most claims find some support) or a short evidence passage.
        "abstract_sentences": min(len(abstract.sentences), 20) / 20,
        "bm25_best": min(max(bm25, default=0.0), 30.0) / 30,
        "bm25_mean": min(sum(bm25) / len(bm25), 10.0) / 10 if bm25 else 0.0,
        "tfidf_cosine_best": max(cosines, default=0.0),
        "tfidf_cosine_abstract": abstract_cosine,
        "claim_negations": min(len(NEGATION.findall(claim)), 3) / 3,
        "evidence_negations": min(sum(len(NEGATION.findall(s)) for s in context.evidence), 5) / 5,
        "evidence_hedged": float(any(HEDGE.search(s) for s in context.evidence)),
        "abstract_null": float(abstract.reports_null),
        "abstract_numbers": min(len(abstract.quantities), 20) / 20,
        "claim_question": float(is_question(claim)),
    }


def class_probabilities(features: dict[str, float], model: dict | None) -> dict[str, float]:
    """Softmax of the boosted-stumps model; a hand-set prior without one."""
    if model is None:
        logits = {
            "supported": 4.0 * features["coverage_evidence"] - 2.0 * features["numbers_missing"] - 1.5,
            "contradicted": -2.0,
            "not_supported": 0.0,
        }
    else:
        logits = dict.fromkeys(model["classes"], 0.0)
        for label, feature, threshold, below, above in model["stumps"]:
            logits[label] += below if features[feature] <= threshold else above
    top = max(logits.values())
    exps = {label: math.exp(value - top) for label, value in logits.items()}
    total = sum(exps.values())
    return {label: value / total for label, value in exps.items()}


class LexicalScorer:
    name = "lexical"

    def __init__(self, model_path: Path = MODEL_PATH) -> None:
        self.model_path = model_path

    @cached_property
    def _model_file(self) -> bytes | None:
        try:
            return self.model_path.read_bytes()
        except OSError:
            return None

    @cached_property
    def model(self) -> dict | None:
        """The stumps, or None when the file is missing or unreadable (the prior then decides)."""
        if self._model_file is None:
            return None
        try:
            return json.loads(self._model_file)
        except ValueError:
            return None

    @property
    def version(self) -> str:
        """The model file's digest, or "prior" without one."""
        return hashlib.sha256(self._model_file).hexdigest()[:12] if self.model is not None else "prior"

    def score(self, pairs: Sequence[tuple[ClaimContext, Sequence[Clash]]]) -> list[dict[str, float]]:
        return [class_probabilities(features(context, clashes), self.model) for context, clashes in pairs]
