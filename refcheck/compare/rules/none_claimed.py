"""None claimed: the claim says no complications (adverse events, deaths ...) occurred; the abstract
reports some."""
from __future__ import annotations

import re

from ..context import ClaimContext
from ..findings import NEGATION
from ..quantities import PERSON_NOUNS
from ..text import GENERIC_CONTEXT, content_stems
from .clash import Clash


# "No procedure-related complications occurred", "without side effects": the claim says none.
_EVENTS = r"complications?|adverse (?:events?|effects?|reactions?)|side[- ]effects?|deaths?|seizures?|relapses?|recurrences?"
_CLAIMED_NONE = re.compile(
    rf"\b(?:no|zero|without(?: any)?|free of)\s+(?P<kind>(?:[\w-]+\s+){{0,3}}?)(?P<events>{_EVENTS})\b", re.I)
_SOME_OCCURRED = re.compile(
    r"\b(?:occurred|were (?:reported|observed|seen|recorded)|developed|experienced|had)\s+(?:in\s+)?(?:(?:one|two|three|four|"
    r"five|six|seven|eight|nine|ten|\d[\d,.]*%?)\s+(?:\(\s*[\d.]+%\s*\)\s+)?(?:of\s+(?:the\s+)?)?(?:\w+\s+)?"
    r"(?:patients?|participants?|subjects?|cases?|children|adults|women|men|people|animals|mice|rats)|\d[\d.]*%)",
    re.I)


# "No seizures occurred after the first month", "no deaths among vaccinated children": none within a
# time or a group, which events outside it do not gainsay.
# ("among patients treated with plasma exchange" is the whole study, no subgroup)
_LIMITED = re.compile(r"[^.;]{0,40}?\b(?:after|before|during|at|among(?! (?:the |all )?(?:patients|participants|people|subjects)\b)|"
                      r"beyond|since|within|following|once|until|in (?:the|those|vaccinated|treated))\b", re.I)
# "none of them serious", "in 0 patients": a count of none is no report of some.
_NONE_GIVEN = re.compile(r"\b(?:none|zero|nil)\b|\bin 0\b|\b0 (?:of|patients|participants|cases)\b", re.I)
_NONE_DESCRIBES_GROUP = re.compile(
    rf"\b(?:with|those|{'|'.join(sorted(PERSON_NOUNS))}|patients|participants|people|children|women|men|cases)\s+$", re.I)
_ARMS = re.compile(r"\b(?:groups?|arms?|placebo|controls?|versus|vs\.?|compared|respectively)\b", re.I)


def check(context: ClaimContext) -> Clash | None:
    """The claim says no complications (adverse events, deaths ...) of a kind occurred; the abstract
    reports that kind in some patients. Only a sentence with no negation of its own counts ("none in
    the treatment group" may be what the claim means)."""
    if not context.on_topic:
        return None
    claim = context.claim
    claimed = _CLAIMED_NONE.search(claim)
    if not claimed or _NONE_DESCRIBES_GROUP.search(claim[: claimed.start()]) or _ARMS.search(claim) \
            or _LIMITED.match(claim, claimed.end()):
        # "patients with no complications were discharged sooner" says who, not that none occurred;
        # "none in the treatment group" may be true beside events among controls.
        return None
    kind = set(content_stems(claimed.group("kind"))) - GENERIC_CONTEXT
    events = re.compile(rf"\b((?:[\w-]+\s+){{0,3}})(?:{claimed.group('events').split()[-1].rstrip('s')})s?\b", re.I)
    for sentence in context.abstract.finding_sentences:
        if NEGATION.search(sentence) or _NONE_GIVEN.search(sentence) or _ARMS.search(sentence):
            continue
        for mention in events.finditer(sentence):
            # ("Minor complications occurred in 9" is no report of major ones)
            some = _SOME_OCCURRED.search(sentence, mention.end(), mention.end() + 60)
            # (named before them or between them and the count: "Complications related to the procedure occurred in")
            named = set(content_stems(mention.group(1) + " " + sentence[mention.end(): some.start() if some else mention.end()]))
            if kind <= named and some:
                return Clash(f'claim says "{claimed.group(0).strip().lower()}"; the abstract reports them: '
                             f'"{some.group(0)}"', sentence)
    return None
