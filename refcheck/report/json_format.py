"""--format json: the whole report as data (schema: refcheck/report.schema.json)."""
from __future__ import annotations

import json
from dataclasses import asdict

from ..records import UnmatchedMarker, UnsourcedClaim
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


def to_dict(report: Report, fail_on=DEFAULT_FAIL_ON, baseline: Baseline | None = None, unresolved: str = UNRESOLVED_FAIL) -> dict:
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
        "summary": report.summary,
        "exit_code": report.exit_code(fail_on, baseline, unresolved),
    }


def render_json(report: Report, options: RenderOptions) -> str:
    return json_text(json.dumps(to_dict(report, options.fail_on, options.baseline, options.unresolved), indent=2, ensure_ascii=False)) + "\n"
