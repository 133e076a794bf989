"""Service clients at their edges: DOIs that URL normalisation would change, malformed PubMed
records, and requests given up on while still in flight."""
import gzip
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

import pytest

from refcheck.records import ABSENT, FAILED, FOUND
from refcheck.resolve.services.crossref import CrossrefClient
from refcheck.resolve.services import habanero_client
from refcheck.resolve.services.http import RateLimiter, RetryPolicy
from refcheck.resolve.services.pubmed import PubMedClient

from replay_server import gzip_bomb

NOT_FOUND = (404, b"Resource not found.")


class ProgrammableServer:
    """A local HTTP server: answer(path) -> (status, body), (status, body, headers) or, for a dripping
    answer, None. It logs each request's raw path and User-Agent and counts the requests in flight."""

    def __init__(self):
        self.answer = lambda path: NOT_FOUND
        self.paths: list[str] = []
        self.user_agents: list[str] = []
        self.in_flight = 0
        self.peak_in_flight = 0
        self.stop_dripping = threading.Event()
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                outer.paths.append(self.path)
                outer.user_agents.append(self.headers.get("User-Agent", ""))
                with outer._lock:
                    outer.in_flight += 1
                    outer.peak_in_flight = max(outer.peak_in_flight, outer.in_flight)
                try:
                    reply = outer.answer(self.path)
                    if reply is None:
                        outer._drip(self)
                    else:
                        status, body, *headers = reply
                        self.send_response(status)
                        self.send_header("Content-Length", str(len(body)))
                        for name, value in headers[0] if headers else ():
                            self.send_header(name, value)
                        self.end_headers()
                        self.wfile.write(body)
                finally:
                    with outer._lock:
                        outer.in_flight -= 1

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def _drip(self, handler):
        # One byte per 0.1 s: every read is well within the client's timeout, the answer never is.
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        try:
            while not self.stop_dripping.wait(0.1):
                handler.wfile.write(b" ")
                handler.wfile.flush()
        except OSError:
            pass
        handler.close_connection = True

    def __enter__(self):
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.stop_dripping.set()
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def server():
    with ProgrammableServer() as running:
        yield running


@pytest.mark.parametrize(
    "doi, raw_path",
    [
        ("10.1000/x/../y", "/crossref/works/10.1000/x/%2E%2E/y"),
        ("10.1000/./y", "/crossref/works/10.1000/%2E/y"),
        ("10.1000/abc/", "/crossref/works/10.1000/abc%2F"),
    ],
)
def test_crossref_is_asked_for_exactly_the_cited_doi(server, doi, raw_path):
    """HTTP clients remove dot segments and may strip a trailing slash: a 404 for that other DOI must
    not make the cited one "not found"."""
    client = CrossrefClient(f"{server.url}/crossref", policy=RetryPolicy(attempts=1))
    lookup, _ = client._lookup_one(doi)
    assert server.paths == [raw_path] and unquote(raw_path) == f"/crossref/works/{doi}"
    assert lookup.outcome == ABSENT


RECORDED_DOI = "10.1371/journal.pone.0033693"


def recorded_work(shared_dir) -> bytes:
    return (shared_dir / "fixtures" / "crossref_habanero" / f"works_{RECORDED_DOI.replace('/', '_')}.json").read_bytes()


def test_crossref_is_asked_through_habanero_on_one_client_for_the_run(server, shared_dir, monkeypatch):
    """habanero sends the request (its User-Agent), through one httpx2 client for the whole run, and
    the headers of a success reach the rate limiter although habanero returns only the body."""
    import habanero.request
    import habanero.request_class
    import httpx2

    made = []
    real_init = httpx2.Client.__init__
    monkeypatch.setattr(httpx2.Client, "__init__", lambda self, *a, **k: made.append(self) or real_init(self, *a, **k))
    rate = [("Content-Type", "application/json"), ("X-Rate-Limit-Limit", "2"), ("X-Rate-Limit-Interval", "1s")]
    server.answer = lambda path: (200, gzip.compress(recorded_work(shared_dir)), rate + [("Content-Encoding", "gzip")])
    client = CrossrefClient(f"{server.url}/crossref", mailto="tests@example.org", policy=RetryPolicy(attempts=1))
    lookups = [client._lookup_one(RECORDED_DOI)[0] for _ in range(3)]
    assert [lookup.outcome for lookup in lookups] == [FOUND] * 3 and lookups[0].work.doi == RECORDED_DOI
    assert len(made) == 1 and len(server.paths) == 3
    assert all("habanero/" in agent and "refcheck/" in agent and "mailto:tests@example.org" in agent for agent in server.user_agents)
    assert client.limiter._interval == pytest.approx(RateLimiter.HEADROOM / 2)
    assert habanero.request.httpx2 is habanero_client.HTTPX_FOR_HABANERO is habanero.request_class.httpx2
    client.close()


def test_habanero_outside_refcheck_calls_is_left_as_it_is(monkeypatch):
    """The stand-in for httpx2 in habanero's modules sends through refcheck's client only within
    refcheck's own call, in its own thread: anyone else's habanero call gets httpx2.get unchanged."""
    import httpx2

    habanero_client.install()
    sent_by_httpx2 = []
    monkeypatch.setattr(httpx2, "get", lambda url, **options: sent_by_httpx2.append(url))
    http = habanero_client.HttpxClient(answer_seconds=1.0, connections=1)
    with habanero_client.bound_call(http):
        other = threading.Thread(target=habanero_client.HTTPX_FOR_HABANERO.get, args=("http://127.0.0.1:9/elsewhere",))
        other.start()
        other.join()
    habanero_client.HTTPX_FOR_HABANERO.get("http://127.0.0.1:9/outside")
    assert sent_by_httpx2 == ["http://127.0.0.1:9/elsewhere", "http://127.0.0.1:9/outside"] and http._client is None
    assert habanero_client.HTTPX_FOR_HABANERO.HTTPStatusError is httpx2.HTTPStatusError  # habanero's except clauses still match


def test_a_crossref_gzip_bomb_through_habanero_is_cut_at_the_cap(server):
    bomb = gzip_bomb(256 * 1024 * 1024)
    server.answer = lambda path: (200, bomb, [("Content-Type", "application/json"), ("Content-Encoding", "gzip")])
    lookup, raw = CrossrefClient(f"{server.url}/crossref", policy=RetryPolicy(attempts=1))._lookup_one(RECORDED_DOI)
    assert lookup.outcome == FAILED and "once decompressed" in lookup.reason and raw is None


@pytest.mark.parametrize("status, body, outcome, reason", [
    (404, b"Resource not found.", ABSENT, "no record of this DOI"),
    (404, b"<html>Not Found</html>", FAILED, "HTTP 404"),  # a proxy's 404 is no verdict
    (503, b'{"status": "error", "message": [{"message": "down"}]}', FAILED, "HTTP 503"),
    (200, b"<html>maintenance</html>", FAILED, "not JSON"),
])
def test_habanero_failures_mean_what_the_answer_says(server, status, body, outcome, reason):
    content_type = "application/json" if body.startswith(b"{") else "text/html"
    server.answer = lambda path: (status, body, [("Content-Type", content_type)])
    lookup, _ = CrossrefClient(f"{server.url}/crossref", policy=RetryPolicy(attempts=1))._lookup_one(RECORDED_DOI)
    assert lookup.outcome == outcome and reason in lookup.reason


def test_a_list_answer_habanero_cannot_read_fails_its_dois_without_asking_each(server):
    """habanero reads a list's total-results itself (KeyError without it): no record, no fan-out."""
    server.answer = lambda path: (200, b'{"status": "ok", "message-type": "work-list", "message": {}}', [("Content-Type", "application/json")])
    results = CrossrefClient(f"{server.url}/crossref", policy=RetryPolicy(attempts=1)).lookup([RECORDED_DOI, "10.1038/srep16696"])
    assert {lookup.outcome for lookup, _ in results.values()} == {FAILED} and len(server.paths) == 1
    assert all("not a Crossref answer" in lookup.reason for lookup, _ in results.values())


def efetch_set(*articles: bytes) -> bytes:
    return (
        b'<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2023//EN" '
        b'"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_230101.dtd">\n<PubmedArticleSet>' + b"".join(articles) + b"</PubmedArticleSet>"
    )


def recorded_article(shared_dir, pmid: str) -> bytes:
    body = (shared_dir / "fixtures" / "metapub" / "pmid_xml" / f"{pmid}.xml").read_bytes()
    return re.search(rb"<PubmedArticle>.*?</PubmedArticle>", body, re.S).group(0)


NO_ARTICLE = b'<PubmedArticle><MedlineCitation><PMID Version="1">12345678</PMID></MedlineCitation></PubmedArticle>'
NO_PMID = b"<PubmedArticle><MedlineCitation><Article><ArticleTitle>X</ArticleTitle></Article></MedlineCitation></PubmedArticle>"


def test_one_malformed_pubmed_record_fails_only_its_own_pmid(server, shared_dir):
    body = efetch_set(recorded_article(shared_dir, "35649368"), NO_ARTICLE, recorded_article(shared_dir, "37729413"))
    server.answer = lambda path: (200, body) if "efetch" in path else (503, b"")
    results = PubMedClient(f"{server.url}/eutils", policy=RetryPolicy(attempts=1)).fetch(["35649368", "12345678", "37729413"])
    assert {pmid: lookup.outcome for pmid, (lookup, _) in results.items()} == {"35649368": FOUND, "12345678": FAILED, "37729413": FOUND}
    assert results["12345678"][0].reason == "PubMed: malformed PubMed record"


def test_a_malformed_record_without_a_pmid_fails_every_pmid_it_may_be(server, shared_dir):
    body = efetch_set(recorded_article(shared_dir, "35649368"), NO_PMID)
    server.answer = lambda path: (200, body) if "efetch" in path else (503, b"")
    results = PubMedClient(f"{server.url}/eutils", policy=RetryPolicy(attempts=1)).fetch(["35649368", "12345678"])
    assert results["35649368"][0].outcome == FOUND
    assert results["12345678"][0].outcome == FAILED and results["12345678"][0].reason == "PubMed: malformed PubMed record"


def test_a_dripping_answer_is_cut_at_its_deadline_and_its_connection_closed(server):
    """A request given up on is closed at its deadline, not left running: the server sees each
    connection end (at its next write) and nothing stays in flight after the lookup has failed."""
    server.answer = lambda path: None
    client = CrossrefClient(f"{server.url}/crossref", timeout=0.25, policy=RetryPolicy(attempts=2, total_seconds=1.5, base_wait=0.01, max_wait=0.05))
    assert client.limit.concurrency == 1
    started = time.monotonic()
    lookup, _ = client._lookup_one("10.1000/xyz")
    assert lookup.outcome == FAILED and "timed out" in lookup.reason and time.monotonic() - started < 2.0
    assert len(server.paths) == 2
    ended = time.monotonic() + 1.0
    while server.in_flight and time.monotonic() < ended:
        time.sleep(0.02)
    assert server.in_flight == 0
