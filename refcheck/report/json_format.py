"""--format json: the whole report as data (schema: refcheck/report.schema.json)."""
from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import asdict

from ..records import CheckedCitation, UnmatchedMarker, UnsourcedClaim, Work
from .baseline import Baseline
from .model import Report
from .names import DEFAULT_FAIL_ON, UNRESOLVED_FAIL
from .options import RenderOptions
from .sanitise import json_text

SCHEMA_VERSION = 1


def _unsourced_dict(claim: UnsourcedClaim) -> dict:
    entry = {"text": claim.text, "start": claim.start, "end": claim.end, "figures": list(claim.figures)}
    if claim.sources_searched:  # only with --suggest-sources: the output without it stays as it was
        entry["suggestions"] = [asdict(s) | {"score": round(s.score, 3), "verified": False} for s in claim.suggestions]
        entry["suggestion_error"] = claim.suggestion_error
    return entry


def _marker_dict(marker: UnmatchedMarker) -> dict:
    return {"marker": marker.marker, "labels": list(marker.labels), "start": marker.start, "end": marker.end}


def _work_dict(work: Work) -> dict:
    return {
        "title": work.title,
        "authors": [a.display() for a in work.authors],
        "year": work.year,
        "journal": work.journal,
        "journal_abbreviation": work.journal_abbreviation,
        "volume": work.volume,
        "issue": work.issue,
        "page": work.page,
        "doi": work.doi,
        "pmid": work.pmid,
        "pmcid": work.pmcid,
        "abstract": work.abstract,
        "publication_types": list(work.publication_types),
        "source": work.source,
        "notices": [{"kind": notice.kind, "id": str(notice.identifier)} for notice in work.notices],
    }


def _citation_dict(item: CheckedCitation, work_dict: Callable[[Work], object] = _work_dict) -> dict:
    citation, resolution, work = item.citation, item.resolution, item.resolution.work
    return {
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
        "work": None if work is None else work_dict(work),
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
    }


def to_dict(report: Report, fail_on=DEFAULT_FAIL_ON, baseline: Baseline | None = None, unresolved: str = UNRESOLVED_FAIL) -> dict:
    return _report_dict(report, fail_on, baseline, unresolved, lambda index, document: [_citation_dict(item) for item in document.citations])


def _report_dict(report: Report, fail_on, baseline: Baseline | None, unresolved: str, citations) -> dict:
    """The report as data, each document's "citations" being citations(index, document)."""
    documents = []
    for index, document in enumerate(report.documents):
        documents.append({
            "source": document.source,
            "error": document.error,
            "citations": citations(index, document),
            "unsourced_claims": [_unsourced_dict(u) for u in document.unsourced_claims],
            "unmatched_markers": [_marker_dict(m) for m in document.unmatched_markers],
            "identity": [{"id": str(own.identifier), "evidence": own.evidence} for own in document.identity],
        })
    return {
        "schema_version": SCHEMA_VERSION,
        "refcheck_version": report.version,
        "documents": documents,
        "summary": report.summary,
        "exit_code": report.exit_code(fail_on, baseline, unresolved),
    }


# Where a document's citations sit in the indented report: "documents" (2 spaces), a document (4), its keys (6),
# each citation (8); a citation's work one level further in.
_CITATION_INDENT, _CITATIONS_CLOSE_INDENT = " " * 8, " " * 6


def render_json(report: Report, options: RenderOptions) -> str:
    """json.dumps(to_dict(report), indent=2), built a citation at a time: json.dumps keeps every piece of the text
    (several per value) until it joins them, about 12 KB a citation in all, and to_dict every citation's dict; here
    the outline is written with a stand-in for each document's citations, and each citation is encoded (its lines
    indented to where it stands, json_text applied) and its dict dropped before the next; the pieces are joined
    once. A work is encoded once, where it is first cited, and spliced in where it is cited again. The text is the
    same to the character."""
    stand_in = f"citations-{os.urandom(16).hex()}"  # a document cannot guess it, so it cannot forge one
    outline = _report_dict(report, options.fail_on, options.baseline, options.unresolved, lambda index, document: f"{stand_in}-{index}")
    encoder = json.JSONEncoder(indent=2, ensure_ascii=False)
    between, work_between = "\n" + _CITATION_INDENT, "\n" + _CITATION_INDENT + "  "
    work_stand_in = f"work-{os.urandom(16).hex()}"
    encoded_works: dict[Work, str] = {}
    pieces = []
    for place, piece in enumerate(re.split(f'"{stand_in}-(\\d+)"', encoder.encode(outline))):
        if place % 2 == 0:
            pieces.append(json_text(piece))  # the outline up to the next document's citations
            continue
        citations = report.documents[int(piece)].citations
        if not citations:
            pieces.append("[]")
            continue
        for number, item in enumerate(citations):
            encoded = json_text(encoder.encode(_citation_dict(item, lambda work: work_stand_in))).replace("\n", between)
            work = item.resolution.work
            if work is not None:
                # a work cited a thousand times is encoded once (its abstract is most of a citation's text)
                if work not in encoded_works:
                    encoded_works[work] = json_text(encoder.encode(_work_dict(work))).replace("\n", work_between)
                encoded = encoded.replace(f'"{work_stand_in}"', encoded_works[work], 1)
            pieces += ("," if number else "[", between, encoded)
        pieces.append("\n" + _CITATIONS_CLOSE_INDENT + "]")
    pieces.append("\n")
    return "".join(pieces)
