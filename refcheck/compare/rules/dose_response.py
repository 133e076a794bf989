"""Dose and response: the claim gives a result at a dose for which the abstract lists another result."""
from __future__ import annotations

import re
from collections.abc import Sequence

from ..context import ClaimContext
from ..figures import same_value
from ..quantities import NUM, to_number
from ..text import GENERIC_CONTEXT, content_stems
from .clash import Clash


# "treatments of 10, 50 and 100 µg/cm2 induced 97.8, 88.8 and 84.7% relative
# survival, respectively": two parallel lists of numbers, each with its unit.
_UNIT = r"(?:%|[A-Za-zµμ]+(?:/[A-Za-zµμ]+\d?)?\b)"
_NUMBER_LIST = re.compile(rf"(?<![\w.])((?>{NUM})(?:\s*,\s*(?>{NUM}))*,?\s+(?:and|or)\s+{NUM})\s*({_UNIT})")
_VALUE_WITH_UNIT = re.compile(rf"(?<![\w.,])({NUM})\s*({_UNIT})")


def _unit(text: str) -> str:
    return text.lower().replace("μ", "µ")


def _dose_responses(sentence: str) -> list[tuple[tuple[float, str], tuple[float, str, str]]]:
    """((dose, unit), (result, unit, result as written)) pairs from a "respectively" sentence."""
    if "respectively" not in sentence.lower():
        return []
    lists = [(re.findall(NUM, m.group(1)), _unit(m.group(2))) for m in _NUMBER_LIST.finditer(sentence)]
    pairs = []
    for (doses, dose_unit), (results, result_unit) in zip(lists, lists[1:]):
        if len(doses) == len(results) and dose_unit != result_unit:
            pairs += [((to_number(d)[0], dose_unit), (to_number(r)[0], result_unit, r + ("%" if result_unit == "%" else " " + result_unit)))
                      for d, r in zip(doses, results)]
    return pairs


def _dose_response_clash(claim: str, sentences: Sequence[str]) -> Clash | None:
    """The claim gives a result at a dose for which the abstract lists another result.

    An abstract may list several measurements at the same doses ("97.8, 88.8 and 84.7% relative
    survival"; "3.3, 3.0, 3.0 and 2.7% metaphases with damage"): a result the abstract gives at
    that dose in any list is no clash, and only the list whose words the claim shares most (and
    alone) can show the claimed result wrong.
    """
    claimed = [(to_number(m.group(1))[0], _unit(m.group(2)), m.group(0))
               for m in _VALUE_WITH_UNIT.finditer(claim)]
    if len(claimed) < 2:
        return None
    def word_roots(text: str) -> set[str]:
        # Five letters are enough to tie "survived" to "survival" across the light stemmer.
        return {stem[:5] for stem in content_stems(text) if stem not in GENERIC_CONTEXT}

    claim_roots = word_roots(claim)
    at_claimed_dose = []  # (shared words, sentence, dose as written, result, result unit, result as written)
    for sentence in sentences:
        shared = len(claim_roots & word_roots(sentence))
        for (dose, dose_unit), (result, result_unit, result_text) in _dose_responses(sentence):
            dose_texts = [text for value, unit, text in claimed if unit == dose_unit and value == dose]
            if dose_texts:
                at_claimed_dose.append((shared, sentence, dose_texts[0], result, result_unit, result_text))
    if any(unit == result_unit and same_value(value, 1, result, 1)
           for _, _, _, result, result_unit, _ in at_claimed_dose for value, unit, _ in claimed):
        return None
    best = max((entry[0] for entry in at_claimed_dose), default=0)
    closest = [entry for entry in at_claimed_dose if entry[0] == best]
    if best == 0 or len(closest) != 1:
        return None
    _, sentence, dose_text, result, result_unit, result_text = closest[0]
    rivals = [text for value, unit, text in claimed if unit == result_unit and not same_value(value, 1, result, 1)]
    if not rivals:
        return None
    return Clash(f"claim says {rivals[0]} at {dose_text} but the abstract gives {result_text} at {dose_text}", sentence)


def check(context: ClaimContext) -> Clash | None:
    return _dose_response_clash(context.claim, context.abstract.sentences)
