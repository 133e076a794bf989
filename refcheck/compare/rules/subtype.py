"""Type, stage, grade or phase: the claim names another than every one the study names."""
from __future__ import annotations

import re
from collections.abc import Sequence

from ..context import ClaimContext
from ..text import content_stems
from .clash import Clash


# A named kind of the condition or the study: "type 1 diabetes", "stage IV cancer", "phase 3 trial".
_SUBTYPE_LABEL = r"(?:[0-9]{1,2}[a-c]?|[IV]{1,4}[a-c]?)"
_SUBTYPE = re.compile(
    rf"\b(type|stage|grade|phase|serotype|genotype)s?\s+({_SUBTYPE_LABEL})(?:\s*(?:-|–|to|or|and|/)\s*({_SUBTYPE_LABEL}))?\b",
    re.I)


_MORE_LABELS = re.compile(
    rf"^(?:\s*(?:,|or|and|to|/|-|–)\s*(?:(?:type|stage|grade|phase|serotype|genotype)s?\s+)?{_SUBTYPE_LABEL}\b)+", re.I)


def _subtypes(text: str) -> dict[tuple[str, str], dict[str, str]]:
    """{("stage", "melanoma"): {"3": "stage III"}}: each named kind with the word it qualifies
    ("type 2 diabetes" is no rival of "type I interferon"), by its number, as written. A sub-stage
    is also its stage ("stage IIIB" is stage III)."""
    named: dict[tuple[str, str], dict[str, str]] = {}
    for match in _SUBTYPE.finditer(text):
        if match.group(1).lower() == "grade" and re.match(r"\s*(?:or (?:higher|more|above|greater)|\+|toxic|adverse)", text[match.end():], re.I):
            # "grade 3 or higher toxic effects" grades harms, not the disease.
            continue
        # The word qualified comes after any further labels ("stage II or stage III colon cancer").
        rest = _MORE_LABELS.sub("", text[match.end(): match.end() + 60], count=1)
        # ... or, ending its clause, the word before ("diabetes type 2.")
        qualified = content_stems(re.split(r"[.;:,()]", rest[:30])[0])[:1] or content_stems(text[max(0, match.start() - 30): match.start()])[-1:]
        key = (match.group(1).lower(), qualified[0] if qualified else "")
        first = _roman_to_arabic(match.group(2).lower())
        labels = [first]
        if match.group(3):
            # "stage III-IV", "types 1 and 2": every one named, and those between.
            last = _roman_to_arabic(match.group(3).lower())
            labels.append(last)
            if first.isdigit() and last.isdigit() and int(first) < int(last) <= int(first) + 5:
                labels += [str(n) for n in range(int(first) + 1, int(last))]
        labels += [label.rstrip("abc") for label in labels if label[-1:] in ("a", "b", "c")]
        for label in labels:
            named.setdefault(key, {}).setdefault(label, match.group(0))
    return named


def _roman_to_arabic(label: str) -> str:
    """'iii' -> '3', 'iib' -> '2b', '2' -> '2': abstracts and pages write stages either way."""
    roman = re.fullmatch(r"([iv]+)([a-c]?)", label)
    if not roman:
        return label
    values = {"i": 1, "v": 5}
    digits = [values[c] for c in roman.group(1)]
    total = sum(-d if d < nxt else d for d, nxt in zip(digits, digits[1:] + [0]))
    return f"{total}{roman.group(2)}"


def clash(claim: str, on_topic: Sequence[str], study: Sequence[str]) -> Clash | None:
    """The claim names another type, stage or phase than every one the abstract names
    ("type 1 diabetes" against a study of type 2 diabetes only)."""
    claimed_subtypes = _subtypes(claim) if on_topic else {}
    if not claimed_subtypes:
        return None
    named_in = [(sentence, _subtypes(sentence)) for sentence in study]
    for label, claimed in claimed_subtypes.items():
        studied = {number: text for _, named in named_in for number, text in named.get(label, {}).items()}
        if studied and not claimed.keys() & studied.keys():
            where = next(sentence for sentence, named in named_in if label in named)
            return Clash(f'claim says "{" / ".join(dict.fromkeys(claimed.values()))}"; the study names only '
                         f'"{" / ".join(dict.fromkeys(studied.values()))}"', where)
    return None


def check(context: ClaimContext) -> Clash | None:
    return clash(context.claim, context.on_topic, context.abstract.study)
