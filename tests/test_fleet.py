"""A fleet checks a corpus: 200 documents over 4 local worker processes, and over a Dask LocalCluster with 2
workers, sharing a PostgreSQL cache and rate limits, against the replay server with its rate limits on.
Every distinct identifier is fetched once across the fleet, no request is refused with 429, and the merged
report is the one a single process gives for the same documents."""
import json
from collections import Counter

import pytest

from refcheck.corpus import read_lines, run_corpus
from refcheck.pipeline import check
from refcheck.report import to_dict
from refcheck.resolve.services.http import RetryPolicy

from bench_fleet import make_corpus
from helpers import replay_settings

DOCUMENTS = 200
POLITE = "fleet-tests@example.org"
# The published limits of the polite pool and of NCBI without a key, enforced by the server.
LIMITS = {"crossref": 10, "crossref-list": 3, "eutils": 3}
# No retries: the only failures are the replay server's 503s for what it has no recording of. A long timeout:
# a request timed out on a busy machine would make the two reports differ for a reason beside the point.
ONCE = RetryPolicy(attempts=1, total_seconds=60.0)
TIMEOUT = 30.0


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, replay):
    directory = tmp_path_factory.mktemp("fleet")
    # PubMed's works by PMID, Crossref's by DOI: a DOI only PubMed has would be a replay 503 at Crossref, and after
    # three of those the circuit breaker's "N lookups skipped" depends on which thread asked first.
    paths = make_corpus(directory, DOCUMENTS, doi_share=0)
    recorded = replay.recordings
    recorded.pubmed, recorded.pmids_by_doi, recorded.crossref_works  # indexes built before any timed request
    replay.reset()
    replay.rate_limits = dict(LIMITS)
    single = check(paths, settings=replay_settings(replay, directory / "single-cache", mailto=POLITE, retry=ONCE, timeout=TIMEOUT))
    assert replay.count_status(429) == 0
    return paths, json.loads(json.dumps(to_dict(single)))


def identifiers_asked(server) -> Counter:
    """How often each identifier was asked of each endpoint, whatever batch it was in. A DOI a Crossref list
    leaves out is asked on its own (only a 404 for that DOI says it does not exist): a list and a single
    record are two endpoints."""
    asked = Counter()
    for request in server.requests:
        if request.service == "crossref" and request.path == "/works":
            asked.update(("crossref-list", clause.removeprefix("doi:")) for clause in request.query["filter"].split(","))
        elif request.service == "crossref":
            asked[("crossref", request.path.removeprefix("/works/"))] += 1
        elif request.path in ("/efetch.fcgi", "/esummary.fcgi"):
            asked.update((request.path, pmid) for pmid in request.query["id"].split(","))
        else:
            asked[(request.path, request.query["term"])] += 1
    return asked


def check_fleet_run(server, output, reference) -> None:
    assert server.count_status(429) == 0
    asked = identifiers_asked(server)
    assert asked and max(asked.values()) == 1, [key for key, times in asked.items() if times > 1][:5]
    lines = read_lines(str(output))
    assert sorted(line["source"] for line in lines) == sorted(document["source"] for document in reference["documents"])
    merged = {line["source"]: {k: v for k, v in line.items() if k not in ("summary", "exit_code")} for line in lines}
    assert [merged[document["source"]] for document in reference["documents"]] == reference["documents"]


def run(server, corpus, tmp_path, postgres_url, **how):
    paths, reference = corpus
    server.rate_limits = dict(LIMITS)
    settings = replay_settings(server, tmp_path / "unused", cache_url=postgres_url, mailto=POLITE, retry=ONCE, timeout=TIMEOUT)
    result = run_corpus(paths, output=str(tmp_path / "corpus.jsonl"), settings=settings, **how)
    check_fleet_run(server, tmp_path / "corpus.jsonl", reference)
    assert (result.documents, result.checked, result.skipped) == (DOCUMENTS, DOCUMENTS, 0)
    assert result.summary == reference["summary"] and result.exit_code == reference["exit_code"]


def test_four_worker_processes(replay_server, corpus, tmp_path, postgres_url):
    run(replay_server, corpus, tmp_path, postgres_url, workers=4)


def test_dask_local_cluster_with_two_workers(replay_server, corpus, tmp_path, postgres_url):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        run(replay_server, corpus, tmp_path, postgres_url, dask_scheduler=cluster.scheduler_address)
