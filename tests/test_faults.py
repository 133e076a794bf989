"""Every injected fault and every hostile answer makes only the citation it hits UNRESOLVED, with the
reason, in bounded time.

Faults and hostile answers come from the replay server's `fault` hook. The other citation in each document goes to the
other service and must still resolve. A seeded chaos run over 200 citations must account for every
citation, never call one NOT_FOUND, and a fault-free re-run must only ask what failed.
"""
import random
import re
import time

import pytest

from refcheck.resolve.cache import Cache
from refcheck.extract import extract
from refcheck.records import NOT_FOUND, UNRESOLVED, VERIFIED, CheckedCitation, Citation, Document, DocumentReport, Identifier
from refcheck.report import EXIT_INCOMPLETE, Report
from refcheck.resolve import Resolver
from refcheck.resolve.services.http import RetryPolicy

from helpers import FakeClock, replay_settings
from replay_server import FAULTS, HOSTILE_FAULTS, parse_doi_term, recorded_works, seeded_chaos

CROSSREF_DOI = "10.1371/journal.pone.0033693"  # recorded in Crossref only
PUBMED_PMID = "28731372"  # recorded in PubMed only
QUICK_RETRY = RetryPolicy(attempts=2, total_seconds=2.0, base_wait=0.01, max_wait=0.05)
POLITE = "refcheck-tests@example.org"  # the polite pool's higher limits keep the chaos run short
# Seconds one faulty document may take, retries and timeouts included. It catches a wait without a
# deadline (a "drip" record of kilobytes at 0.2 s a byte takes minutes; a fault_sleep per retry
# without the 1 s timeout adds up), not a slow machine: the "huge" answer's 40 MB alone took 8-11 s
# of wall time at load 11 on 2 cores, for 1 s of CPU, when the budget was 6 s.
FAULT_BUDGET = 20.0


def cite(scheme: str, value: str) -> Citation:
    return Citation(kind=scheme, id=value, text=f"{scheme}:{value}", start=0, end=1, identifiers=(Identifier(scheme, value),))


def resolver_for(server, cache_dir, **overrides) -> Resolver:
    settings = replay_settings(server, cache_dir, timeout=1.0, retry=QUICK_RETRY, **overrides)
    return Resolver(settings, Cache(cache_dir), clock=FakeClock())


def faulting(service: str, fault: str):
    def pick(requested_service, path, query):
        return fault if requested_service == service else None
    return pick


@pytest.mark.parametrize("fault", FAULTS + HOSTILE_FAULTS)
@pytest.mark.parametrize("service", ["crossref", "eutils"])
def test_fault_makes_only_its_citation_unresolved(replay_server, tmp_path, service, fault):
    replay_server.fault = faulting(service, fault)
    replay_server.fault_sleep = 2.0  # past the 1 s timeout
    victim, bystander = (cite("doi", CROSSREF_DOI), cite("pmid", PUBMED_PMID))
    if service == "eutils":
        victim, bystander = bystander, victim
    resolver = resolver_for(replay_server, tmp_path)
    started = time.monotonic()
    try:
        hit, other = resolver.resolve([victim, bystander])
    finally:
        resolver.close()
    assert time.monotonic() - started < FAULT_BUDGET
    assert hit.status == UNRESOLVED, hit
    assert hit.reasons and all("not found" not in reason.lower() or "could not" in reason.lower() for reason in hit.reasons)
    assert other.status == VERIFIED, other
    assert replay_server.count("other") == 0  # no DTD or anything else fetched beyond the services
    report = Report((DocumentReport("doc", (CheckedCitation(victim, hit), CheckedCitation(bystander, other))),))
    assert report.exit_code() == EXIT_INCOMPLETE


def chaos_document(seed: int, count: int = 200) -> Document:
    """`count` citations of recorded works as a reference list: PubMed works mostly by PMID, some
    by DOI (Crossref has no recording of those, so each costs single lookups that 503), Crossref
    works by DOI."""
    works = recorded_works()
    draw = random.Random(seed)
    lines = []
    for number in range(1, count + 1):
        work = draw.choice(works)
        if work.get("pmid") and (not work.get("doi") or draw.random() < 0.85):
            lines.append(f"{number}. {work['title']} PMID: {work['pmid']}")
        else:
            lines.append(f"{number}. {work['title']} https://doi.org/{work['doi']}")
    return Document("chaos", "References\n\n" + "\n".join(lines) + "\n", "text")


def test_seeded_chaos_accounts_for_every_citation_and_rerun_asks_only_what_failed(replay_server, tmp_path):
    citations = extract(chaos_document(seed=7))
    assert len(citations) == 200
    replay_server.fault = seeded_chaos(0.3, seed=7)
    resolver = resolver_for(replay_server, tmp_path, mailto=POLITE)
    try:
        first = resolver.resolve(citations)
    finally:
        resolver.close()
    assert len(first) == len(citations)
    assert not [r for r in first if r.status == NOT_FOUND]
    assert all(r.status != UNRESOLVED or r.reasons for r in first)
    failed = failed_keys(first)
    assert any(failed.values()), "a 30% fault rate should leave some lookups failed"

    replay_server.fault = None
    replay_server.reset()
    resolver = resolver_for(replay_server, tmp_path, mailto=POLITE)
    try:
        second = resolver.resolve(citations)
    finally:
        resolver.close()
    assert not [r for r in second if r.status == NOT_FOUND]
    assert sum(r.status != UNRESOLVED for r in second) >= sum(r.status != UNRESOLVED for r in first)
    # The re-run answers the rest from the cache: it asks exactly what failed (batched), nothing else.
    asked = asked_keys(replay_server.requests)
    assert asked["crossref"] == failed["crossref"]
    assert asked["pubmed-doi"] == failed["pubmed-doi"]
    assert failed["pubmed"] <= asked["pubmed"]
    # ... and the records its re-asked DOI searches find (every PMID a search for those DOIs returns).
    searched_again = {pmid for doi in failed["pubmed-doi"] for pmid in replay_server.recordings.pmids_by_doi.get(doi, ())}
    assert asked["pubmed"] <= failed["pubmed"] | searched_again


def failed_keys(resolutions) -> dict[str, set[str]]:
    keys = {"crossref": set(), "pubmed": set(), "pubmed-doi": set()}
    for resolution in resolutions:
        for lookup in resolution.lookups:
            if lookup.outcome == "failed":
                keys[lookup.service].add(lookup.key)
    return keys


def asked_keys(requests) -> dict[str, set[str]]:
    """The identifiers a request log asked for, by the cache service that answers them."""
    asked = {"crossref": set(), "pubmed": set(), "pubmed-doi": set()}
    for request in requests:
        if request.service == "crossref" and request.path.startswith("/works/"):
            asked["crossref"].add(request.path[len("/works/"):].lower())
        elif request.service == "crossref":
            asked["crossref"].update(clause[len("doi:"):] for clause in re.split(r",(?=doi:)", request.query["filter"]))
        elif request.path == "/esearch.fcgi":
            asked["pubmed-doi"].update(doi.lower() for doi in parse_doi_term(request.query["term"]))
        elif request.path == "/efetch.fcgi":
            asked["pubmed"].update(request.query["id"].split(","))
    return asked
