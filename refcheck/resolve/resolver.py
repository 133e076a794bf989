"""Identifiers -> Resolutions, through the cache and the two services.

Every distinct identifier in a run is looked up once, batched per service, the services side by
side; `judge` (pure) turns what was learnt into verdicts.
"""
from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import replace

from ..metadata import best_candidate
from ..progress import FETCHING_RECORDS, RESOLVING, SEARCHING_REFERENCES, Progress, StageCounter, no_progress, silent_counter
from ..records import ABSENT, FAILED, FOUND, CitedMetadata, Citation, Identifier, Lookup, Resolution
from .cache import Cache, Entry
from .judge import (
    Lookups, bibliographic_query, citmatch_line, combine_reference_answers, judge_all, match_from_pubmed, match_reason, narrow_links,
    note_outages, reference_key, searchable, skipped_count,
)
from .services import crossref as crossref_service
from .services import pubmed as pubmed_service
from .services.http import REAL_CLOCK, Clock, ServiceError
from .settings import Settings

log = logging.getLogger("refcheck")


def open_cache(settings: Settings):
    """The PostgreSQL cache when a cache URL is set, else the SQLite one."""
    if settings.cache_url:
        # (the PostgreSQL modules load only for a run that uses them)
        from .postgres import PostgresCache

        return PostgresCache(settings.cache_url, enabled=settings.use_cache)
    return Cache(settings.cache_dir, enabled=settings.use_cache)


class Resolver:
    """One run's lookups. Holds one client per service for the run (its HTTP connections, rate
    limits, retry budget and circuit breaker); close() when done."""

    def __init__(self, settings: Settings | None = None, cache: Cache | None = None, *, clock: Clock = REAL_CLOCK):
        self.settings = settings or Settings.from_env()
        s = self.settings
        self.cache = cache if cache is not None else open_cache(s)
        # A fleet's processes share their rate limits through the cache's database, --no-cache or not.
        self.limits = None
        if s.cache_url:
            from .shared_limits import SharedLimits

            self.limits = SharedLimits(s.cache_url, lease_seconds=s.retry.total_seconds + 2 * s.timeout)
        self.crossref = crossref_service.CrossrefClient(s.crossref_url, mailto=s.mailto, timeout=s.timeout, policy=s.retry, clock=clock,
                                                        limiters=self.limits)
        self.pubmed = pubmed_service.PubMedClient(s.eutils_url, api_key=s.ncbi_api_key, email=s.mailto, timeout=s.timeout, policy=s.retry,
                                                  clock=clock, limiters=self.limits)

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
        answers = []
        for key, (lookup, raw) in fetched.items():
            lookup = replace(lookup, service=service)
            if lookup.outcome == FAILED:
                results[key] = self._after_failure(lookup, self.cache.entry(service, key))
            else:
                answers.append((lookup, raw))
                results[key] = lookup
            log.debug("%s %s: %s%s", service, key, results[key].outcome, f" ({results[key].reason})" if results[key].reason else "")
        self.cache.put_many(answers)
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
        self.crossref.close()
        self.pubmed.close()
        self.cache.close()
        if self.limits is not None:
            self.limits.close()

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
        asked = [lookup for answers in (crossref, doi_links, pmcid_links, pubmed, citmatch, searched) for lookup in answers.values()]
        return note_outages(judge_all(citations, lookups), self._outages(asked))

    def _outages(self, lookups: list[Lookup]) -> list[tuple[str, str]]:
        """(the reason a skipped lookup carries, what to tell about it) for each service endpoint whose circuit opened."""
        outages = []
        for circuit in (*self.crossref.circuits.values(), *self.pubmed.circuits.values()):
            if circuit.is_open:
                down = circuit.down_reason()
                skipped = skipped_count(lookups, down)
                outages.append((down, f"{circuit.label} unavailable in this run ({circuit.opened_by}); refcheck stopped "
                                      f"asking it: {skipped} lookup{'s' if skipped != 1 else ''} skipped"))
        return outages

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
