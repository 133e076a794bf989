"""--format csv: one line per row, every value whole (whitespace runs become one space, nothing is cut), every
cell safe to open in a spreadsheet (sanitise.csv_cell).

Columns: source, then
  Citation       the citation as written (an unmatched marker's row: the marker)
  Identifier     its normalised DOI, PMID or PMCID
  Status         the citation's status and flags ("VERIFIED CORRECTED")
  Status reason  why it has that status, and the retraction or correction notices its record names ("; " between)
  Resolved to    the record it resolved to: first author, year, title, journal
  Claim          the claim the citation supports (an unsourced claim's row: the claim; a marker's: its sentence)
  Verdict        the claim's verdict
  Evidence       the abstract's (or title's) sentences the verdict rests on, " […] " between them
  Reason         why the claim has that verdict ("; " between reasons); an unsourced claim's figures and
                 suggested sources; an unmatched marker's problem; an unreadable document's error
  row_type       citation | unsourced | unmatched-marker | error
A citation has one row per claim, or one row when it supports none.
"""
from __future__ import annotations

import csv
import io

from ..records import CheckedCitation
from .findings import marker_findings
from .names import UNMATCHED_MARKER, UNSOURCED
from .model import Report
from .options import RenderOptions
from .sanitise import csv_cell
from .text import evidence_text, marker_problem, notice_text, resolved_to, shorten, status_reasons, suggestion_notes

CSV_HEADERS = ["source", "Citation", "Identifier", "Status", "Status reason", "Resolved to", "Claim", "Verdict", "Evidence", "Reason",
               "row_type"]
CITATION_ROW, ERROR_ROW = "citation", "error"


def _note(source: str, row_type: str, citation: str = "", claim: str = "", reason: str = "") -> list[str]:
    """A row for something other than a citation: only Citation, Claim and Reason apply."""
    return [source, citation, "", "", "", "", claim, "", "", reason, row_type]


def _citation_rows(source: str, item: CheckedCitation) -> list[list[str]]:
    resolution = item.resolution
    citation = [source, item.citation.text, item.citation.id or "", " ".join((resolution.status,) + resolution.flags),
                "; ".join(status_reasons(resolution) + [notice_text(n) for n in (resolution.work.notices if resolution.work else ())]),
                resolved_to(item)]
    if not item.claims:
        return [citation + ["", "", "", "", CITATION_ROW]]
    return [
        citation + [checked.claim.text, checked.verdict.verdict, evidence_text(checked.verdict.evidence), "; ".join(checked.verdict.reasons),
                    CITATION_ROW]
        for checked in item.claims
    ]


def render_csv(report: Report, options: RenderOptions) -> str:
    rows = []
    for document in report.documents:
        source = document.source
        if document.error:
            rows.append(_note(source, ERROR_ROW, reason=document.error))
        for item in document.citations:
            rows += _citation_rows(source, item)
        for claim in document.unsourced_claims:
            figures = [f"figures: {', '.join(claim.figures)}"] if claim.figures else []
            suggested = suggestion_notes(claim, None) if claim.sources_searched else []
            rows.append(_note(source, UNSOURCED, claim=claim.text, reason="; ".join(figures + suggested)))
        for marker, finding in zip(document.unmatched_markers, marker_findings(document)):
            rows.append(_note(source, UNMATCHED_MARKER, citation=marker.marker, claim=finding.claim, reason=marker_problem(marker)))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADERS)
    writer.writerows([csv_cell(shorten(cell, None)) for cell in row] for row in rows)
    return buffer.getvalue()
