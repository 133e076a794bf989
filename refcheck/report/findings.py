"""Findings: the things in a checked document a reviewer may want to act on, their kinds (what
--fail-on names) and their fingerprints (what a baseline records)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ..errors import InputError
from ..records import (
    CANNOT_CHECK, CONTRADICTED, CORRECTED, EXPRESSION_OF_CONCERN, METADATA_MISMATCH, NOT_FOUND, NOT_SUPPORTED,
    PARTIALLY_SUPPORTED, RETRACTED, SUPPORTED, UNRESOLVED, VERIFIED, WRONG_WORK, CheckedCitation, DocumentReport,
)
from ..extract.sentences import sentence_spans
from .sanitise import visible
from .text import marker_problem, notice_text, shorten, status_reasons, suggestion_notes

PROBLEM_STATUSES = {NOT_FOUND, WRONG_WORK, METADATA_MISMATCH}
PROBLEM_VERDICTS = {NOT_SUPPORTED, CONTRADICTED}
PROBLEM_FLAGS = {RETRACTED, EXPRESSION_OF_CONCERN}


def category(label: str) -> str:
    """A status, flag or verdict as a --fail-on name: WRONG_WORK -> wrong-work."""
    return label.lower().replace("_", "-")


UNSOURCED = "unsourced"
UNMATCHED_MARKER = "unmatched-marker"
# Every kind of finding --fail-on can name. UNRESOLVED and CANNOT_CHECK are "could not check", not problems,
# but a strict pipeline may still choose to fail on them.
FINDING_CATEGORIES = tuple(
    category(label) for label in (
        NOT_FOUND, WRONG_WORK, METADATA_MISMATCH, UNRESOLVED, RETRACTED, EXPRESSION_OF_CONCERN, CORRECTED,
        CONTRADICTED, NOT_SUPPORTED, PARTIALLY_SUPPORTED, CANNOT_CHECK,
    )
) + (UNSOURCED, UNMATCHED_MARKER)
# The default is exactly the exit-1 rule refcheck always had. UNMATCHED_MARKER stays out of it: a bracketed
# number in prose is not always a citation marker.
DEFAULT_FAIL_ON = frozenset(category(label) for label in PROBLEM_STATUSES | PROBLEM_VERDICTS | PROBLEM_FLAGS)


def parse_fail_on(value: str | None) -> frozenset:
    """--fail-on's comma-separated kinds (None: the default). An empty list is refused: it would fail on
    nothing, which is never what a typo or an empty CI variable meant."""
    if value is None:
        return DEFAULT_FAIL_ON
    kinds = frozenset(kind.strip().lower() for kind in value.split(",") if kind.strip())
    if not kinds:
        raise InputError(f"--fail-on: no kind given (known: {', '.join(FINDING_CATEGORIES)}; leave the option out for the default)")
    unknown = sorted(kinds - set(FINDING_CATEGORIES))
    if unknown:
        raise InputError(f"--fail-on: unknown kind(s) {', '.join(unknown)} (known: {', '.join(FINDING_CATEGORIES)})")
    return kinds


@dataclass(frozen=True)
class Finding:
    """One thing a reviewer may want to act on, tied to a place in one document."""

    category: str  # one of FINDING_CATEGORIES
    source: str
    start: int  # offsets in the extracted text of what the finding is about: the citation, or the claim (checked
    end: int  # or unsourced), or the marker; source lines (annotations, JUnit names) come from them
    subject: str  # what the finding is about: the citation's identifier or text, the claim, or the marker
    claim: str  # the claim text (for a marker, the sentence it sits in), "" for a finding about the citation itself
    message: str

    @property
    def fingerprint(self) -> str:
        """Stable across runs and unrelated edits: no offsets, whitespace-insensitive, and the same for the
        sanitised report the formats render as for the report itself."""
        parts = [visible(self.source), self.category, " ".join(visible(self.subject).split()), " ".join(visible(self.claim).split())]
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]


def citation_findings(source: str, item: CheckedCitation) -> list[Finding]:
    """The findings of one citation: its status and flags (but VERIFIED), then each claim not SUPPORTED."""
    citation, resolution = item.citation, item.resolution
    subject = citation.id or " ".join(citation.text.split())
    reasons = status_reasons(resolution)
    notices = resolution.work.notices if resolution.work is not None else ()

    def message(label: str) -> str:
        why = "; ".join([notice_text(n) for n in notices if n.kind == label] + reasons)
        return f"{subject}: {label}" + (f" ({why})" if why else "")

    found = [
        Finding(category(label), source, citation.start, citation.end, subject, "", message(label))
        for label in (resolution.status,) + resolution.flags
        if label != VERIFIED
    ]
    for checked in item.claims:
        verdict = checked.verdict
        if verdict.verdict == SUPPORTED:
            continue
        why = "; ".join(verdict.reasons)
        found.append(Finding(
            category(verdict.verdict), source, checked.claim.start, checked.claim.end, subject, checked.claim.text,
            f"claim {verdict.verdict} by {subject}: {shorten(checked.claim.text, 160)}" + (f" ({why})" if why else ""),
        ))
    return found


def marker_findings(document: DocumentReport) -> list[Finding]:
    """One finding per unmatched marker. The sentence around the marker goes into the fingerprint, so
    two "[7]" in different sentences stay two findings, and an edit elsewhere changes neither."""
    if not document.unmatched_markers:
        return []
    sentences = sentence_spans(document.text)
    found = []
    for marker in document.unmatched_markers:
        sentence = next((document.text[s:e] for s, e in sentences if s <= marker.start < e), "")
        found.append(Finding(UNMATCHED_MARKER, document.source, marker.start, marker.end, marker.marker, sentence,
                             f"unmatched marker: {marker_problem(marker)}"))
    return found


def document_findings(document: DocumentReport) -> list[Finding]:
    """Every finding of one document, in the order of the text."""
    found: list[Finding] = []
    for item in document.citations:
        found += citation_findings(document.source, item)
    for claim in document.unsourced_claims:
        figures = f" [{', '.join(claim.figures)}]" if claim.figures else ""
        suggested = f"; {'; '.join(suggestion_notes(claim, 60))}" if claim.sources_searched else ""
        found.append(Finding(UNSOURCED, document.source, claim.start, claim.end, claim.text, claim.text,
                             f"unsourced claim: {shorten(claim.text, 160)}{figures}{suggested}"))
    # In text order, as a reader meets them (sorted() keeps a citation's own findings in their order).
    return sorted(found + marker_findings(document), key=lambda finding: finding.start)
