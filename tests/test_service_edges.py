"""Service clients at their edges: DOIs that URL normalisation would change, malformed PubMed
records, and requests given up on while still in flight."""
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

import pytest

from refcheck.records import ABSENT, FAILED, FOUND
from refcheck.resolve.services.crossref import CrossrefClient
from refcheck.resolve.services.http import RetryPolicy
from refcheck.resolve.services.pubmed import PubMedClient

NOT_FOUND = (404, b"Resource not found.")


class ProgrammableServer:
    """A local HTTP server: answer(path) -> (status, body) or, for a dripping answer, None.
    It logs each request's raw path and counts the requests in flight."""

    def __init__(self):
        self.answer = lambda path: NOT_FOUND
        self.paths: list[str] = []
        self.in_flight = 0
        self.peak_in_flight = 0
        self.stop_dripping = threading.Event()
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                outer.paths.append(self.path)
                with outer._lock:
                    outer.in_flight += 1
                    outer.peak_in_flight = max(outer.peak_in_flight, outer.in_flight)
                try:
                    reply = outer.answer(self.path)
                    if reply is None:
                        outer._drip(self)
                    else:
                        status, body = reply
                        self.send_response(status)
                        self.send_header("Content-Length", str(len(body)))
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
