"""A service that is down is given up on quickly: the circuit opens after a failed batch or a few
failed requests in a row, the lookups left are UNRESOLVED saying how many were skipped, nothing is
cached, and retries stay within the run's budget. Driven by a clock that does not really sleep."""
import subprocess
import sys

from refcheck.records import Citation, Identifier, UNRESOLVED
from refcheck.resolve import Resolver
from refcheck.resolve.cache import Cache
from refcheck.resolve.services.http import Circuit, RetryPolicy, ServiceError

from helpers import FakeClock, replay_settings


def doi_citations(count: int) -> list[Citation]:
    return [Citation(kind="doi", id=f"10.5555/outage.{n}", text="", start=0, end=1, identifiers=(Identifier("doi", f"10.5555/outage.{n}"),))
            for n in range(count)]


def down(*services):
    return lambda service, path, query: "503" if service in services else None


def resolve_all(server, tmp_path, citations, **settings):
    resolver = Resolver(replay_settings(server, tmp_path, retry=RetryPolicy(), **settings), Cache(tmp_path), clock=FakeClock())
    try:
        return resolver.resolve(citations)
    finally:
        resolver.close()


def test_crossref_down_1000_dois_costs_at_most_20_requests_and_says_what_was_skipped(replay_server, tmp_path):
    replay_server.fault = down("crossref")
    resolutions = resolve_all(replay_server, tmp_path, doi_citations(1000), mailto="tests@example.org")
    assert replay_server.count("crossref") <= 20
    assert all(r.status == UNRESOLVED for r in resolutions)
    notes = [reason for r in resolutions for reason in r.reasons if reason.startswith("Crossref lists and searches unavailable")]
    assert len(notes) >= 800  # all but the DOIs of the (at most 3) batches in flight when the first failed
    skipped = int(notes[0].rsplit(": ", 1)[1].split()[0])
    assert notes[0] == (f"Crossref lists and searches unavailable in this run (a batch request failed: HTTP 503); refcheck stopped asking it: "
                        f"{skipped} lookups skipped") and 800 <= skipped < 1000
    # No per-DOI fan-out after a failed list: only list requests were sent.
    assert all(r.path == "/works" for r in replay_server.requests if r.service == "crossref")
    # Failures are not facts: a run with Crossref back asks again.
    replay_server.fault = None
    replay_server.reset()
    resolve_all(replay_server, tmp_path, doi_citations(50))
    assert replay_server.count("crossref") >= 1


def test_crossref_and_pubmed_down_the_same(replay_server, tmp_path):
    replay_server.fault = down("crossref", "eutils")
    resolutions = resolve_all(replay_server, tmp_path, doi_citations(1000))
    assert replay_server.count("crossref") <= 20 and replay_server.count("eutils") <= 20
    assert all(r.status == UNRESOLVED for r in resolutions)
    for endpoint in ("Crossref lists and searches", "PubMed esearch"):
        assert sum(any(reason.startswith(f"{endpoint} unavailable") for reason in r.reasons) for r in resolutions) >= 800


def test_single_requests_open_the_circuit_after_three_failures_in_a_row():
    circuit = Circuit("PubMed efetch", RetryPolicy(trip_after=3))
    failure = ServiceError("HTTP 503")
    circuit.failed(failure, batch=False)
    circuit.failed(failure, batch=False)
    circuit.succeeded()  # a success in between starts the count again
    circuit.failed(failure, batch=False)
    circuit.failed(failure, batch=False)
    assert not circuit.is_open
    circuit.failed(failure, batch=False)
    assert circuit.is_open and "3 requests in a row failed: HTTP 503" in circuit.down_reason()
    # A refused answer or a 4xx is about one request, not the service.
    refused = Circuit("Crossref", RetryPolicy(trip_after=1))
    refused.failed(ServiceError("answer over the limit", retryable=False), batch=True)
    assert not refused.is_open


def test_the_run_wide_retry_budget_runs_out():
    circuit = Circuit("Crossref", RetryPolicy(run_retries=2, retries_per_request=0.5))
    circuit.before_sending()
    circuit.before_sending()  # two requests sent: 2 + 0.5 * 2 = 3 retries allowed
    assert [circuit.may_retry() for _ in range(4)] == [True, True, True, False]


def test_a_warm_run_imports_no_http_library_and_opens_no_connection(replay_server, tmp_path):
    """Everything from the cache: requests, Bio.Entrez and any HTTP session stay unopened."""
    citations = [Citation(kind="pmid", id="28731372", text="", start=0, end=1, identifiers=(Identifier("pmid", "28731372"),))]
    resolver = Resolver(replay_settings(replay_server, tmp_path), Cache(tmp_path))
    resolver.resolve(citations)
    resolver.close()
    script = (
        "import sys\n"
        "from refcheck.records import Citation, Identifier\n"
        "from refcheck.resolve import Resolver, Settings\n"
        f"resolver = Resolver(Settings(crossref_url='http://127.0.0.1:9', eutils_url='http://127.0.0.1:9', cache_dir={str(tmp_path)!r}))\n"
        "[r] = resolver.resolve([Citation('pmid', '28731372', '', 0, 1, (Identifier('pmid', '28731372'),))])\n"
        "print(r.status, sorted(m for m in ('requests', 'urllib3', 'Bio.Entrez', 'habanero', 'httpx2') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "VERIFIED []", result.stderr
