"""The entailment scorer: a sentence-pair NLI model run with onnxruntime and tokenizers.

``score(pairs)`` takes (evidence, claim) pairs and gives each its probabilities of entailment,
neutral and contradiction. The model loads on the first call (a run whose verdicts all come from
the verdict cache never loads it). Each pair is run alone: an int8 model quantises its activations
with a scale taken from the whole batch, so in a batch a pair's probabilities moved by up to 0.2
with the pairs beside it (measured), and one claim got another verdict in a document than alone.
On 2 CPU cores batches of 16 were no faster (93 against 88 ms a pair, measured under load).
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Sequence

from ..nli_model import CONTRADICTION, ENTAILMENT, NEUTRAL, NliModelFiles, locate

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
        tokenizer.no_padding()
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
            results = []
            for evidence, claim in pairs:
                encoding = self._tokenizer.encode(evidence, claim)
                feeds = {
                    "input_ids": numpy.array([encoding.ids], dtype=numpy.int64),
                    "attention_mask": numpy.array([encoding.attention_mask], dtype=numpy.int64),
                    "token_type_ids": numpy.array([encoding.type_ids], dtype=numpy.int64),
                }
                logits = self._session.run(None, {name: feeds[name] for name in self._input_names if name in feeds})[0][0]
                probabilities = numpy.exp(logits - logits.max())
                results.append(self._by_label((probabilities / probabilities.sum()).tolist()))
            return results

    def _by_label(self, row: list[float]) -> dict[str, float]:
        scores = dict.fromkeys(LABELS, 0.0)
        for label, probability in zip(self._files.labels, row):
            if label:
                scores[label] += probability
        return scores
