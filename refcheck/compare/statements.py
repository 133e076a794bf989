"""What kind of statement a sentence makes: a hedged or overclaiming one, a question, or no finding of
the study at all (earlier work, the study's aim, a definition)."""
from __future__ import annotations

import re

# A sentence about earlier work ("Previous studies suggested ...", "Observational studies have
# linked ..."), not this study's design or finding.
EARLIER_WORK = re.compile(
    r"\b(?:(?:previous|prior|earlier) (?:\w+ )?(?:studies|trials|reports|work|research)|"
    r"(?:observational|several|many|other) (?:\w+ )?(?:studies|trials) (?:have|had|suggest\w*|report\w*|show\w*|link\w*)|"
    r"it (?:has|had) been (?:\w+ )?(?:reported|suggested|shown|proposed|hypothesi[sz]ed)|"
    r"(?:is|are|was|were) (?:widely |commonly |generally )?(?:thought|believed|assumed)|previously (?:reported|shown|suggested))\b",
    re.I)
# The study's aim or definitions: "We evaluated whether X improves Y", "responders, defined as ...".
_AIM = re.compile(
    r"\b(?:(?:we|to|study|trial) (?:\w+ )?(?:evaluated?|assess(?:ed)?|investigated?|examined?|tested|test|determined?|"
    r"sought to \w+) (?:whether|if|the (?:effect|efficacy|hypothesis))|aim(?:ed)? (?:was |is )?to|(?:defined|measured) as|"
    r"primary (?:end ?point|outcome) (?:was|is))\b",
    re.I)


def not_a_finding(sentence: str) -> bool:
    return bool(EARLIER_WORK.search(sentence) or _AIM.search(sentence))


# Structured abstracts label their parts; the background and the objective state no finding of the
# study, and their label stands only before the part's first sentence.
_BACKGROUND_PARTS = r"background|introduction|objectives?|aims?|purpose|context|rationale|importance"
_OTHER_PARTS = (r"methods?|materials and methods|design|setting|participants|patients|results?|findings|conclusions?|"
                r"discussion|interpretation|measurements|interventions|main outcome measures?|significance")


def _part_label(parts: str) -> re.Pattern[str]:
    """A part's label opening a sentence: "Methods:" or "Background and aims:" in any case, or "METHODS" in capitals."""
    return re.compile(rf"^\W*(?:(?i:(?:{parts})(?:\s*(?:and|&)\s*(?:{parts}))?\s*[:.]\s)|(?:{parts.upper()})\b)")


_BACKGROUND_LABEL = _part_label(_BACKGROUND_PARTS)
_OTHER_LABEL = _part_label(_OTHER_PARTS)


def in_background(sentences: tuple[str, ...]) -> tuple[bool, ...]:
    """Per sentence: it belongs to a structured abstract's background or objective part."""
    flags, background = [], False
    for sentence in sentences:
        if _BACKGROUND_LABEL.match(sentence):
            background = True
        elif _OTHER_LABEL.match(sentence):
            background = False
        flags.append(background)
    return tuple(flags)


# What a study did rather than found: a claim saying so is borne out by the aims and methods.
WHAT_WAS_DONE = re.compile(
    r"\b(?:investigat\w*|examin\w*|assess\w*|evaluat\w*|explor\w*|studied|aim\w*|sought|compared|"
    r"enrolled|recruited|included|surveyed|interviewed|analy[sz]ed|measured|randomi[sz]ed|designed|describ\w*)\b", re.I)


OPEN_QUESTION = re.compile(
    r"\b(?:underexplored|unexplored|remains? (?:unknown|unclear|to be \w+|an open question)|not (?:yet )?(?:known|understood))\b", re.I)


def is_question(claim: str) -> bool:
    return claim.rstrip().endswith("?")


def asserts_nothing(claim: str) -> bool:
    """"Can vitamin C protect you from COVID-19?", "... remains an underexplored question": nothing
    asserted that an abstract could contradict."""
    return is_question(claim) or bool(OPEN_QUESTION.search(claim))


OVERCLAIM = re.compile(
    r"\b(?:prove[sn]?|proved|cures?|cured|guarantee[sd]?|definitive(?:ly)?|conclusive(?:ly)?|"
    r"safe and effective|100% effective|miracle|definitely|undoubtedly|"
    r"completely (?:prevents?|protects?|cures?))\b",
    re.I,
)
HEDGE = re.compile(
    r"\b(?:may|might|could|suggests?|suggested|suggestive|pilot|preliminary|potential(?:ly)?|"
    r"possibl[ey]|further (?:studies|research|trials|investigation)|warrant\w*|appears?|"
    r"promising|hypothes\w+|limited|feasib\w+|exploratory|uncertain\w*|unclear)\b",
    re.I,
)
