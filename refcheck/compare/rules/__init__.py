"""The rules: checks that can prove a claim wrong, each with a reason a fact-checker can verify.

Each family has its own module; each check reads the claim's context and gives a Clash or None
(the figure rule gives one clash per figure the claim gets wrong). RULES runs them in a fixed
order, which is the order of the reasons in a verdict.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from ..context import ClaimContext
from ..statements import asserts_nothing
from . import (
    age_group, certainty, design, direction, dose_response, groups, none_claimed, numbers, population, sample_size,
    significance, subtype, swapped,
)
from .clash import Clash

RULES: tuple[Callable[[ClaimContext], Clash | Sequence[Clash] | None], ...] = (
    sample_size.check,
    numbers.figure_clashes,
    numbers.ratio_as_reduction,
    swapped.check,
    dose_response.check,
    population.check,
    subtype.check,
    age_group.check,
    design.check,
    none_claimed.check,
    direction.check,
    certainty.check,
    significance.check,
    groups.contrast,
    groups.restriction,
    groups.every_group,
)


def clashes(context: ClaimContext) -> tuple[Clash, ...]:
    """Every clash the rules find, in RULES order; none for a claim that asserts nothing (a question,
    "... remains unknown")."""
    if asserts_nothing(context.claim):
        return ()
    found: list[Clash] = []
    for rule in RULES:
        result = rule(context)
        if isinstance(result, Clash):
            found.append(result)
        elif result:
            found.extend(result)
    return tuple(found)
