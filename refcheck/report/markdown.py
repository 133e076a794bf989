"""--format markdown: for a pull request, a job summary or a wiki. Everything whole (a browser wraps it), every
piece of foreign text escaped (sanitise.markdown_text): no HTML, links or emphasis from a document or a service.

Per document: a heading, a table with one row per claim (labels C1, C2, ... as the HTML report's cards), then
the reasons as a list; then unreadable documents, the documents' own identifiers, unsourced claims, unmatched markers
and the summary line.
"""
from __future__ import annotations

from .model import Report
from .options import RenderOptions
from .sanitise import markdown_text
from .table import WIDE_COLUMNS, citation_header
from .text import (
    explanation, identity_note, marker_problem, needs_explaining, resolved_to, shorten, suggestion_notes, summary_line,
)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def markdown_table(rows: list[list[str]], headers: list[str]) -> str:
    """A GitHub-flavoured Markdown table; cells must already be escaped."""
    return "\n".join([_row(headers), _row(["---"] * len(headers))] + [_row(row) for row in rows])


def _document_rows(document) -> list[list[str]]:
    rows = []
    for number, item in enumerate(document.citations, 1):
        resolution = item.resolution
        citation = [markdown_text(shorten(item.citation.text, None)), markdown_text(item.citation.id or ""),
                    markdown_text(" ".join((resolution.status,) + resolution.flags)), markdown_text(resolved_to(item))]
        claims = [(markdown_text(shorten(c.claim.text, None)), markdown_text(c.verdict.verdict)) for c in item.claims] or [("", "")]
        rows += [[f"C{number}" if index == 0 else ""] + citation + list(claim) for index, claim in enumerate(claims)]
    return rows


def _reasons(document) -> list[str]:
    lines = []
    for number, item in enumerate(document.citations, 1):
        if not needs_explaining(item):
            continue
        resolution = item.resolution
        lines.append(f"- **C{number}** {markdown_text(item.citation.id or shorten(item.citation.text, None))} "
                     f"{markdown_text(' '.join((resolution.status,) + resolution.flags))}")
        lines += [f"  - {markdown_text(caption)}: {markdown_text(text)}" for caption, text in explanation(item)]
    return lines


def _notes(report: Report) -> list[str]:
    lines = []
    for document in report.documents:
        source = markdown_text(document.source)
        if document.error:
            lines.append(f"- error: {markdown_text(document.error)}")
        if document.identity:
            lines.append(f"- identity ({source}): {markdown_text(identity_note(document.identity))}")
        for claim in document.unsourced_claims:
            figures = f" \\[{markdown_text(', '.join(claim.figures))}\\]" if claim.figures else ""
            lines.append(f"- unsourced ({source}): {markdown_text(shorten(claim.text, None))}{figures}")
            if claim.sources_searched:
                lines += [f"  - {markdown_text(note)}" for note in suggestion_notes(claim, None)]
        lines += [f"- unmatched marker ({source}): {markdown_text(marker_problem(marker))}" for marker in document.unmatched_markers]
    return lines


def render_markdown(report: Report, options: RenderOptions) -> str:
    parts = []
    for document in report.documents:
        parts.append(f"## {markdown_text(document.source)}")
        rows = _document_rows(document)
        width = len(WIDE_COLUMNS) if any(item.claims for item in document.citations) else 5  # a bibliography: no claim columns
        headers = [citation_header(document) if column == "Citation" else column for column in WIDE_COLUMNS[:width]]
        parts.append(markdown_table([row[:width] for row in rows], headers) if rows else "(no citations found)")
        reasons = _reasons(document)
        if reasons:
            parts.append("**Reasons**\n\n" + "\n".join(reasons))
    notes = _notes(report)
    if notes:
        parts.append("\n".join(notes))
    parts.append(markdown_text(summary_line(report.summary)))
    return "\n\n".join(parts) + "\n"
