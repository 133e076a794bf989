"""Wording every format shares: shortened lines, tones of the labels, what an unmatched marker or a
suggested source is in words. Depends on nothing but the records."""
from __future__ import annotations

from ..records import (
    CANNOT_CHECK, CONTRADICTED, CORRECTED, EXPRESSION_OF_CONCERN, METADATA_MISMATCH, NOT_FOUND, NOT_SUPPORTED,
    PARTIALLY_SUPPORTED, RETRACTED, SUPPORTED, UNRESOLVED, VERIFIED, WRONG_WORK, UnmatchedMarker, UnsourcedClaim,
)


def shorten(text: str | None, width: int | None) -> str:
    """One line of at most `width` characters (None: the whole text on one line)."""
    text = " ".join((text or "").split())
    return text if width is None or len(text) <= width else text[: width - 1].rstrip() + "\u2026"


# Each label's tone, shared by the terminal colours and the HTML report.
TONES = {
    VERIFIED: "good", SUPPORTED: "good",
    METADATA_MISMATCH: "warn", PARTIALLY_SUPPORTED: "warn", CORRECTED: "warn",
    WRONG_WORK: "bad", NOT_FOUND: "bad", RETRACTED: "bad", EXPRESSION_OF_CONCERN: "bad", CONTRADICTED: "bad", NOT_SUPPORTED: "bad",
    UNRESOLVED: "grey", CANNOT_CHECK: "grey",
}


def marker_problem(marker: UnmatchedMarker) -> str:
    """What is wrong with an unmatched marker, in words: "[7] cites no entry in the reference list"."""
    written = shorten(marker.marker, 40)
    if all(isinstance(label, str) for label in marker.labels):
        return f"{written} has no footnote definition"
    if len(marker.labels) > 1:
        return f"{written} cites at least one number with no entry in the reference list"
    return f"{written} cites no entry in the reference list"


NOT_VERIFIED = "suggestion, not verified"


def suggestion_notes(claim: UnsourcedClaim, title_width: int | None) -> list[str]:
    """One line per suggested source of an unsourced claim, each marked as not verified, or why there is none."""
    notes = [
        f"{NOT_VERIFIED}: PMID {s.pmid} ({s.year or 'n.d.'}) {shorten(s.title, title_width)} (match {s.score:.2f})"
        for s in claim.suggestions
    ]
    if claim.suggestion_error:
        notes.append(f"suggested sources: {claim.suggestion_error}")
    elif not claim.suggestions:
        notes.append("suggested sources: a PubMed search found no candidate that matches the claim")
    return notes


def summary_line(summary: dict) -> str:
    """A Report.summary in one line."""
    found = ", ".join(f"{n} {k}" for k, n in summary["status"].items() if n) or "none"
    verdicts = ", ".join(f"{n} {k}" for k, n in summary["verdicts"].items() if n) or "none"
    flags = "".join(f", {n} {k}" for k, n in summary["flags"].items())
    markers = f"; {summary['unmatched_markers']} unmatched marker(s)" if summary["unmatched_markers"] else ""
    failed = f"; {summary['documents_failed']} document(s) could not be read" if summary["documents_failed"] else ""
    return (
        f"{summary['citations']} citation(s): {found}{flags}; {summary['claims']} claim(s): {verdicts}; "
        f"{summary['unsourced_claims']} unsourced claim(s){markers}{failed}"
    )
