"""--format table (the terminal) and --format markdown (a pull request): one row per claim."""
from __future__ import annotations

from ..records import CheckedCitation, DocumentReport
from .model import Report
from .options import RenderOptions
from .text import TONES, marker_problem, shorten, suggestion_notes, summary_line

ANSI = {"good": "32", "warn": "33", "bad": "31", "grey": "90"}


def _paint(labels, colour: bool) -> str:
    if not colour:
        return " ".join(labels)
    return " ".join(f"\x1b[{ANSI[TONES.get(label, 'grey')]}m{label}\x1b[0m" for label in labels)


HEADERS = ["Citation", "Identifier", "Status", "Resolved to", "Claim", "Verdict", "Evidence / reason"]
NARROW_HEADERS = ["Identifier", "Status", "Claim", "Verdict"]
# Fixed layout (files, pipes): citation, resolved-to, claim/evidence widths.
FIXED_WIDTHS = (28, 44, 40)
NARROW_BELOW = 120  # columns: under this the table keeps only identifier, status, claim and verdict
STATUS_WIDTH, VERDICT_WIDTH, IDENTIFIER_WIDTH = 30, 19, 28


def _column_widths(width: int | None) -> tuple[int, int, int]:
    if width is None:
        return FIXED_WIDTHS
    # Two spaces between the seven columns; the rest is shared by the four free-text columns.
    free = max(40, width - IDENTIFIER_WIDTH - STATUS_WIDTH - VERDICT_WIDTH - 2 * 6)
    return free // 5, free // 4, free // 4


def _resolved(item: CheckedCitation, width: int | None) -> str:
    work = item.resolution.work
    if work is None:
        return shorten("; ".join(item.resolution.reasons), width)
    year = work.year or "n.d."
    return shorten(f"{work.first_author() or '?'} {year}. {work.title}. {work.journal}", width)


def rows(document: DocumentReport, width: int | None = None, colour: bool = False, full: bool = False) -> list[list[str]]:
    """Table rows, one per claim (or per citation without claims), sized for a terminal of `width` columns;
    `full` keeps every cell whole (CSV)."""
    citation_width, resolved_width, text_width = (None, None, None) if full else _column_widths(width)
    narrow = width is not None and width < NARROW_BELOW
    if narrow:
        text_width = max(20, width - IDENTIFIER_WIDTH - STATUS_WIDTH - VERDICT_WIDTH - 2 * 3)
    table = []
    for item in document.citations:
        status = _paint((item.resolution.status,) + item.resolution.flags, colour)
        identifier = shorten(item.citation.id or "", IDENTIFIER_WIDTH) if width else item.citation.id or ""
        base = [identifier, status] if narrow else [
            shorten(item.citation.text, citation_width), identifier, status, _resolved(item, resolved_width),
        ]
        if not item.claims:
            table.append(base + [""] * (2 if narrow else 3))
        for checked in item.claims:
            verdict = checked.verdict
            claim_cells = [shorten(checked.claim.text, text_width), _paint((verdict.verdict,), colour)]
            if not narrow:
                evidence = verdict.evidence[0] if verdict.evidence else "; ".join(verdict.reasons)
                claim_cells.append(shorten(evidence, text_width))
            table.append(base + claim_cells)
    return table


def _notes_below_table(report: Report, whole: bool = False) -> list[tuple[int, str]]:
    """(depth, line): errors, unsourced claims and unmatched markers at depth 0, a claim's suggested sources under
    it; `whole` keeps claims and titles uncut (Markdown is read in a PR, where a cut claim cannot be acted on)."""
    claim_width, title_width = (None, None) if whole else (110, 80)
    lines = []
    for document in report.documents:
        if document.error:
            lines.append((0, f"error: {document.error}"))
        for claim in document.unsourced_claims:
            figures = f" [{', '.join(claim.figures)}]" if claim.figures else ""
            lines.append((0, f"unsourced ({document.source}): {shorten(claim.text, claim_width)}{figures}"))
            if claim.sources_searched:
                lines += [(1, note) for note in suggestion_notes(claim, title_width)]
        lines += [(0, f"unmatched marker ({document.source}): {marker_problem(marker)}") for marker in document.unmatched_markers]
    return lines


def render_table(report: Report, options: RenderOptions, markdown: bool = False) -> str:
    from tabulate import tabulate

    tablefmt = "github" if markdown else "simple"
    narrow = options.width is not None and options.width < NARROW_BELOW
    parts = []
    for document in report.documents:
        parts.append(f"## {document.source}" if markdown else document.source)
        body = rows(document, options.width, options.colour)
        if markdown:  # a bare "|" in a cell would end the cell
            body = [[cell.replace("|", "\\|") for cell in row] for row in body]
        headers = NARROW_HEADERS if narrow else HEADERS
        parts.append(tabulate(body, headers=headers, tablefmt=tablefmt) if body else "(no citations found)")
    extra = _notes_below_table(report, whole=markdown)
    if extra:
        bullet = "- " if markdown else ""
        parts.append("\n".join("  " * depth + bullet + line for depth, line in extra))
    parts.append(summary_line(report.summary))
    return "\n\n".join(parts) + "\n"


def render_markdown(report: Report, options: RenderOptions) -> str:
    return render_table(report, options, markdown=True)
