"""Direction of effect: the abstract says the opposite of what the claim says about the same change
("increased" against "reduced", a finding against "no difference")."""
from __future__ import annotations

from ..context import ClaimContext
from ..findings import as_loss_of, findings_in, opposed, same_change
from ..text import stem, words
from .clash import Clash
from .groups import sets_apart


def check(context: ClaimContext) -> Clash | None:
    """Claim and evidence say opposite things about the same target words, and
    nothing in the abstract says what the claim says about that target. What earlier
    work reported is not what the study found, either way."""
    claim = context.claim
    claim_directions = findings_in(claim)
    if not claim_directions:
        return None
    claim_stems = set(context.stems)
    # A sentence that sets the claim's group apart ("in men but not in women") is left to
    # the contrast rule (rules.groups): its finding is not about that group.
    anchors = [s for s in context.finding_anchors if not sets_apart(s, claim_stems)]
    abstract_directions = [d for s in context.abstract.finding_sentences for d in findings_in(s)]
    # (what changed is named better by "greater weight loss" than by "led to")
    for c in sorted(claim_directions, key=lambda d: d.axis == "cause"):
        for sentence in anchors:
            sentence_directions = findings_in(sentence)
            # A sentence that also says what the claim says ("higher than ... yet lower than")
            # opposes it only in part: no confident clash.
            if any(d.axis == c.axis and d.sign == c.sign and same_change(c, d) for d in sentence_directions):
                continue
            for e in [*sentence_directions, *(f for d in sentence_directions if (f := as_loss_of(c, d)))]:
                # Both about the same thing, and the same thing changing: "M2 phenotype ...
                # increases clearance" and "M2 phenotype ... decreased deposition" are not opposed.
                if not opposed(c, e) or not same_change(c, e):
                    continue
                # The claim itself says what the abstract says here ("enhanced memory and decreased
                # deposition" against "decreased deposition"): its opposite cue is about something else.
                if any(d.axis == e.axis and d.sign == e.sign and d.changed & e.changed for d in claim_directions):
                    continue
                # Agreement elsewhere must be about the same change: "aspirin had no effect
                # on blood pressure" does not agree with "aspirin did not reduce PGE2".
                agreeing = any(
                    not opposed(c, a) and (a.axis == c.axis or c.axis == "link" and a.axis in ("amount", "effect"))
                    and same_change(c, a)
                    for a in abstract_directions
                )
                if not agreeing:
                    return Clash(f'abstract says "{e.phrase}" about {_describe(c.target & e.target, claim)}; '
                                 f'claim says "{c.phrase}"', sentence)
    return None


def _describe(stems: frozenset[str], claim: str) -> str:
    """Name shared stems by the claim's own words, in claim order."""
    named = [w for w in dict.fromkeys(words(claim)) if stem(w) in stems]
    return '"' + " ".join(named[:3]) + '"'
