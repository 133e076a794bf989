"""--format csv: one line per row, every value whole (whitespace runs become one space, nothing is cut).

The first columns are the table's, for existing consumers; row_type, added last, says what a row is about:
  citation          a citation, or one claim it supports (Claim/Verdict set)
  unsourced         an unsourced claim: Claim is its text, Evidence / reason its figures and suggested sources
  unmatched-marker  Citation is the marker, Claim its sentence, Evidence / reason the problem
  error             a document that could not be read: Evidence / reason is the error
"""
from __future__ import annotations

import csv
import io

from .findings import UNMATCHED_MARKER, UNSOURCED, marker_findings
from .model import Report
from .options import RenderOptions
from .table import HEADERS, rows
from .text import marker_problem, shorten, suggestion_notes

CSV_HEADERS = ["source"] + HEADERS + ["row_type"]
CITATION_ROW, ERROR_ROW = "citation", "error"


def _csv_note(source: str, row_type: str, citation: str = "", claim: str = "", reason: str = "") -> list[str]:
    """A row for something other than a citation: only Citation, Claim and Evidence / reason apply."""
    return [source, shorten(citation, None), "", "", "", shorten(claim, None), "", shorten(reason, None), row_type]


def render_csv(report: Report, options: RenderOptions) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADERS)
    for document in report.documents:
        source = document.source
        if document.error:
            writer.writerow(_csv_note(source, ERROR_ROW, reason=document.error))
        for row in rows(document, full=True):
            writer.writerow([source] + row + [CITATION_ROW])
        for claim in document.unsourced_claims:
            figures = [f"figures: {', '.join(claim.figures)}"] if claim.figures else []
            suggested = suggestion_notes(claim, None) if claim.sources_searched else []
            writer.writerow(_csv_note(source, UNSOURCED, claim=claim.text, reason="; ".join(figures + suggested)))
        for marker, finding in zip(document.unmatched_markers, marker_findings(document)):
            writer.writerow(_csv_note(source, UNMATCHED_MARKER, citation=marker.marker, claim=finding.claim, reason=marker_problem(marker)))
    return buffer.getvalue()
