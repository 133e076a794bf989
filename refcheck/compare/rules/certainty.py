"""Certainty: a claim of proof or cure where the abstract only hedges or finds nothing."""
from __future__ import annotations

import re

from ..context import ClaimContext
from ..findings import NULL_FINDING
from ..statements import HEDGE, OVERCLAIM
from ..text import first_match, stem
from .clash import Clash


def check(context: ClaimContext) -> Clash | None:
    """A claim of proof/cure, about what an anchor sentence discusses, when the
    abstract only hedges (or finds nothing)."""
    claim, anchors = context.claim, context.anchors
    strong = OVERCLAIM.search(claim)
    if not strong or re.match(r"\s+(?:\w+\s+)?\d", claim[strong.end():]):
        # "cured 96% of patients" reports a result; it is checked as a figure.
        return None
    strong_stem = stem(strong.group(0).split()[0].lower())
    if any(strong_stem in stems for stems in context.abstract.sentence_stems):
        return None
    hedge, sentence = first_match(HEDGE, anchors)
    if not hedge:
        hedge, sentence = first_match(NULL_FINDING, anchors)
    if hedge:
        return Clash(f'claim says "{strong.group(0).lower()}" but the abstract only says "{hedge.lower()}"', sentence)
    return None
