"""--format table: for a terminal, a file or a pipe.

Per document: a table with one row per claim (or per citation that supports none), its cells shortened to fit
the terminal, then a reasons block with every reason, claim and evidence sentence whole, wrapped to the
terminal's width (in a file or a pipe each on one line). Rows and reasons are labelled C1, C2, ... as the
HTML report's cards. Then unreadable documents, the documents' own identifiers ("identity"), unsourced claims,
unmatched markers, and the summary line.
"""
from __future__ import annotations

import textwrap

from ..records import CheckedCitation, DocumentReport
from .model import Report
from .options import RenderOptions
from .text import (
    TONES, explanation, identity_note, marker_problem, needs_explaining, resolved_to, shorten, suggestion_notes, summary_line,
)

ANSI = {"good": "32", "warn": "33", "bad": "31", "grey": "90"}

WIDE_COLUMNS = ["#", "Citation", "Identifier", "Status", "Resolved to", "Claim", "Verdict"]
NARROW_COLUMNS = ["#", "Identifier", "Status", "Verdict", "Claim"]
NARROW_BELOW = 120  # terminal columns: under this the table keeps only the label, identifier, status, verdict and claim
CLAIMLESS_BELOW = 80  # and under this it leaves the claim to the reasons block
FIXED_WIDTHS = {"citation": 28, "resolved": 44, "claim": 40}  # files and pipes
LABEL, IDENTIFIER, STATUS, VERDICT = 4, 28, 30, 19  # widest cells of these columns on a terminal
NARROW_IDENTIFIER, NARROW_STATUS, NARROW_CLAIM, SHORTEST_IDENTIFIER = 20, 18, 12, 10
GAP = 2  # spaces between columns
INDENT = "    "
BIBLIOGRAPHY_FORMATS = ("bibtex", "ris", "csljson")


def _paint(labels, colour: bool) -> str:
    if not colour:
        return " ".join(labels)
    return " ".join(f"\x1b[{ANSI[TONES.get(label, 'grey')]}m{label}\x1b[0m" for label in labels)


def _status_cell(labels: tuple[str, ...], width: int | None, colour: bool) -> str:
    """A citation's status and flags, each in its colour; cut to `width` (then in the status's colour alone)."""
    joined = " ".join(labels)
    if width is None or len(joined) <= width:
        return _paint(labels, colour)
    cut = shorten(joined, width)
    return f"\x1b[{ANSI[TONES.get(labels[0], 'grey')]}m{cut}\x1b[0m" if colour else cut


def layout(width: int | None, claims: bool) -> tuple[list[str], dict[str, int | None]]:
    """(the columns, the widths of the cells that get cut) for a terminal of `width` columns (None: a file or a
    pipe, where identifier and status are never cut). A document without claims (a bibliography) gets no claim
    and verdict columns, and the room goes to the citation (its key) and the record it resolved to."""
    if width is None:
        columns = WIDE_COLUMNS if claims else WIDE_COLUMNS[:5]
        return columns, {"identifier": None, "status": None, **FIXED_WIDTHS}
    if not claims:
        if width < NARROW_BELOW:
            citation = max(SHORTEST_IDENTIFIER, width - LABEL - NARROW_IDENTIFIER - NARROW_STATUS - GAP * 3)
            return ["#", "Citation", "Identifier", "Status"], {"identifier": NARROW_IDENTIFIER, "status": NARROW_STATUS, "citation": citation}
        free = width - LABEL - IDENTIFIER - STATUS - GAP * 4
        return WIDE_COLUMNS[:5], {"identifier": IDENTIFIER, "status": STATUS, "citation": free // 3, "resolved": free * 2 // 3}
    if width < CLAIMLESS_BELOW:
        identifier = max(SHORTEST_IDENTIFIER, width - (LABEL - 1) - NARROW_STATUS - VERDICT - GAP * 3)
        return NARROW_COLUMNS[:4], {"identifier": identifier, "status": NARROW_STATUS}
    if width < NARROW_BELOW:
        fixed = LABEL + NARROW_IDENTIFIER + NARROW_STATUS + VERDICT + GAP * 4
        return NARROW_COLUMNS, {"identifier": NARROW_IDENTIFIER, "status": NARROW_STATUS, "claim": max(NARROW_CLAIM, width - fixed)}
    free = width - LABEL - IDENTIFIER - STATUS - VERDICT - GAP * 6
    return WIDE_COLUMNS, {"identifier": IDENTIFIER, "status": STATUS, "citation": free // 5, "resolved": free * 2 // 5, "claim": free * 2 // 5}


def citation_header(document: DocumentReport) -> str:
    """A bibliography's citations are its entries, named by their keys."""
    return "Key" if document.format in BIBLIOGRAPHY_FORMATS else "Citation"


def _rows(document: DocumentReport, columns: list[str], widths: dict, colour: bool) -> list[list[str]]:
    table = []
    for number, item in enumerate(document.citations, 1):
        resolution = item.resolution
        cells = {
            "Citation": shorten(item.citation.text, widths.get("citation")),
            "Identifier": shorten(item.citation.id or "", widths["identifier"]),
            "Status": _status_cell((resolution.status,) + resolution.flags, widths["status"], colour),
            "Resolved to": shorten(resolved_to(item) or "; ".join(resolution.reasons), widths.get("resolved")),
        }
        claims = [(shorten(c.claim.text, widths.get("claim")), _paint((c.verdict.verdict,), colour)) for c in item.claims] or [("", "")]
        for index, (claim, verdict) in enumerate(claims):
            row = cells | {"#": f"C{number}" if index == 0 else "", "Claim": claim, "Verdict": verdict}
            table.append([row[column] for column in columns])
    return table


def _wrapped(text: str, width: int | None, first: str, rest: str) -> list[str]:
    if width is None:
        return [first + text]
    return textwrap.wrap(text, width=max(width, len(rest) + 20), initial_indent=first, subsequent_indent=rest,
                         break_long_words=True, break_on_hyphens=False) or [first.rstrip()]


def _heading(number: int, item: CheckedCitation, colour: bool) -> str:
    resolution = item.resolution
    return f"C{number}  {item.citation.id or shorten(item.citation.text, 80)}  {_paint((resolution.status,) + resolution.flags, colour)}"


def reasons_block(document: DocumentReport, width: int | None, colour: bool) -> list[str]:
    """Every citation worth explaining (text.needs_explaining): a heading line, then each reason, claim and
    evidence whole, wrapped to `width` (None: one line each)."""
    lines = []
    for number, item in enumerate(document.citations, 1):
        if not needs_explaining(item):
            continue
        lines.append(_heading(number, item, colour))
        for caption, text in explanation(item):
            lines += _wrapped(text, width, f"{INDENT}{caption}: ", INDENT + "  ")
    return ["Reasons:"] + lines if lines else []


def notes_below(report: Report, width: int | None) -> list[str]:
    """Unreadable documents, the documents' own identifiers, unsourced claims (with their suggested sources) and
    unmatched markers, whole."""
    lines = []
    for document in report.documents:
        if document.error:
            lines += _wrapped(document.error, width, "error: ", "  ")
        if document.identity:
            lines += _wrapped(identity_note(document.identity), width, f"identity ({document.source}): ", "  ")
        for claim in document.unsourced_claims:
            figures = f" [{', '.join(claim.figures)}]" if claim.figures else ""
            lines += _wrapped(shorten(claim.text, None) + figures, width, f"unsourced ({document.source}): ", "  ")
            if claim.sources_searched:
                for note in suggestion_notes(claim, None):
                    lines += _wrapped(note, width, "  ", "    ")
        for marker in document.unmatched_markers:
            lines += _wrapped(marker_problem(marker), width, f"unmatched marker ({document.source}): ", "  ")
    return lines


def render_table(report: Report, options: RenderOptions) -> str:
    from tabulate import tabulate

    parts = []
    for document in report.documents:
        parts.append(document.source)
        columns, widths = layout(options.width, any(item.claims for item in document.citations))
        body = _rows(document, columns, widths, options.colour)
        headers = [citation_header(document) if column == "Citation" else column for column in columns]
        parts.append(tabulate(body, headers=headers, tablefmt="simple", disable_numparse=True) if body else "(no citations found)")
        block = reasons_block(document, options.width, options.colour)
        if block:
            parts.append("\n".join(block))
    notes = notes_below(report, options.width)
    if notes:
        parts.append("\n".join(notes))
    parts.append("\n".join(_wrapped(summary_line(report.summary), options.width, "", "")))
    return "\n\n".join(parts) + "\n"
