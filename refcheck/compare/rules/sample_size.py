"""Sample size: the claim puts more people in the study than the abstract says it had."""
from __future__ import annotations

import re

from ..context import ClaimContext
from ..statements import HEDGE
from .clash import Clash


_ENROLMENT = re.compile(
    r"\b(?:enrol\w*|recruit\w*|randomi[sz]\w*|randomly assigned|included|trials?|stud(?:y|ied|ies)|"
    r"cohort|given|gave|received|treated|participat\w*|assigned)\b",
    re.I,
)
# "enrollment of 1000 patients would provide 80% power": a planned size, not the study's.
_PLANNED = re.compile(r"\b(?:would|will|planned|plans? to|power to|needed|required|target(?:ed|ing)?)\b", re.I)


def check(context: ClaimContext) -> Clash | None:
    """A claimed study size is judged against the stated group sizes (and their total), not against
    whichever count of people sits nearby. A smaller number may be a subgroup, so only a claimed
    count above the total of the stated group sizes is a clash."""
    claim, abstract = context.claim, context.abstract
    if not _ENROLMENT.search(claim) or HEDGE.search(claim) or _PLANNED.search(claim):
        return None
    stated, total = abstract.stated_sizes, abstract.stated_total
    if not stated or abstract.size_in_words:
        # ("Six hundred patients were enrolled; 300 ... to each arm": a total in words is not read)
        return None
    for q in context.quantities:
        if q.kind == "count:person" and q.high is None and not q.approximate and q.low > total and q not in context.numbers.given:
            as_written = re.search(re.escape(q.text) + r"\s+[\w-]+", claim)
            sizes = " and ".join(stated) + (f" ({total:g} in all)" if len(stated) > 1 else "")
            return Clash(f"claim says {as_written.group(0) if as_written else q.text} "
                         f"but the abstract gives {sizes}", abstract.stated_size_sentence)
    return None
