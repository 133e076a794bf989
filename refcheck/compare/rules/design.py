"""Study design: a claim of a randomised or placebo-controlled trial against a study that says it was
something else."""
from __future__ import annotations

import re
from collections.abc import Sequence

from ..context import ClaimContext
from ..statements import EARLIER_WORK
from ..text import first_match
from .clash import Clash


_RANDOMISED = re.compile(
    r"\b(?:randomi[sz]ed|randomi[sz]ation|randomly (?:assigned|allocated)|(?:assigned|allocated) (?:at random|randomly)|"
    r"randomly divided|random (?:allocation|assignment)|placebo[- ]controlled|double[- ]blind\w*|RCTs?)\b", re.I)
_OTHER_DESIGNS = re.compile(
    # (not a trial's registration: "Chinese Clinical Trial Registry"; not "uncontrolled hypertension")
    r"\b(?:case series|case reports?|retrospective\w*|(?<!trial )(?<!trials )registry|observational|cross[- ]sectional|"
    r"(?:prospective )?cohort(?: study)?|case[- ]control|single[- ]arm|uncontrolled (?:study|trial|design)|"
    r"narrative review|in vitro(?! fertili)|mice|rats)\b",
    re.I,
)


# Words by which a study speaks of itself ("We analysed", "In this randomised trial"), as against the
# trials it calls for.
_OWN_STUDY = re.compile(r"\b(?:we|our|this|here|present)\b", re.I)
# A trial the study calls for is not the study: "a hypothesis that warrants testing in randomised trials".
_FUTURE_WORK = re.compile(
    r"\b(?:warrant(?:s|ed|ing)? (?:testing|confirmation|evaluation|investigation|further)|"
    r"(?:are|is) (?:needed|required|warranted)|future (?:randomi[sz]ed|trials|studies|research)|"
    r"should be (?:tested|confirmed|evaluated|investigated)|calls? for)\b", re.I)


def _called_for(sentence: str, randomised: re.Match[str]) -> bool:
    """The randomised trial named here is one the study calls for ("warrants testing in randomised
    trials"), not the study itself ("In this randomised trial ..., but larger trials are needed")."""
    start, end = randomised.span()
    # (a kind of study called for, "randomised trials", not people who "were randomised")
    names_trials = bool(re.match(r"\s+(?:controlled\s+|clinical\s+)*trials?\b", sentence[end:], re.I)) \
        or randomised.group(0).upper().startswith("RCT")
    return names_trials and bool(_FUTURE_WORK.search(sentence[max(0, start - 60): end + 40])) \
        and not _OWN_STUDY.search(sentence[max(0, start - 30): start])


def clash(claim: str, study: Sequence[str]) -> Clash | None:
    """A claim of a randomised/placebo-controlled trial against a study that says it was something else
    (not a background sentence about other work: "Observational studies have linked ...")."""
    claimed = _RANDOMISED.search(claim)
    if not claimed or any(not _called_for(s, m) for s in study for m in _RANDOMISED.finditer(s)):
        return None
    candidates = [s for s in study if not EARLIER_WORK.search(s)]
    # The study's own account of itself ("We analysed a prospective cohort") first.
    candidates.sort(key=lambda s: not _OWN_STUDY.search(s))
    actual, sentence = first_match(_OTHER_DESIGNS, candidates)
    if actual:
        return Clash(f'claim describes a "{claimed.group(0).lower()}" study; '
                     f'the study is described as "{actual.lower()}"', sentence)
    return None


def check(context: ClaimContext) -> Clash | None:
    return clash(context.claim, context.abstract.study)
