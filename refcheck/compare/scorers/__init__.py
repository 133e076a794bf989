"""Scorers: models that read a claim beside its evidence and give a probability for each class of
their own (the lexical model's supported / contradicted / not_supported, an NLI model's labels), a
batch at a time.

A scorer is generic in what it reads. A text scorer (an entailment model, say) reads
(premise, hypothesis) pairs of plain text: an evidence sentence or the abstract, and the claim. The
lexical scorer reads what the rules already worked out: its features are the claim's coverage by the
retrieved evidence, the figures found and missing, the directions and negations on both sides and
the rules' own clashes, so its pairs are (claim context, clashes). Giving it text would only make it
read the abstract and the claim a second time; giving a text scorer contexts would tie it to how
the rules read. `name` and `version` say which model scored, e.g. to key a cache of verdicts.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

Pair = TypeVar("Pair", contravariant=True)


class Scorer(Protocol[Pair]):
    @property
    def name(self) -> str: ...

    @property
    def version(self) -> str: ...

    def score(self, pairs: Sequence[Pair]) -> list[dict[str, float]]:
        """For each pair, in order, a probability for each of the scorer's classes."""
        ...
