"""Who was studied: a claim about people from a study of animals or cells, or about people receiving
what the study gave to animals."""
from __future__ import annotations

from collections.abc import Sequence

from ..context import ClaimContext
from ..people import HUMAN, NONHUMAN, population, recipients
from ..statements import HEDGE
from ..text import first_match
from .clash import Clash


def people_from_animals(claim: str, on_topic: Sequence[str], study: Sequence[str], studied: str | None) -> Clash | None:
    """A firm claim about people, on the study's topic, from a study of animals or cells only
    (`studied`: the study's population, see refcheck.compare.people.population).

    The reverse (claim about mice, study in people) is usually a claim citing
    a human study for background, so it is not flagged; nor are hedged claims
    ("may help patients"), which already concede the extrapolation.
    """
    if studied != "nonhuman" or not on_topic or HEDGE.search(claim) or population([claim]) != "human":
        return None
    claim_term, _ = first_match(HUMAN, [claim])
    study_term, sentence = first_match(NONHUMAN, study)
    return Clash(f'claim speaks of "{claim_term.lower()}"; the study was in "{study_term.lower()}"', sentence)


def _recipient_clash(claim: str, study_recipients: tuple[str | None, str, str]) -> Clash | None:
    """The claim says people received the intervention; the study gave it to animals."""
    study_kind, study_word, sentence = study_recipients
    # (the claim is read only when the study gave it to animals: the recipient pattern is slow)
    if study_kind != "nonhuman" or HEDGE.search(claim):
        return None
    claim_kind, claim_word, _ = recipients([claim])
    if claim_kind == "human":
        return Clash(f'claim says "{claim_word.lower()}" received it; in the study it was given to '
                     f'"{study_word.lower()}"', sentence)
    return None


def check(context: ClaimContext) -> Clash | None:
    abstract = context.abstract
    return (people_from_animals(context.claim, context.on_topic, abstract.study, abstract.population)
            or _recipient_clash(context.claim, abstract.recipients))
