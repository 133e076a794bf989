"""Rate limits shared through PostgreSQL: processes together keep to one service's budget, Retry-After
holds back the whole fleet, and a slot held by a process that died frees up when its lease runs out."""
import os
import signal
import subprocess
import sys
import time

from refcheck.resolve.services.http import Limit, RetryPolicy
from refcheck.resolve.shared_limits import SharedLimits

from replay_server import recorded_works

PROCESSES, REQUESTS_EACH = 4, 8
NCBI_KEYED_RATE = 10  # requests a second NCBI allows with an API key (pubmed.KEYED_LIMIT)

# One CI runner: a PubMed client (with an API key: NCBI's 10/s budget), shared limits or its own, told when to
# start so that the runners really ask at the same time; free-text searches, as many at once as the limit lets it.
RUNNER = """
import sys
from refcheck.resolve.services.http import RetryPolicy
from refcheck.resolve.services.pubmed import PubMedClient
from refcheck.resolve.shared_limits import SharedLimits

eutils_url, cache_url, terms = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
limits = SharedLimits(cache_url) if cache_url else None
client = PubMedClient(eutils_url, api_key="fleet-test-key", timeout=5, policy=RetryPolicy(attempts=1), limiters=limits)
print("ready", flush=True)
sys.stdin.readline()
client.search_text(terms)
"""

HOLDER = """
import sys, time
from refcheck.resolve.services.http import Limit, RetryPolicy
from refcheck.resolve.shared_limits import SharedLimits

limiter = SharedLimits(sys.argv[1], lease_seconds=float(sys.argv[2]))("test:one-at-a-time", Limit(per_second=100, concurrency=1))
with limiter.slot():
    print("holding", flush=True)
    time.sleep(60)
"""


def run_fleet(server, cache_url: str) -> None:
    terms = sorted({word.lower() for work in recorded_works() for word in work["title"].split() if word.isalpha()})[: PROCESSES * REQUESTS_EACH]
    runners = [
        subprocess.Popen([sys.executable, "-c", RUNNER, server.eutils_url, cache_url, ",".join(terms[n::PROCESSES])],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for n in range(PROCESSES)
    ]
    try:
        assert all(runner.stdout.readline() == "ready\n" for runner in runners)
        server.reset()
        for runner in runners:
            runner.stdin.write("go\n")
            runner.stdin.flush()
        for runner in runners:
            runner.communicate(timeout=60)
    finally:
        for runner in runners:
            runner.kill()
            runner.wait()
    assert [runner.returncode for runner in runners] == [0] * PROCESSES


def test_processes_sharing_the_database_keep_to_one_budget(replay_server, postgres_url):
    replay_server.recordings.pubmed  # the index is built before the clock starts
    replay_server.rate_limits = {"eutils": NCBI_KEYED_RATE}
    # Each on its own budget, four runners together go over the service's limit ...
    run_fleet(replay_server, "")
    assert replay_server.count("eutils") == PROCESSES * REQUESTS_EACH
    assert replay_server.count_status(429) > 0
    # ... sharing it, they do not.
    run_fleet(replay_server, postgres_url)
    assert replay_server.count("eutils") == PROCESSES * REQUESTS_EACH
    assert replay_server.count_status(429) == 0


def test_retry_after_holds_back_every_process_of_the_fleet(postgres_url):
    told, other = SharedLimits(postgres_url), SharedLimits(postgres_url)  # two connections: two processes to the database
    limit = Limit(per_second=100, concurrency=2)
    try:
        first, second = told("crossref:polite", limit), other("crossref:polite", limit)
        first.pause(1.0)  # what call_with_retries does on a 429 with Retry-After: 1
        started = time.monotonic()
        with second.slot():
            waited = time.monotonic() - started
        assert 0.8 < waited < 3
        # Another service's budget is not held back.
        started = time.monotonic()
        with other("ncbi:public", limit).slot():
            assert time.monotonic() - started < 0.5
    finally:
        told.close()
        other.close()


def test_a_429_not_retried_still_holds_back_the_fleet(replay_server, postgres_url):
    """A runner told "429, Retry-After: 1" on its last attempt pauses the budget for the other runners too."""
    from refcheck.resolve.services import pubmed

    replay_server.fault = lambda service, path, query: "429"
    told, other = SharedLimits(postgres_url), SharedLimits(postgres_url)
    try:
        client = pubmed.PubMedClient(replay_server.eutils_url, timeout=5, policy=RetryPolicy(attempts=1), limiters=told)
        (lookup, _), = client.search_text(["aspirin"]).values()
        assert lookup.outcome == "failed" and "429" in lookup.reason
        started = time.monotonic()
        with other("ncbi:public", pubmed.PUBLIC_LIMIT).slot():  # the next start's spacing alone: 0.5 s at most
            waited = time.monotonic() - started
        assert 0.7 < waited < 3
    finally:
        told.close()
        other.close()


def test_a_slot_held_by_a_dead_process_frees_when_its_lease_runs_out(postgres_url):
    lease = 2.0
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, postgres_url, str(lease)], stdout=subprocess.PIPE, text=True)
    limits = SharedLimits(postgres_url)
    try:
        assert holder.stdout.readline() == "holding\n"
        os.kill(holder.pid, signal.SIGKILL)
        held_at = time.monotonic()
        limiter = limits("test:one-at-a-time", Limit(per_second=100, concurrency=1))
        with limiter.slot():
            waited = time.monotonic() - held_at
        assert waited < lease + 2
    finally:
        holder.kill()
        holder.wait()
        limits.close()
