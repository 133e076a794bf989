"""What a run comes to: its summary counts and its exit code."""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ..records import CITATION_STATUSES, CLAIM_VERDICTS, DocumentReport
from .baseline import Baseline
from .findings import Finding
from .names import DEFAULT_FAIL_ON, EXIT_INCOMPLETE, EXIT_OK, EXIT_PROBLEM, EXIT_USAGE, UNRESOLVED_CHOICES, UNRESOLVED_FAIL
from .text import partly_checked


def failing(found: list[Finding], fail_on=DEFAULT_FAIL_ON, baseline: Baseline | None = None) -> list[Finding]:
    """The findings that make the run fail: of a --fail-on kind and not in the baseline."""
    fresh = baseline.unexcused(found) if baseline else found
    return [f for f in fresh if f.category in fail_on]


def summarize(documents: Sequence[DocumentReport]) -> dict:
    citations = [c for d in documents for c in d.citations]
    statuses = Counter(c.resolution.status for c in citations)
    verdicts = Counter(cl.verdict.verdict for c in citations for cl in c.claims)
    flags = Counter(f for c in citations for f in c.resolution.flags)
    return {
        "documents": len(documents),
        "documents_failed": sum(1 for d in documents if d.error),
        "citations": len(citations),
        "claims": sum(verdicts.values()),
        "status": {s: statuses.get(s, 0) for s in CITATION_STATUSES},
        "verdicts": {v: verdicts.get(v, 0) for v in CLAIM_VERDICTS},
        "flags": dict(sorted(flags.items())),
        "unsourced_claims": sum(len(d.unsourced_claims) for d in documents),
        "unmatched_markers": sum(len(d.unmatched_markers) for d in documents),
        "incomplete": incomplete(documents),
    }


def incomplete(documents: Sequence[DocumentReport]) -> int:
    """How many citations could not be checked, or only partly (a service did not answer)."""
    return sum(1 for d in documents for c in d.citations if partly_checked(c))


def exit_code(documents: Sequence[DocumentReport], failing_findings: list[Finding], unresolved: str = UNRESOLVED_FAIL) -> int:
    """2 an input could not be read; 1 a finding fails the run; 3 something could not be checked (0 with
    unresolved="warn"); 0 all clean."""
    if unresolved not in UNRESOLVED_CHOICES:
        raise ValueError(f"unresolved must be one of {', '.join(UNRESOLVED_CHOICES)}, not {unresolved!r}")
    if any(d.error for d in documents):
        return EXIT_USAGE
    if failing_findings:
        return EXIT_PROBLEM
    if unresolved == UNRESOLVED_FAIL and incomplete(documents):
        return EXIT_INCOMPLETE
    return EXIT_OK


class FailingOccurrences:
    """Tells, finding by finding in report order, whether this occurrence fails the run. A fingerprint may
    recur and the baseline may excuse only some of its occurrences, so each failing one is counted off."""

    def __init__(self, failing_findings: list[Finding]) -> None:
        self._left = Counter(f.fingerprint for f in failing_findings)

    def take(self, finding: Finding) -> bool:
        if self._left[finding.fingerprint] > 0:
            self._left[finding.fingerprint] -= 1
            return True
        return False


def new_findings(found: list[Finding], baseline: Baseline | None) -> tuple[list[Finding], int]:
    """(the findings the baseline does not excuse, in report order; how many it excuses)."""
    if not baseline:
        return list(found), 0
    fresh, excused = baseline.split(found)
    return fresh, len(excused)
