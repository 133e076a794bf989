"""Report: the whole result of a run, and what it comes to (findings, summary, exit code)."""
from __future__ import annotations

from dataclasses import dataclass

from ..records import DocumentReport
from .baseline import Baseline
from .findings import Finding, document_findings
from .names import DEFAULT_FAIL_ON, UNRESOLVED_FAIL
from .outcome import exit_code, failing, summarize


@dataclass(frozen=True)
class Report:
    documents: tuple[DocumentReport, ...]
    version: str = ""

    def findings(self) -> list[Finding]:
        """Every finding of every document, in document order."""
        return [finding for document in self.documents for finding in document_findings(document)]

    def failing(self, fail_on=DEFAULT_FAIL_ON, baseline: Baseline | None = None) -> list[Finding]:
        """The findings that make the run fail: of a `fail_on` kind (see FINDING_CATEGORIES) and not in the baseline."""
        return failing(self.findings(), fail_on, baseline)

    @property
    def summary(self) -> dict:
        """Counts: documents, citations by status, claims by verdict, flags, unsourced claims, unmatched markers,
        citations not fully checked (the "summary" of the JSON report)."""
        return summarize(self.documents)

    def exit_code(self, fail_on=DEFAULT_FAIL_ON, baseline: Baseline | None = None, unresolved: str = UNRESOLVED_FAIL) -> int:
        """The command line's exit code for this report: 2 an input could not be read, 1 a `fail_on` finding
        the baseline does not excuse, 3 something could not be checked (unless unresolved="warn": then 0),
        0 all clean."""
        return exit_code(self.documents, self.failing(fail_on, baseline), unresolved)
