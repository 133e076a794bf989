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
