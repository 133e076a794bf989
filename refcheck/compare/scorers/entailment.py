"""The entailment scorer: a sentence-pair NLI model run with onnxruntime and tokenizers.

``score(pairs)`` takes (evidence, claim) pairs and gives each its probabilities of entailment,
neutral and contradiction. The model loads on the first call (a run whose verdicts all come from
the verdict cache never loads it); pairs are scored in length-sorted batches so padding stays small.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Sequence

from ..nli_model import CONTRADICTION, ENTAILMENT, NEUTRAL, NliModelFiles, locate

BATCH_SIZE = 16
LABELS = (ENTAILMENT, NEUTRAL, CONTRADICTION)


class EntailmentScorer:
    """Scores with one NLI model; `spec` is None (refcheck's own model), a directory or a hub id."""

    name = "entailment"

    def __init__(self, spec: str | None = None, cache_dir: Path | None = None, offline: bool = False,
                 files: NliModelFiles | None = None):
        self._files = files or locate(spec, cache_dir, offline)
        self._session = None
        self._tokenizer = None
        self._input_names: tuple[str, ...] = ()
        self._lock = threading.Lock()

    @property
    def version(self) -> str:
        return self._files.version

    @property
    def thresholds(self) -> dict[str, float]:
        return self._files.thresholds

    def _load(self) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(self._files.directory / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=self._files.max_length, strategy="longest_first")
        pad_id = next((tokenizer.token_to_id(t) for t in ("[PAD]", "<pad>") if tokenizer.token_to_id(t) is not None), 0)
        tokenizer.enable_padding(pad_id=pad_id)
        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        session = onnxruntime.InferenceSession(str(self._files.onnx_path), options, providers=["CPUExecutionProvider"])
        self._input_names = tuple(i.name for i in session.get_inputs())
        self._tokenizer, self._session = tokenizer, session

    def score(self, pairs: Sequence[tuple[str, str]]) -> list[dict[str, float]]:
        """Probabilities per (evidence, claim) pair, in the order given."""
        if not pairs:
            return []
        import numpy

        with self._lock:
            if self._session is None:
                self._load()
            order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
            results: list[dict[str, float]] = [{}] * len(pairs)
            for start in range(0, len(order), BATCH_SIZE):
                batch = order[start:start + BATCH_SIZE]
                encodings = self._tokenizer.encode_batch([(pairs[i][0], pairs[i][1]) for i in batch])
                feeds = {
                    "input_ids": numpy.array([e.ids for e in encodings], dtype=numpy.int64),
                    "attention_mask": numpy.array([e.attention_mask for e in encodings], dtype=numpy.int64),
                    "token_type_ids": numpy.array([e.type_ids for e in encodings], dtype=numpy.int64),
                }
                logits = self._session.run(None, {name: feeds[name] for name in self._input_names if name in feeds})[0]
                logits = logits - logits.max(axis=1, keepdims=True)
                probabilities = numpy.exp(logits)
                probabilities /= probabilities.sum(axis=1, keepdims=True)
                for row, index in zip(probabilities.tolist(), batch):
                    results[index] = self._by_label(row)
            return results

    def _by_label(self, row: list[float]) -> dict[str, float]:
        scores = dict.fromkeys(LABELS, 0.0)
        for label, probability in zip(self._files.labels, row):
            if label:
                scores[label] += probability
        return scores
