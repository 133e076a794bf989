"""Findings: the things in a checked document a reviewer may want to act on, their kinds (what
--fail-on names) and their fingerprints (what a baseline records)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ..records import SUPPORTED, VERIFIED, CheckedCitation, DocumentReport
from ..extract.sentences import sentence_spans
from .names import UNMATCHED_MARKER, UNSOURCED, category
from .sanitise import visible
from .text import marker_problem, notice_text, shorten, status_reasons, suggestion_notes


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
