"""Render a Report (table, markdown, json, csv, github, junit), its findings, summary and exit code. Pure.

The HTML report lives in html_report.py; everything here is plain text.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections import Counter
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from .records import (
    CLAIM_VERDICTS, CITATION_STATUSES, CONTRADICTED, CORRECTED, EXPRESSION_OF_CONCERN, METADATA_MISMATCH, NOT_FOUND,
    NOT_SUPPORTED, PARTIALLY_SUPPORTED, RETRACTED, SUPPORTED, UNRESOLVED, VERIFIED, WRONG_WORK, CANNOT_CHECK,
    CheckedCitation, DocumentReport, Report, UnmatchedMarker, UnsourcedClaim,
)
from .extract.sentences import sentence_spans

if TYPE_CHECKING:  # baseline imports this module
    from .baseline import Baseline

SCHEMA_VERSION = 1
FORMATS = ("table", "markdown", "json", "csv", "html", "github", "junit")

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE, EXIT_INCOMPLETE = 0, 1, 2, 3
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
        """Stable across runs and unrelated edits: no offsets, whitespace-insensitive."""
        parts = [self.source, self.category, " ".join(self.subject.split()), " ".join(self.claim.split())]
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]


def _citation_findings(source: str, item: CheckedCitation) -> list[Finding]:
    citation, resolution = item.citation, item.resolution
    subject = citation.id or " ".join(citation.text.split())
    reasons = "; ".join(resolution.reasons)
    found = [
        Finding(category(label), source, citation.start, citation.end, subject, "", f"{subject}: {label}" + (f" ({reasons})" if reasons else ""))
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


def findings(report: Report) -> list[Finding]:
    """Every finding of every document, in document order."""
    found: list[Finding] = []
    for document in report.documents:
        for item in document.citations:
            found += _citation_findings(document.source, item)
        for claim in document.unsourced_claims:
            figures = f" [{', '.join(claim.figures)}]" if claim.figures else ""
            suggested = f"; {'; '.join(suggestion_notes(claim, 60))}" if claim.sources_searched else ""
            found.append(Finding(UNSOURCED, document.source, claim.start, claim.end, claim.text, claim.text,
                                 f"unsourced claim: {shorten(claim.text, 160)}{figures}{suggested}"))
        found += _marker_findings(document)
    return found


def marker_problem(marker: UnmatchedMarker) -> str:
    """What is wrong with an unmatched marker, in words: "[7] cites no entry in the reference list"."""
    written = shorten(marker.marker, 40)
    if all(isinstance(label, str) for label in marker.labels):
        return f"{written} has no footnote definition"
    if len(marker.labels) > 1:
        return f"{written} cites at least one number with no entry in the reference list"
    return f"{written} cites no entry in the reference list"


def _marker_findings(document: DocumentReport) -> list[Finding]:
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


def _unsourced_dict(claim: UnsourcedClaim) -> dict:
    entry = {"text": claim.text, "start": claim.start, "end": claim.end, "figures": list(claim.figures)}
    if claim.sources_searched:  # only with --suggest-sources: the output without it stays as it was
        entry["suggestions"] = [asdict(s) | {"score": round(s.score, 3), "verified": False} for s in claim.suggestions]
        entry["suggestion_error"] = claim.suggestion_error
    return entry


def _marker_dict(marker: UnmatchedMarker) -> dict:
    return {"marker": marker.marker, "labels": list(marker.labels), "start": marker.start, "end": marker.end}


def new_findings(found: list[Finding], baseline: Baseline | None) -> list[Finding]:
    """Findings beyond those the baseline recorded; a fingerprint recorded n times excuses n occurrences."""
    if not baseline:
        return list(found)
    remaining = Counter(baseline.counts)
    fresh = []
    for finding in found:
        key = baseline.key(finding)
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            fresh.append(finding)
    return fresh


def failing(report: Report, fail_on=DEFAULT_FAIL_ON, baseline: Baseline | None = None) -> list[Finding]:
    """The findings that make the run fail: of a --fail-on category and not in the baseline."""
    return [f for f in new_findings(findings(report), baseline) if f.category in fail_on]


def _partly_checked(item: CheckedCitation) -> bool:
    return item.resolution.status == UNRESOLVED or any(r.startswith("partly checked") for r in item.resolution.reasons)


def summarize(report: Report) -> dict:
    citations = [c for d in report.documents for c in d.citations]
    statuses = Counter(c.resolution.status for c in citations)
    verdicts = Counter(cl.verdict.verdict for c in citations for cl in c.claims)
    flags = Counter(f for c in citations for f in c.resolution.flags)
    return {
        "documents": len(report.documents),
        "documents_failed": sum(1 for d in report.documents if d.error),
        "citations": len(citations),
        "claims": sum(verdicts.values()),
        "status": {s: statuses.get(s, 0) for s in CITATION_STATUSES},
        "verdicts": {v: verdicts.get(v, 0) for v in CLAIM_VERDICTS},
        "flags": dict(sorted(flags.items())),
        "unsourced_claims": sum(len(d.unsourced_claims) for d in report.documents),
        "unmatched_markers": sum(len(d.unmatched_markers) for d in report.documents),
        "incomplete": sum(1 for c in citations if _partly_checked(c)),
    }


def exit_code(report: Report, fail_on=DEFAULT_FAIL_ON, baseline: Baseline | None = None) -> int:
    """2 an input could not be read; 1 a --fail-on finding not in the baseline; 3 something could not be
    checked; 0 all clean."""
    if any(d.error for d in report.documents):
        return EXIT_USAGE
    if failing(report, fail_on, baseline):
        return EXIT_PROBLEM
    if any(_partly_checked(c) for d in report.documents for c in d.citations):
        return EXIT_INCOMPLETE
    return EXIT_OK


def to_dict(report: Report, fail_on=DEFAULT_FAIL_ON, baseline: Baseline | None = None) -> dict:
    documents = []
    for document in report.documents:
        citations = []
        for item in document.citations:
            citation, resolution, work = item.citation, item.resolution, item.resolution.work
            citations.append({
                "kind": citation.kind,
                "id": citation.id,
                "identifiers": [str(i) for i in citation.identifiers],
                "text": citation.text,
                "start": citation.start,
                "end": citation.end,
                "status": resolution.status,
                "flags": list(resolution.flags),
                "reasons": list(resolution.reasons),
                "cited": asdict(citation.cited) if citation.cited else None,
                "work": None if work is None else {
                    "title": work.title,
                    "authors": [a.display() for a in work.authors],
                    "year": work.year,
                    "journal": work.journal,
                    "volume": work.volume,
                    "issue": work.issue,
                    "page": work.page,
                    "doi": work.doi,
                    "pmid": work.pmid,
                    "pmcid": work.pmcid,
                    "abstract": work.abstract,
                    "publication_types": list(work.publication_types),
                    "source": work.source,
                },
                "claims": [
                    {
                        "text": cl.claim.text,
                        "start": cl.claim.start,
                        "end": cl.claim.end,
                        "verdict": cl.verdict.verdict,
                        "evidence": list(cl.verdict.evidence),
                        "reasons": list(cl.verdict.reasons),
                        "score": round(cl.verdict.score, 3),
                    }
                    for cl in item.claims
                ],
            })
        documents.append({
            "source": document.source,
            "error": document.error,
            "citations": citations,
            "unsourced_claims": [_unsourced_dict(u) for u in document.unsourced_claims],
            "unmatched_markers": [_marker_dict(m) for m in document.unmatched_markers],
        })
    return {
        "schema_version": SCHEMA_VERSION,
        "refcheck_version": report.version,
        "documents": documents,
        "summary": summarize(report),
        "exit_code": exit_code(report, fail_on, baseline),
    }


@dataclass(frozen=True)
class RenderOptions:
    """How to render: terminal width and colour (table), what fails (github, junit, json), and the source
    files' raw text by source (github line numbers)."""

    width: int | None = None  # terminal columns; None keeps the fixed layout used for files and pipes
    colour: bool = False
    fail_on: frozenset = DEFAULT_FAIL_ON
    baseline: Baseline | None = None
    source_texts: dict | None = None


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


def rows(report: Report, width: int | None = None, colour: bool = False, full: bool = False) -> list[list[str]]:
    """Table rows, one per claim (or per citation without claims), sized for a terminal of `width` columns;
    `full` keeps every cell whole (CSV)."""
    citation_width, resolved_width, text_width = (None, None, None) if full else _column_widths(width)
    narrow = width is not None and width < NARROW_BELOW
    if narrow:
        text_width = max(20, width - IDENTIFIER_WIDTH - STATUS_WIDTH - VERDICT_WIDTH - 2 * 3)
    table = []
    for document in report.documents:
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


def summary_line(report: Report) -> str:
    s = summarize(report)
    found = ", ".join(f"{n} {k}" for k, n in s["status"].items() if n) or "none"
    verdicts = ", ".join(f"{n} {k}" for k, n in s["verdicts"].items() if n) or "none"
    flags = "".join(f", {n} {k}" for k, n in s["flags"].items())
    markers = f"; {s['unmatched_markers']} unmatched marker(s)" if s["unmatched_markers"] else ""
    failed = f"; {s['documents_failed']} document(s) could not be read" if s["documents_failed"] else ""
    return (
        f"{s['citations']} citation(s): {found}{flags}; {s['claims']} claim(s): {verdicts}; "
        f"{s['unsourced_claims']} unsourced claim(s){markers}{failed}"
    )


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


# CSV: one line per row, every value whole (whitespace runs become one space, nothing is cut). The first
# columns are the table's, for existing consumers; row_type, added last, says what a row is about:
#   citation          a citation, or one claim it supports (Claim/Verdict set)
#   unsourced         an unsourced claim: Claim is its text, Evidence / reason its figures and suggested sources
#   unmatched-marker  Citation is the marker, Claim its sentence, Evidence / reason the problem
#   error             a document that could not be read: Evidence / reason is the error
CSV_HEADERS = ["source"] + HEADERS + ["row_type"]
CITATION_ROW, ERROR_ROW = "citation", "error"


def _csv_note(source: str, row_type: str, citation: str = "", claim: str = "", reason: str = "") -> list[str]:
    """A row for something other than a citation: only Citation, Claim and Evidence / reason apply."""
    return [source, shorten(citation, None), "", "", "", shorten(claim, None), "", shorten(reason, None), row_type]


def _csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADERS)
    for document in report.documents:
        source = document.source
        if document.error:
            writer.writerow(_csv_note(source, ERROR_ROW, reason=document.error))
        for row in rows(Report((document,), report.version), full=True):
            writer.writerow([source] + row + [CITATION_ROW])
        for claim in document.unsourced_claims:
            figures = [f"figures: {', '.join(claim.figures)}"] if claim.figures else []
            suggested = suggestion_notes(claim, None) if claim.sources_searched else []
            writer.writerow(_csv_note(source, UNSOURCED, claim=claim.text, reason="; ".join(figures + suggested)))
        for marker, finding in zip(document.unmatched_markers, _marker_findings(document)):
            writer.writerow(_csv_note(source, UNMATCHED_MARKER, citation=marker.marker, claim=finding.claim, reason=marker_problem(marker)))
    return buffer.getvalue()


def _table(report: Report, fmt: str, options: RenderOptions) -> str:
    from tabulate import tabulate

    markdown = fmt == "markdown"
    tablefmt = "github" if markdown else "simple"
    narrow = options.width is not None and options.width < NARROW_BELOW
    parts = []
    for document in report.documents:
        parts.append(f"## {document.source}" if markdown else document.source)
        body = rows(Report((document,), report.version), options.width, options.colour)
        if markdown:  # a bare "|" in a cell would end the cell
            body = [[cell.replace("|", "\\|") for cell in row] for row in body]
        headers = NARROW_HEADERS if narrow else HEADERS
        parts.append(tabulate(body, headers=headers, tablefmt=tablefmt) if body else "(no citations found)")
    extra = _notes_below_table(report, whole=markdown)
    if extra:
        bullet = "- " if markdown else ""
        parts.append("\n".join("  " * depth + bullet + line for depth, line in extra))
    parts.append(summary_line(report))
    return "\n\n".join(parts) + "\n"


def render(report: Report, fmt: str, options: RenderOptions | None = None) -> str:
    options = options or RenderOptions()
    if fmt == "json":
        return json.dumps(to_dict(report, options.fail_on, options.baseline), indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return _csv(report)
    if fmt == "github":
        return github_annotations(report, options)
    if fmt == "junit":
        return junit_xml(report, options)
    if fmt == "html":
        from .html_report import render_html

        return render_html(report, options.fail_on, options.baseline)
    return _table(report, fmt, options)


# --- source line numbers -------------------------------------------------------------------------

# What the raw file has and the extracted text has not: tags, entities, Markdown link targets. Blanked out
# (same length, so offsets stay), the words of a snippet are matched with anything but letters and digits
# between them: a claim ends "adults.[7]" where the HTML has "adults.<sup><a href="#ref7">[7]</a></sup>".
_MARKUP = re.compile(r"<[^<>]*>|&[#\w]+;|\]\([^()\s]*\)")
_WORD = re.compile(r"[^\W_]+")


def _snippet_pattern(snippet: str) -> re.Pattern | None:
    words = _WORD.findall(snippet)
    if not words:
        return None
    return re.compile(r"[\W_]+".join(re.escape(w) for w in words[:12]))


def source_line(extracted: str, start: int, end: int, raw: str | None = None) -> int:
    """The 1-based line in the raw source file of extracted[start:end].

    Offsets refer to the extracted text. Where the raw file is that text (plain text) the line is exact.
    Otherwise (Markdown links, HTML markup) the k-th occurrence of the same words in the extracted text is
    taken to be the k-th occurrence in the raw file, words allowed to be separated by punctuation, tags,
    entities or link targets;
    failing that, the line at the same relative position.
    """
    if raw is None or raw == extracted:
        return extracted.count("\n", 0, start) + 1
    pattern = _snippet_pattern(extracted[start:end])
    if pattern is not None:
        before = sum(1 for _ in pattern.finditer(extracted, 0, start))
        occurrences = list(pattern.finditer(_MARKUP.sub(lambda markup: " " * len(markup.group()), raw)))
        if before < len(occurrences):
            return raw.count("\n", 0, occurrences[before].start()) + 1
    relative = int(start / max(1, len(extracted)) * len(raw))
    return raw.count("\n", 0, relative) + 1


# --- GitHub Actions annotations ------------------------------------------------------------------

def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _document_texts(report: Report) -> dict[str, DocumentReport]:
    return {d.source: d for d in report.documents}


def _fails(failing_prints: Counter, finding: Finding) -> bool:
    """Whether this occurrence of the finding fails the run; counts it off, since a fingerprint may recur
    and the baseline may excuse only some of its occurrences."""
    if failing_prints[finding.fingerprint] > 0:
        failing_prints[finding.fingerprint] -= 1
        return True
    return False


def github_annotations(report: Report, options: RenderOptions) -> str:
    """One workflow command per finding: ::error for failing findings, ::warning for the rest."""
    documents = _document_texts(report)
    raw_texts = options.source_texts or {}
    failing_prints = Counter(f.fingerprint for f in failing(report, options.fail_on, options.baseline))
    lines = [
        f"::error file={_escape_property(d.source)},title=refcheck::{_escape_data(d.error)}"
        for d in report.documents if d.error
    ]
    for finding in findings(report):
        document = documents[finding.source]
        line = source_line(document.text, finding.start, finding.end, raw_texts.get(finding.source))
        level = "error" if _fails(failing_prints, finding) else "warning"
        properties = f"file={_escape_property(finding.source)},line={line},title={_escape_property('refcheck ' + finding.category)}"
        lines.append(f"::{level} {properties}::{_escape_data(finding.message)}")
    lines.append(f"::notice title=refcheck::{_escape_data(summary_line(report))}")
    return "\n".join(lines) + "\n"


# --- JUnit XML -----------------------------------------------------------------------------------

def junit_xml(report: Report, options: RenderOptions) -> str:
    """One <testsuite> per document, one <testcase> per citation and per unmatched marker (named with its
    line); a failing finding is a <failure>, a citation that could not be checked is <skipped>. No
    timestamps: the output is deterministic."""
    import xml.etree.ElementTree as ET

    raw_texts = options.source_texts or {}
    failing_prints = Counter(f.fingerprint for f in failing(report, options.fail_on, options.baseline))
    suites = ET.Element("testsuites", name="refcheck")
    totals = Counter()
    for document in report.documents:
        suite = ET.SubElement(suites, "testsuite", name=document.source)
        counts = Counter()
        if document.error:
            case = ET.SubElement(suite, "testcase", classname=document.source, name="load")
            ET.SubElement(case, "error", message=document.error, type="input-error")
            counts.update(tests=1, errors=1)
        for index, item in enumerate(document.citations, 1):
            name = f"{index}: {item.citation.id or shorten(item.citation.text, 80)}"
            case = ET.SubElement(suite, "testcase", classname=document.source, name=name)
            counts["tests"] += 1
            failed = [finding for finding in _citation_findings(document.source, item) if _fails(failing_prints, finding)]
            if failed:
                counts["failures"] += 1
                failure = ET.SubElement(case, "failure", message=failed[0].message, type=",".join(dict.fromkeys(f.category for f in failed)))
                failure.text = "\n".join(f.message for f in failed)
            elif _partly_checked(item):
                counts["skipped"] += 1
                ET.SubElement(case, "skipped", message="could not check: " + "; ".join(item.resolution.reasons))
            details = [f"status: {' '.join((item.resolution.status,) + item.resolution.flags)}"]
            details += [f"claim ({c.verdict.verdict}): {c.claim.text}" for c in item.claims]
            ET.SubElement(case, "system-out").text = "\n".join(details)
        for finding in _marker_findings(document):
            line = source_line(document.text, finding.start, finding.end, raw_texts.get(document.source))
            case = ET.SubElement(suite, "testcase", classname=document.source, name=f"line {line}: unmatched marker {shorten(finding.subject, 40)}")
            counts["tests"] += 1
            if _fails(failing_prints, finding):
                counts["failures"] += 1
                ET.SubElement(case, "failure", message=finding.message, type=finding.category)
            ET.SubElement(case, "system-out").text = finding.message
        for key in ("tests", "failures", "errors", "skipped"):
            suite.set(key, str(counts[key]))
        totals.update(counts)
    for key in ("tests", "failures", "errors", "skipped"):
        suites.set(key, str(totals[key]))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
