"""Identifiers -> Resolutions, through the cache and the two services.

Every distinct identifier in a run is looked up once. Only an authority's
explicit answer makes a citation NOT_FOUND; a failure anywhere makes it
UNRESOLVED with the reason.
"""
from __future__ import annotations

import logging
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace

from .cache import Cache, Entry
from .config import request_timeout
from .metadata import best_candidate, compare_metadata, fold, title_similarity, validate_candidate
from .progress import FETCHING_RECORDS, RESOLVING, SEARCHING_REFERENCES, Progress, StageCounter, no_progress, silent_counter
from .records import (
    ABSENT, FAILED, FOUND, METADATA_MISMATCH, NOT_FOUND, UNRESOLVED, VERIFIED, Citation, CitedMetadata, Identifier, Lookup,
    Resolution, Work,
)
from .services import crossref as crossref_service
from .services import pubmed as pubmed_service
from .services.http import RetryPolicy, ServiceError

log = logging.getLogger("refcheck")


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

    def __post_init__(self) -> None:
        # The CLI checks --timeout too; this catches refcheck.check(..., timeout=0) from Python.
        request_timeout(self.timeout)

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

    def _from_cache(self, service: str, keys, counter: StageCounter) -> tuple[dict[str, Lookup], list[str]]:
        """Cached answers for keys (unless --refresh) and the keys still to ask; the answered ones count as done."""
        results: dict[str, Lookup] = {}
        missing = []
        now = time.time()
        for key in dict.fromkeys(keys):
            cached = self.cache.entry(service, key)
            if cached is not None and not self.settings.refresh and cached.expires_at >= now:
                results[key] = cached.lookup
            elif self.settings.offline:
                # Offline, an expired answer is treated as after a failed refresh: a record is used,
                # a "not found" is not repeated as fact.
                reason = "offline; the cached answer has expired" if cached else "offline and not in the cache"
                results[key] = self._after_failure(Lookup(service, key, FAILED, reason=f"{service}: {reason}"), cached)
            else:
                missing.append(key)
        for key, lookup in results.items():
            log.debug("%s %s: %s from the cache%s", service, key, lookup.outcome, f" ({lookup.reason})" if lookup.reason else "")
        counter.advance(len(results))
        return results, missing

    def _store(self, service: str, fetched: dict) -> dict[str, Lookup]:
        """Cache fresh answers; a failure falls back on the cached answer for this run only (see _after_failure)."""
        results = {}
        for key, (lookup, raw) in fetched.items():
            lookup = replace(lookup, service=service)
            if lookup.outcome == FAILED:
                results[key] = self._after_failure(lookup, self.cache.entry(service, key))
            else:
                self.cache.put(lookup, raw)
                results[key] = lookup
            log.debug("%s %s: %s%s", service, key, results[key].outcome, f" ({results[key].reason})" if results[key].reason else "")
        return results

    @staticmethod
    def _after_failure(failure: Lookup, cached: Entry | None) -> Lookup:
        """A failed lookup's answer for this run. Nothing is written back: the cached row keeps its
        times, so the next run asks again. A cached record is still the authority's record and is
        used, saying the refresh failed; a cached "not found" is not repeated as fact (the work may
        have been registered since), so the lookup stays FAILED and names the earlier answer."""
        if cached is None:
            return failure
        on = time.strftime("%Y-%m-%d", time.gmtime(cached.fetched_at))
        earlier = cached.lookup
        if earlier.outcome == FOUND:
            refresh_failed = f"refresh failed ({failure.reason}); using the answer cached on {on}"
            return replace(earlier, reason="; ".join(filter(None, (earlier.reason, refresh_failed))))
        return replace(failure, reason=f"{failure.reason} (could not recheck the answer of {on}: {earlier.reason})")

    def _cached(self, service: str, keys, fetch, counter: StageCounter, batch_size: int | None = None, workers: int = 1) -> dict[str, Lookup]:
        """Lookups for keys: cache first, then fetch the rest (in batches, see fetch_counted)."""
        results, missing = self._from_cache(service, keys, counter)
        if missing:
            results.update(self._store(service, fetch_counted(fetch, missing, counter, batch_size, workers)))
        return results

    def close(self) -> None:
        self.cache.close()

    def search_pubmed_text(self, terms: list[str]) -> dict[str, Lookup]:
        """PubMed free-text searches (the PMIDs, best first, as `related`), cached like every other lookup."""
        return self._cached("pubmed-text", terms, self.pubmed.search_text, silent_counter())

    def pubmed_records(self, pmids: list[str], counter: StageCounter | None = None) -> dict[str, Lookup]:
        """PubMed records by PMID: the same cached, batched efetch the citations use."""
        return self._cached("pubmed", pmids, self.pubmed.fetch, counter or silent_counter(), pubmed_service.BATCH, self.pubmed.limit.concurrency)

    def resolve(self, citations: list[Citation], progress: Progress = no_progress) -> list[Resolution]:
        """Three rounds, each batched per service and the services side by side:
        1. Crossref records, PubMed searches for DOIs/PMCIDs, ECitMatch for references;
        2. one efetch round for every PMID cited or found in round 1;
        3. Crossref bibliographic searches for references ECitMatch did not settle.
        Each round is a stage told to `progress(stage, done, total)`, counted in lookups (a DOI is
        two: Crossref and the PubMed search), as each batch is answered; see refcheck.progress.
        """
        ids = {scheme: sorted({i.value for c in citations for i in c.identifiers if i.scheme == scheme}) for scheme in ("doi", "pmid", "pmcid")}
        references = {reference_key(c.cited): c.cited for c in citations if not c.identifiers and searchable(c.cited)}
        resolving = StageCounter(progress, RESOLVING, 2 * len(ids["doi"]) + len(ids["pmcid"]) + len(references))
        with ThreadPoolExecutor(max_workers=4) as pool:
            crossref_job = pool.submit(self._cached, "crossref", ids["doi"], self.crossref.lookup, resolving,
                                       crossref_service.FILTER_BATCH, self.crossref.list_limit.concurrency)
            doi_job = pool.submit(self._search_links, "pubmed-doi", ids["doi"], "doi", resolving)
            pmcid_job = pool.submit(self._search_links, "pubmed-pmcid", ids["pmcid"], "pmcid", resolving)
            citmatch_job = pool.submit(self._cached, "pubmed-citmatch", list(references), lambda keys: self._citation_match(keys, references),
                                       resolving, pubmed_service.BATCH, self.pubmed.limit.concurrency)
            crossref, (doi_links, doi_searches), (pmcid_links, pmcid_searches) = crossref_job.result(), doi_job.result(), pmcid_job.result()
            citmatch = citmatch_job.result()
        found_in_round_one = [i.value for lookups in (doi_links, pmcid_links, doi_searches, pmcid_searches, citmatch) for lookup in lookups.values() for i in lookup.related]
        wanted_pmids = list(dict.fromkeys(ids["pmid"] + found_in_round_one))
        pubmed = self.pubmed_records(wanted_pmids, StageCounter(progress, FETCHING_RECORDS, len(wanted_pmids)))
        doi_links.update(self._store("pubmed-doi", narrow_links(doi_searches, pubmed, "doi")))
        pmcid_links.update(self._store("pubmed-pmcid", narrow_links(pmcid_searches, pubmed, "pmcid")))
        # A link kept from the cache because its search failed now may name a PMID not fetched above.
        pubmed.update(self.pubmed_records([i.value for links in (doi_links, pmcid_links) for link in links.values() for i in link.related if i.value not in pubmed]))
        matched = {key: match_from_pubmed(references[key], lookup, pubmed) for key, lookup in citmatch.items()}
        unsettled = [key for key, match in matched.items() if match.outcome != FOUND]
        searching = StageCounter(progress, SEARCHING_REFERENCES, len(unsettled))
        searched = self._cached("crossref-search", unsettled, lambda keys: {key: self._search_reference(key, references[key]) for key in keys},
                                searching, 1, self.crossref.list_limit.concurrency)
        for key in unsettled:
            matched[key] = combine_reference_answers(matched[key], searched[key])
        lookups = Lookups(crossref, doi_links, pmcid_links, pubmed, matched)
        return [judge(c, lookups) for c in citations]

    def _search_links(self, service: str, keys: list[str], field: str, counter: StageCounter) -> tuple[dict[str, Lookup], dict[str, Lookup]]:
        """(cached DOI/PMCID -> PMID links, fresh esearch answers still to be narrowed)."""
        links, missing = self._from_cache(service, keys, counter)
        answers = fetch_counted(lambda batch: self.pubmed.search(batch, field), missing, counter, pubmed_service.SEARCH_BATCH, self.pubmed.limit.concurrency)
        return links, {key: replace(lookup, service=service) for key, (lookup, _) in answers.items()}

    def _citation_match(self, keys: list[str], references: dict[str, CitedMetadata]) -> dict:
        lines = {key: citmatch_line(references[key]) for key in keys}
        try:
            pmids = self.pubmed.citation_match(lines)
        except ServiceError as exc:
            return {key: (Lookup("pubmed-citmatch", key, FAILED, reason=f"PubMed citation match: {exc.reason}"), None) for key in keys}
        return {
            key: (Lookup("pubmed-citmatch", key, FOUND, related=(Identifier("pmid", pmid),)) if pmid
                  else Lookup("pubmed-citmatch", key, ABSENT, reason="PubMed's citation matcher found no article"), None)
            for key, pmid in pmids.items()
        }

    def _search_reference(self, key: str, cited: CitedMetadata) -> tuple[Lookup, None]:
        try:
            candidates = self.crossref.search(bibliographic_query(cited))
        except ServiceError as exc:
            return Lookup("crossref-search", key, FAILED, reason=f"Crossref search: {exc.reason}"), None
        work, score, agreeing = best_candidate(cited, candidates)
        if work is None:
            return Lookup("crossref-search", key, ABSENT, reason=f"no Crossref search result agrees with the reference (best score {score:.2f})"), None
        return Lookup("crossref-search", key, FOUND, work=work, reason=match_reason("Crossref search", score, agreeing)), None


def fetch_counted(fetch, keys: list[str], counter: StageCounter, batch_size: int | None, workers: int) -> dict:
    """fetch(batch) for batches of `batch_size` keys (all at once when None), `workers` batches at a time.

    The batches are the services' own request sizes, so splitting here costs no extra requests;
    it lets each batch count as done the moment its answer (or failure) arrives.
    """
    if not keys:
        return {}
    size = batch_size or len(keys)
    batches = [keys[start:start + size] for start in range(0, len(keys), size)]
    answers = {}
    with ThreadPoolExecutor(max_workers=min(workers, len(batches))) as pool:
        asked = {pool.submit(fetch, batch): batch for batch in batches}
        for done in as_completed(asked):
            answers.update(done.result())
            counter.advance(len(asked[done]))
    return answers


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
        source="crossref+pubmed",
    )


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
