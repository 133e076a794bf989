"""A figure given for the wrong thing: the abstract gives the claim's figure, but for another
condition or group of the same sentence, and gives a different figure for the one the claim names
("prevalence estimates for HCM (1:543) and DCM (1:220)" against "HCM affects 1 in 220";
"41% in women and 71% in men" against "71% of women").

Each figure of a sentence is labelled by the few words that name what it is a figure of: the words
just before it since the previous figure ("for HCM (", "and DCM (") and, where they follow,
"in/among/for/of ..." words after it ("in women"). Two figures of one sentence are told apart by the
words of their labels that they do not share; the claim names one of them by those words.
"""
from __future__ import annotations

import re

from ..context import ClaimContext
from ..text import content_stems, expanded
from .clash import Clash

# a frequency "1 in 220" / "1:543" / "one in five", or a percentage
_FIGURE = re.compile(
    r"(?<![\w.,])(?:(?:1|one)\s*(?::|in|per|out of)\s*(?P<every>\d[\d,]*|[a-z]+)\b|(?P<percent>\d+(?:[.·]\d+)?)\s*(?:%|per ?cent\b))",
    re.I)
_AFTER_LABEL = re.compile(r"[\s)\]]*(?:in|among|for|of)\s+((?:(?!(?:and|or|but|vs|versus)\b)[A-Za-z][\w-]*\s*){1,3})", re.I)
_LABEL_STOP = re.compile(r"[;.]|\b(?:and|or|but|whereas|while|vs\.?|versus|respectively)\b", re.I)
# "(34% vs. 17%)": a comparison's two sides, labelled by the sentence around them, not by adjacent words
_COMPARED_IN_BRACKETS = re.compile(r"\([^()]*\b(?:vs\.?|versus|compared)\b[^()]*\)", re.I)
_WORD_VALUES = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
                "twenty": 20, "hundred": 100, "thousand": 1000}
LABEL_WORDS = 3


def _figures(text: str, expansions: dict[str, tuple[str, ...]]) -> list[tuple[str, float, str, frozenset[str], str]]:
    """(kind, value, as written, label stems, label as written) of each frequency or percentage in the text."""
    found = []
    previous_end = 0
    compared = [m.span() for m in _COMPARED_IN_BRACKETS.finditer(text)]
    for match in _FIGURE.finditer(text):
        if any(start <= match.start() < end for start, end in compared):
            previous_end = match.end()
            continue
        if match.group("every"):
            raw = match.group("every").replace(",", "").lower()
            value = float(raw) if raw.isdigit() else float(_WORD_VALUES.get(raw, 0))
            kind = "every"
        else:
            value, kind = float(match.group("percent").replace("·", ".")), "percent"
        if not value:
            continue
        before = text[previous_end:match.start()]
        stop = list(_LABEL_STOP.finditer(before))
        before = before[stop[-1].end():] if stop else before
        label = content_stems(before)[-LABEL_WORDS:]
        named = " ".join(re.findall(r"[\w-]+", before)[-LABEL_WORDS:])
        after = _AFTER_LABEL.match(text, match.end())
        if after:
            label += content_stems(after.group(1))
            named = after.group(0).strip(" )]")
        found.append((kind, value, match.group(0), frozenset(expanded(label, expansions)), named))
        previous_end = match.end()
    return found


def check(context: ClaimContext) -> Clash | None:
    expansions = context.abstract.expansions
    claimed = _figures(context.claim, expansions)
    if not claimed:
        return None
    claim_stems = set(context.stems)
    for sentence in context.abstract.finding_sentences:
        given = _figures(sentence, expansions)
        for kind, value, written, claimed_label, _ in claimed:
            for a_kind, a_value, a_written, a_label, a_named in given:
                if (a_kind, a_value) != (kind, value):
                    continue
                for b_kind, b_value, b_written, b_label, b_named in given:
                    if b_kind != kind or b_value == value:
                        continue
                    only_a, only_b = a_label - b_label, b_label - a_label
                    # the claim names the other's label beside its figure, and nothing of this one's
                    if only_a and only_b & claimed_label and not only_a & claim_stems:
                        return Clash(f'claim gives {written} where the abstract gives {b_written} ("{b_named}"); '
                                     f'the abstract\'s {a_written} is for another ("{a_named}")', sentence)
    return None
