"""Age group: a firm claim about children from a study of adults only, or the reverse."""
from __future__ import annotations

import re
from collections.abc import Sequence

from ..context import ClaimContext
from ..statements import HEDGE
from ..text import first_match
from .clash import Clash


# Age groups that a study of the other group does not speak for.
_CHILD_WORDS = re.compile(
    # ("childhood" names a time of exposure as often as who was studied: "childhood adversity")
    r"\b(?:child(?:ren)?|kids?|infants?|babies|baby|newborns?|neonat\w*|toddlers?|adolescen\w*|teen(?:ager)?s?|"
    r"p(?:a)?ediatric\w*|schoolchildren|boys|girls|preterm|juvenile|offspring)\b", re.I)
_ADULT_WORDS = re.compile(
    r"\b(?:adults?|elderly|older (?:adults|people|persons|patients|women|men)|postmenopausal|"
    r"aged (?:(?:≥|>|over)\s*)?(?:[2-9]\d|1[89])(?! years? or (?:younger|less|under))(?! (?:or|and) (?:younger|under))|"
    r"(?:middle|old)[- ]aged|geriatric|nursing home residents)\b", re.I)
# Consent, mothers and carers: adults who were not the ones studied.
_NOT_STUDIED = re.compile(r"\b(?:consent\w*|mothers?|parents?|caregivers?|carers?|guardians?|pregnan\w*)\b", re.I)


def clash(claim: str, on_topic: Sequence[str], study: Sequence[str]) -> Clash | None:
    """A firm claim about children from a study of adults only, or the reverse."""
    if not on_topic or HEDGE.search(claim):
        return None
    for claimed_group, other_group in ((_CHILD_WORDS, _ADULT_WORDS), (_ADULT_WORDS, _CHILD_WORDS)):
        claimed = claimed_group.search(claim)
        if not claimed or other_group.search(claim) or any(claimed_group.search(s) for s in study):
            continue
        studied, sentence = first_match(
            other_group, [s for s in study if other_group is _CHILD_WORDS or not _NOT_STUDIED.search(s)])
        if studied:
            return Clash(f'claim speaks of "{claimed.group(0).lower()}"; the study was in "{studied.lower()}"', sentence)
    return None


def check(context: ClaimContext) -> Clash | None:
    return clash(context.claim, context.on_topic, context.abstract.study)
