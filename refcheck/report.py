"""Render a Report: table, markdown, json, csv; its summary and exit code. Pure."""
from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import asdict

from .records import (
    CLAIM_VERDICTS, CITATION_STATUSES, CONTRADICTED, EXPRESSION_OF_CONCERN, METADATA_MISMATCH, NOT_FOUND,
    NOT_SUPPORTED, RETRACTED, UNRESOLVED, WRONG_WORK, CheckedCitation, Report,
)

SCHEMA_VERSION = 1
FORMATS = ("table", "markdown", "json", "csv")

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE, EXIT_INCOMPLETE = 0, 1, 2, 3
PROBLEM_STATUSES = {NOT_FOUND, WRONG_WORK, METADATA_MISMATCH}
PROBLEM_VERDICTS = {NOT_SUPPORTED, CONTRADICTED}
PROBLEM_FLAGS = {RETRACTED, EXPRESSION_OF_CONCERN}


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
        "incomplete": sum(1 for c in citations if _partly_checked(c)),
    }


def exit_code(report: Report) -> int:
    """2 an input could not be read; 1 a problem found; 3 something could not be checked; 0 all clean."""
    if any(d.error for d in report.documents):
        return EXIT_USAGE
    citations = [c for d in report.documents for c in d.citations]
    if any(
        c.resolution.status in PROBLEM_STATUSES
        or PROBLEM_FLAGS & set(c.resolution.flags)
        or any(cl.verdict.verdict in PROBLEM_VERDICTS for cl in c.claims)
        for c in citations
    ):
        return EXIT_PROBLEM
    if any(_partly_checked(c) for c in citations):
        return EXIT_INCOMPLETE
    return EXIT_OK


def to_dict(report: Report) -> dict:
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
            "unsourced_claims": [asdict(u) | {"figures": list(u.figures)} for u in document.unsourced_claims],
        })
    return {
        "schema_version": SCHEMA_VERSION,
        "refcheck_version": report.version,
        "documents": documents,
        "summary": summarize(report),
        "exit_code": exit_code(report),
    }


def shorten(text: str | None, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "\u2026"


def _resolved(item: CheckedCitation) -> str:
    work = item.resolution.work
    if work is None:
        return shorten("; ".join(item.resolution.reasons), 44)
    year = work.year or "n.d."
    return shorten(f"{work.first_author() or '?'} {year}. {work.title}. {work.journal}", 44)


def rows(report: Report, width: int = 40) -> list[list[str]]:
    table = []
    for document in report.documents:
        for item in document.citations:
            status = " ".join((item.resolution.status,) + item.resolution.flags)
            base = [shorten(item.citation.text, 28), item.citation.id or "", status, _resolved(item)]
            if not item.claims:
                table.append(base + ["", "", ""])
            for checked in item.claims:
                evidence = checked.verdict.evidence[0] if checked.verdict.evidence else "; ".join(checked.verdict.reasons)
                table.append(base + [shorten(checked.claim.text, width), checked.verdict.verdict, shorten(evidence, width)])
    return table


HEADERS = ["Citation", "Identifier", "Status", "Resolved to", "Claim", "Verdict", "Evidence / reason"]


def summary_line(report: Report) -> str:
    s = summarize(report)
    found = ", ".join(f"{n} {k}" for k, n in s["status"].items() if n) or "none"
    verdicts = ", ".join(f"{n} {k}" for k, n in s["verdicts"].items() if n) or "none"
    flags = "".join(f", {n} {k}" for k, n in s["flags"].items())
    failed = f"; {s['documents_failed']} document(s) could not be read" if s["documents_failed"] else ""
    return (
        f"{s['citations']} citation(s): {found}{flags}; {s['claims']} claim(s): {verdicts}; "
        f"{s['unsourced_claims']} unsourced claim(s){failed}"
    )


def _errors_and_unsourced(report: Report) -> list[str]:
    lines = []
    for document in report.documents:
        if document.error:
            lines.append(f"error: {document.error}")
        for claim in document.unsourced_claims:
            figures = f" [{', '.join(claim.figures)}]" if claim.figures else ""
            lines.append(f"unsourced ({document.source}): {shorten(claim.text, 110)}{figures}")
    return lines


def render(report: Report, fmt: str) -> str:
    from tabulate import tabulate

    if fmt == "json":
        return json.dumps(to_dict(report), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["source"] + HEADERS)
        for document in report.documents:
            single = Report((document,), report.version)
            for row in rows(single, width=10_000):
                writer.writerow([document.source] + row)
        return buffer.getvalue()
    tablefmt = "github" if fmt == "markdown" else "simple"
    parts = []
    for document in report.documents:
        single = Report((document,), report.version)
        title = f"## {document.source}" if fmt == "markdown" else document.source
        parts.append(title)
        body = rows(single)
        parts.append(tabulate(body, headers=HEADERS, tablefmt=tablefmt) if body else "(no citations found)")
    extra = _errors_and_unsourced(report)
    if extra:
        parts.append("\n".join(("- " + line) if fmt == "markdown" else line for line in extra))
    parts.append(summary_line(report))
    return "\n\n".join(parts) + "\n"
