"""Identifiers -> Resolutions, through the cache and the two services.

Every distinct identifier in a run is looked up once. Only an authority's
explicit answer makes a citation NOT_FOUND; a failure anywhere makes it
UNRESOLVED with the reason.
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from .cache import Cache
from .metadata import compare_metadata, title_similarity
from .records import (
    ABSENT, FAILED, FOUND, METADATA_MISMATCH, NOT_FOUND, UNRESOLVED, VERIFIED, Citation, Identifier, Lookup, Resolution, Work,
)
from .services import crossref as crossref_service
from .services import pubmed as pubmed_service
from .services.http import RetryPolicy


@dataclass(frozen=True)
class Settings:
    """Where and how to look things up. Defaults come from the environment."""

    crossref_url: str = crossref_service.DEFAULT_URL
    eutils_url: str = pubmed_service.DEFAULT_URL
    mailto: str | None = None
    ncbi_api_key: str | None = None
    cache_dir: str | None = None
    use_cache: bool = True
    offline: bool = False
    refresh: bool = False
    timeout: float = 20.0
    retry: RetryPolicy = RetryPolicy()

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        env = {
            "crossref_url": os.environ.get("REFCHECK_CROSSREF_URL") or crossref_service.DEFAULT_URL,
            "eutils_url": os.environ.get("REFCHECK_EUTILS_URL") or pubmed_service.DEFAULT_URL,
            "mailto": os.environ.get("REFCHECK_MAILTO") or None,
            "ncbi_api_key": os.environ.get("NCBI_API_KEY") or None,
        }
        env.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**env)


class Resolver:
    def __init__(self, settings: Settings | None = None, cache: Cache | None = None):
        self.settings = settings or Settings.from_env()
        s = self.settings
        self.cache = cache if cache is not None else Cache(s.cache_dir, enabled=s.use_cache)
        self.crossref = crossref_service.CrossrefClient(s.crossref_url, mailto=s.mailto, timeout=s.timeout, policy=s.retry)
        self.pubmed = pubmed_service.PubMedClient(s.eutils_url, api_key=s.ncbi_api_key, email=s.mailto, timeout=s.timeout, policy=s.retry)

    def _cached(self, service: str, keys, fetch) -> dict[str, Lookup]:
        """Lookups for keys: cache first (unless --refresh), then one fetch for the rest."""
        results: dict[str, Lookup] = {}
        missing = []
        for key in dict.fromkeys(keys):
            hit = None if self.settings.refresh else self.cache.get(service, key, allow_stale=self.settings.offline)
            if hit is not None:
                results[key] = hit
            elif self.settings.offline:
                results[key] = Lookup(service, key, FAILED, reason=f"{service}: offline and not in the cache")
            else:
                missing.append(key)
        if missing:
            for key, (lookup, raw) in fetch(missing).items():
                lookup = replace(lookup, service=service)
                if lookup.outcome == FAILED:
                    # Stale-if-error: an expired answer from the authority beats "could not check".
                    stale = self.cache.get(service, key, allow_stale=True)
                    if stale is not None:
                        lookup = replace(stale, reason=f"{stale.reason} (cached answer kept: {lookup.reason})".strip())
                self.cache.put(lookup, raw)
                results[key] = lookup
        return results

    def close(self) -> None:
        self.cache.close()

    def _pubmed_ids_for(self, keys: list[str], field: str, attribute: str) -> dict[str, tuple[Lookup, None]]:
        """DOIs or PMCIDs -> the PMID whose record carries exactly that identifier."""
        searched = self.pubmed.search(keys, field)
        candidates = [i.value for lookup, _ in searched.values() for i in lookup.related]
        records = self._cached("pubmed", candidates, self.pubmed.fetch)
        narrowed = {}
        for key, (lookup, _) in searched.items():
            if lookup.outcome != FOUND:
                narrowed[key] = (lookup, None)
                continue
            fetched = [records[i.value] for i in lookup.related]
            matches = [r.work.pmid for r in fetched if r.outcome == FOUND and (getattr(r.work, attribute) or "").lower() == key.lower()]
            if matches:
                narrowed[key] = (Lookup(pubmed_service.NAME, key, FOUND, related=(Identifier("pmid", matches[0]),)), None)
            elif any(r.outcome == FAILED for r in fetched):
                narrowed[key] = (Lookup(pubmed_service.NAME, key, FAILED, reason="PubMed found records but could not fetch them"), None)
            else:
                narrowed[key] = (Lookup(pubmed_service.NAME, key, ABSENT, reason=f"no PubMed record with this {field.upper()}"), None)
        return narrowed

    def resolve(self, citations: list[Citation]) -> list[Resolution]:
        ids = {scheme: sorted({i.value for c in citations for i in c.identifiers if i.scheme == scheme}) for scheme in ("doi", "pmid", "pmcid")}
        with ThreadPoolExecutor(max_workers=3) as pool:
            crossref_job = pool.submit(self._cached, "crossref", ids["doi"], self.crossref.lookup)
            doi_job = pool.submit(self._cached, "pubmed-doi", ids["doi"], lambda keys: self._pubmed_ids_for(keys, "doi", "doi"))
            pmcid_job = pool.submit(self._cached, "pubmed-pmcid", ids["pmcid"], lambda keys: self._pubmed_ids_for(keys, "pmcid", "pmcid"))
            crossref, doi_links, pmcid_links = crossref_job.result(), doi_job.result(), pmcid_job.result()
        linked = [i.value for lookups in (doi_links, pmcid_links) for lookup in lookups.values() for i in lookup.related]
        pubmed = self._cached("pubmed", ids["pmid"] + linked, self.pubmed.fetch)
        return [judge(c, crossref, doi_links, pmcid_links, pubmed) for c in citations]


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
        source="crossref+pubmed",
    )


def judge(citation: Citation, crossref: dict, doi_links: dict, pmcid_links: dict, pubmed: dict) -> Resolution:
    """One citation's verdict from the lookups of all its identifiers. Pure."""
    if not citation.identifiers:
        why = "; ".join(citation.hints) or "no identifier to look up (reference search is not available yet)"
        return Resolution(UNRESOLVED, None, reasons=(why,))
    lookups: list[Lookup] = []
    works_crossref: list[Work] = []
    works_pubmed: list[Work] = []
    authoritative_absent: list[str] = []
    for identifier in citation.identifiers:
        if identifier.scheme == "doi":
            primary = crossref[identifier.value]
            lookups.append(primary)
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
            lookups.append(link)
        pmids = [identifier.value] if identifier.scheme == "pmid" else [i.value for i in (link.related if link else ())]
        for pmid in pmids:
            record = pubmed[pmid]
            lookups.append(record)
            if record.outcome == FOUND:
                works_pubmed.append(record.work)
            elif record.outcome == ABSENT and identifier.scheme == "pmid":
                authoritative_absent.append(f"PMID {pmid}: {record.reason}")
    failures = tuple(dict.fromkeys(lookup.reason for lookup in lookups if lookup.outcome == FAILED))
    work = merge_works(works_crossref[0] if works_crossref else None, works_pubmed[0] if works_pubmed else None)
    if work is None:
        if authoritative_absent:
            return Resolution(NOT_FOUND, None, reasons=tuple(authoritative_absent) + failures, lookups=tuple(lookups))
        return Resolution(UNRESOLVED, None, reasons=failures or ("no record found",), lookups=tuple(lookups))

    reasons = list(citation.hints)
    disagreements = _cross_check(citation, works_crossref + works_pubmed)
    status, metadata_reasons = compare_metadata(citation.cited, work)
    reasons += disagreements + list(metadata_reasons) + list(authoritative_absent)
    if status == VERIFIED and (disagreements or authoritative_absent):
        status = METADATA_MISMATCH
    if failures:
        reasons += [f"partly checked: {f}" for f in failures]
    return Resolution(status, work, flags=work.flags, reasons=tuple(reasons), lookups=tuple(lookups))


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
