"""Pure functions from what the services answered to each citation's verdict.

No I/O: the Resolver gathers every Lookup of a run into `Lookups`, and `judge` reads only that.
Only an authority's explicit answer makes a citation NOT_FOUND; a failure anywhere makes it
UNRESOLVED with the reason.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..metadata import compare_metadata, fold, title_similarity, validate_candidate
from ..records import (
    ABSENT, FAILED, FOUND, METADATA_MISMATCH, NOT_FOUND, UNRESOLVED, VERIFIED, Citation, CitedMetadata, Identifier, Lookup,
    Resolution, Work,
)


@dataclass(frozen=True)
class Lookups:
    """Everything one run learnt, by service and key; judge() reads only this."""

    crossref: dict
    doi_links: dict
    pmcid_links: dict
    pubmed: dict
    references: dict  # reference_key -> the validated match (FOUND), no match (ABSENT) or FAILED


def narrow_links(searched: dict[str, Lookup], pubmed: dict[str, Lookup], field: str) -> dict[str, tuple[Lookup, None]]:
    """An esearch answers a batch of OR'ed terms: keep for each term the PMID whose record carries it."""
    narrowed = {}
    for key, lookup in searched.items():
        if lookup.outcome != FOUND:
            narrowed[key] = (lookup, None)
            continue
        fetched = [pubmed[i.value] for i in lookup.related]
        matches = [r.work.pmid for r in fetched if r.outcome == FOUND and (getattr(r.work, field) or "").lower() == key.lower()]
        if matches:
            narrowed[key] = (replace(lookup, related=(Identifier("pmid", matches[0]),)), None)
        elif any(r.outcome == FAILED for r in fetched):
            narrowed[key] = (replace(lookup, outcome=FAILED, related=(), reason="PubMed found records but could not fetch them"), None)
        else:
            narrowed[key] = (replace(lookup, outcome=ABSENT, related=(), reason=f"no PubMed record with this {field.upper()}"), None)
    return narrowed


def searchable(cited: CitedMetadata | None) -> bool:
    """Enough to search on and to validate a candidate against."""
    return cited is not None and bool(cited.title or (cited.authors and cited.year and (cited.volume or cited.first_page)))


def reference_key(cited: CitedMetadata) -> str:
    """A stable cache key for a reference: its cited fields, normalised."""
    parts = [fold(cited.title or ""), fold(" ".join(cited.authors[:1])), str(cited.year or ""), fold(cited.journal or ""), cited.volume or "", cited.issue or "", cited.first_page or ""]
    return "|".join(parts)


def citmatch_line(cited: CitedMetadata) -> str:
    """ECitMatch's fields journal|year|volume|first_page|author (no '|' or CR inside a field)."""
    def clean(value) -> str:
        return re.sub(r"[|\r\n]+", " ", str(value or "")).strip()

    author = f"{cited.authors[0]}" if cited.authors else ""
    return "|".join([clean(cited.journal), clean(cited.year), clean(cited.volume), clean(cited.first_page), clean(author)])


def bibliographic_query(cited: CitedMetadata) -> str:
    return " ".join(str(part) for part in (cited.authors[0] if cited.authors else "", cited.title, cited.journal, cited.year, cited.volume, cited.first_page) if part)


def match_reason(how: str, score: float, agreeing: tuple[str, ...]) -> str:
    return f"no identifier given; matched by {how} (score {score:.2f}; agreeing: {', '.join(agreeing)})"


def match_from_pubmed(cited: CitedMetadata, citmatch: Lookup, pubmed: dict[str, Lookup]) -> Lookup:
    """Validate ECitMatch's PMID against the cited fields: the matcher's word alone is not enough."""
    if citmatch.outcome != FOUND:
        return citmatch
    record = pubmed[citmatch.related[0].value]
    if record.outcome != FOUND:
        return replace(record, service=citmatch.service, key=citmatch.key)
    accepted, score, agreeing = validate_candidate(cited, record.work)
    if not accepted:
        return replace(citmatch, outcome=ABSENT, related=(), reason=f"PubMed's citation match PMID {record.work.pmid} does not agree with the reference (score {score:.2f})")
    return replace(citmatch, work=record.work, reason=match_reason(f"PubMed citation match (PMID {record.work.pmid})", score, agreeing))


def combine_reference_answers(pubmed_answer: Lookup, crossref_answer: Lookup) -> Lookup:
    """Crossref's validated match if any; otherwise the reasons of both, FAILED if either could not answer."""
    if crossref_answer.outcome == FOUND:
        return crossref_answer
    outcome = FAILED if FAILED in (pubmed_answer.outcome, crossref_answer.outcome) else ABSENT
    return replace(crossref_answer, outcome=outcome, reason=f"{pubmed_answer.reason}; {crossref_answer.reason}")


def judge_reference(citation: Citation, lookups: Lookups) -> Resolution:
    """An identifier-less reference: resolved only by a validated match, and never NOT_FOUND."""
    if not searchable(citation.cited):
        why = "; ".join(citation.hints) or "no identifier, and too little bibliographic detail to search for the reference"
        return Resolution(UNRESOLVED, None, reasons=(why,))
    match = lookups.references[reference_key(citation.cited)]
    if match.outcome != FOUND:
        return Resolution(UNRESOLVED, None, reasons=(f"no validated match: {match.reason}",), lookups=(match,))
    status, metadata_reasons = compare_metadata(citation.cited, match.work)
    return Resolution(status, match.work, flags=match.work.flags, reasons=(match.reason,) + metadata_reasons + match.work.notes, lookups=(match,))


def merge_works(from_crossref: Work | None, from_pubmed: Work | None) -> Work | None:
    """Crossref for bibliographic fields (it is the DOI authority), PubMed for the abstract."""
    if from_crossref is None or from_pubmed is None:
        return from_crossref or from_pubmed
    return replace(
        from_crossref,
        pmid=from_pubmed.pmid,
        pmcid=from_pubmed.pmcid,
        abstract=from_pubmed.abstract or from_crossref.abstract,
        publication_types=from_pubmed.publication_types,
        flags=tuple(dict.fromkeys(from_crossref.flags + from_pubmed.flags)),
        notes=tuple(dict.fromkeys(from_crossref.notes + from_pubmed.notes)),
        notices=tuple(dict.fromkeys(from_crossref.notices + from_pubmed.notices)),
        source="crossref+pubmed",
    )


def judge_all(citations: list[Citation], lookups: Lookups) -> list[Resolution]:
    """judge() for each citation. Citations that differ only in where they stand (their text and
    offsets, which judge does not read) are judged once: a document citing one work a thousand times
    costs one comparison of the cited metadata with the record, not a thousand."""
    verdicts: dict[tuple, Resolution] = {}
    resolutions = []
    for citation in citations:
        wherever = (citation.kind, citation.id, citation.identifiers, citation.cited, citation.hints)  # all but text, start, end
        if wherever not in verdicts:
            verdicts[wherever] = judge(citation, lookups)
        resolutions.append(verdicts[wherever])
    return resolutions


def judge(citation: Citation, lookups: Lookups) -> Resolution:
    """One citation's verdict from the lookups of all its identifiers. Pure."""
    if not citation.identifiers:
        return judge_reference(citation, lookups)
    crossref, doi_links, pmcid_links, pubmed = lookups.crossref, lookups.doi_links, lookups.pmcid_links, lookups.pubmed
    consulted: list[Lookup] = []
    works_crossref: list[Work] = []
    works_pubmed: list[Work] = []
    authoritative_absent: list[str] = []
    for identifier in citation.identifiers:
        if identifier.scheme == "doi":
            primary = crossref[identifier.value]
            consulted.append(primary)
            if primary.outcome == FOUND:
                works_crossref.append(primary.work)
            elif primary.outcome == ABSENT:
                authoritative_absent.append(f"DOI {identifier.value}: {primary.reason}")
            link = doi_links[identifier.value]
        elif identifier.scheme == "pmcid":
            link = pmcid_links[identifier.value]
        else:
            link = None
        if link is not None:
            consulted.append(link)
        pmids = [identifier.value] if identifier.scheme == "pmid" else [i.value for i in (link.related if link else ())]
        for pmid in pmids:
            record = pubmed[pmid]
            consulted.append(record)
            if record.outcome == FOUND:
                works_pubmed.append(record.work)
            elif record.outcome == ABSENT and identifier.scheme == "pmid":
                authoritative_absent.append(f"PMID {pmid}: {record.reason}")
    failures = tuple(dict.fromkeys(lookup.reason for lookup in consulted if lookup.outcome == FAILED))
    work = merge_works(works_crossref[0] if works_crossref else None, works_pubmed[0] if works_pubmed else None)
    if work is None:
        if authoritative_absent:
            return Resolution(NOT_FOUND, None, reasons=tuple(authoritative_absent) + failures, lookups=tuple(consulted))
        return Resolution(UNRESOLVED, None, reasons=failures or ("no record found",), lookups=tuple(consulted))

    reasons = list(citation.hints)
    disagreements = _cross_check(citation, works_crossref + works_pubmed)
    status, metadata_reasons = compare_metadata(citation.cited, work)
    reasons += disagreements + list(metadata_reasons) + list(authoritative_absent) + list(work.notes)
    if status == VERIFIED and (disagreements or authoritative_absent):
        status = METADATA_MISMATCH
    # The service that failed may be the one that carries the retraction or correction notice.
    reasons += [f"partly checked: {f} (retraction and correction status from it unknown)" for f in failures]
    return Resolution(status, work, flags=work.flags, reasons=tuple(reasons), lookups=tuple(consulted))


def _cross_check(citation: Citation, works: list[Work]) -> list[str]:
    """Several identifiers, or Crossref and PubMed, describing different works."""
    notes = []
    for other in works[1:]:
        first = works[0]
        same_doi = first.doi and other.doi and first.doi == other.doi
        if not same_doi and title_similarity(first.title, other.title) < 85:
            notes.append(
                f"the identifiers disagree: {first.source} gives {first.title!r}, {other.source} gives {other.title!r}"
            )
    return notes


def skipped_count(lookups: list[Lookup], down_reason: str) -> int:
    """How many distinct lookups were not asked because their service was down (they carry its reason)."""
    return len({(lookup.service, lookup.key) for lookup in lookups if lookup.outcome == FAILED and down_reason in lookup.reason})


def note_outages(resolutions: list[Resolution], outages: list[tuple[str, str]]) -> list[Resolution]:
    """Each resolution that a down service left unchecked, with what was skipped and why (outages:
    (the reason a skipped lookup carries, the note))."""
    if not outages:
        return resolutions
    noted = []
    for resolution in resolutions:
        reasons = [note for down, note in outages if any(down in lookup.reason for lookup in resolution.lookups if lookup.outcome == FAILED)]
        noted.append(replace(resolution, reasons=resolution.reasons + tuple(reasons)) if reasons else resolution)
    return noted
