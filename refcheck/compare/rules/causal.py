"""Causal overreach: the claim says "caused" where the study, by its design, could only report an
association. Not a contradiction: the verdict reads it as partial support."""
from __future__ import annotations

import re

from ..context import ClaimContext
from ..statements import HEDGE
from ..text import first_match
from .clash import Clash


# Causal verbs only: "cause(s)" is as often a noun ("all causes", "the primary cause").
_CAUSAL = re.compile(r"\b(?:caused|causing|leads to|led to|results in|resulted in|triggers|triggered)\b", re.I)
_CAUSAL_HEDGE = re.compile(r"\b(?:can|could|seems?|proposed|thought|believed|likely|hypothes\w+)\b", re.I)
_ASSOCIATION = re.compile(r"\b(?:[Aa]ssociat\w*|[Cc]orrelat\w*|linked (?:to|with)|odds ratio|OR\s*[=:]?\s*\d|risk ratio)")
_CAUSAL_DESIGN = re.compile(r"\b(?:randomi[sz]\w*|trials?|mendelian randomi[sz]ation|causal\w*|caus(?:e|es|ed|ing)|experiment\w*|mice|rats)\b", re.I)


def check(context: ClaimContext) -> Clash | None:
    """The claim says one thing causes another; the study, with no design that could show it,
    reports an association. Part of the claim (the link) is found, the causation is not: partial
    support, never a contradiction (the association may well be causal)."""
    claim = context.written_claim
    causal = _CAUSAL.search(claim)
    if not causal or HEDGE.search(claim) or _CAUSAL_HEDGE.search(claim) or _CAUSAL_DESIGN.search(context.abstract.text):
        return None
    association, sentence = first_match(_ASSOCIATION, context.evidence)
    if not association:
        return None
    return Clash(f'claim says "{causal.group(0).lower()}"; the study reports only an association ("{association.lower()}")', sentence)

