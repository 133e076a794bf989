"""Figures: a figure the abstract gives differently for the same thing, and a ratio read as the reduction."""
from __future__ import annotations

from ..context import ClaimContext
from ..figures import REDUCTION_BEFORE, effect_ratio, restates
from ..text import GENERIC_CONTEXT
from . import sample_size
from .clash import Clash


def figure_clashes(context: ClaimContext) -> tuple[Clash, ...]:
    """One clash per claimed figure the abstract gives differently (a claim may get several wrong,
    each its own reason)."""
    clashing = context.numbers.clashes
    # A count of people the sample-size rule already disputes is reported once, by that rule.
    size_disputed = any(c.kind == "count:person" for c, _ in clashing) and sample_size.check(context) is not None
    return tuple(Clash(f"claim says {c.text} but the abstract gives {a.text}", a.sentence) for c, a in clashing
                 if not (size_disputed and c.kind == "count:person"))


def ratio_as_reduction(context: ClaimContext) -> Clash | None:
    """A hazard or risk ratio read as the reduction: "cut the risk by 61%" from "HR 0.61", which is a
    39% reduction. Only when the abstract gives no such percentage and does give that ratio."""
    claim = context.claim
    for q in context.numbers.missing:
        if q.kind != "percent:change" or not REDUCTION_BEFORE.search(claim[: q.start]):
            continue
        for a in context.abstract.quantities:
            if effect_ratio(a) and 0 < a.low < 1 and restates(q.low, q.decimals, a.low * 100, a.decimals - 2) \
                    and (q.context & a.context) - GENERIC_CONTEXT:
                return Clash(f"claim says a reduction of {q.text} but the abstract gives a ratio of {a.text}, "
                             f"a {round((1 - a.low) * 100)}% reduction", a.sentence)
    return None
