"""What a title alone can decide, when a work has no abstract: who or what was studied ("... in a mouse
model", "... in children with type 1 diabetes") and the design ("A retrospective cohort study of ...")."""
from __future__ import annotations

from ..people import population
from ..statements import asserts_nothing
from . import age_group, design, subtype
from .clash import Clash
from .population import people_from_animals


def check(claim: str, title: str) -> Clash | None:
    """`claim` without its citation markers; the title is both what the claim is about and the study."""
    if asserts_nothing(claim):
        return None
    on_topic = study = (title,)
    return (people_from_animals(claim, on_topic, study, population(study)) or subtype.clash(claim, on_topic, study)
            or age_group.clash(claim, on_topic, study) or design.clash(claim, study))
