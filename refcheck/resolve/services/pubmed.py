"""PubMed through NCBI E-utilities: PMID -> Work, DOI/PMCID -> PMID.

Requests are ours (the run's one Transport for NCBI, tenacity, RateLimiter, Circuit) because
Bio.Entrez hard-codes its base URL, has no timeout and retries 429 without pausing. Parsing is
Biopython's Entrez parser made offline-safe and bounded (answers.parse_entrez_xml): a DOCTYPE naming
a newer dated DTD of a family Biopython ships is pointed at the newest shipped one, and any other
DTD, any entity the body declares, and any parse past its deadline is refused. Every record is
checked (validate.py) and must carry the PMID it is filed under.
"""
from __future__ import annotations

import hashlib
import re
import time
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

from ...records import ABSENT, CORRECTED, EXPRESSION_OF_CONCERN, FAILED, FOUND, RETRACTED, Author, Identifier, Lookup, Notice, Work
from ..validate import check_work
from .answers import parse_entrez_xml
from .http import REAL_CLOCK, Circuit, Clock, Limit, RateLimiter, RetryPolicy, ServiceError, Transport, call_with_retries, raise_for_transient

NAME = "pubmed"
LABEL = "PubMed"
PARSE_SECONDS = 30.0  # whole-parse deadline of an answer: far above a capped answer's normal parse (about 1 s for 200 records)
DEFAULT_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
BATCH = 200  # ids per efetch / esummary request, as NCBI recommends
SEARCH_BATCH = 50  # DOIs OR'ed in one esearch term
TEXT_SEARCH_RETMAX = 10  # candidates per free-text search: the few best by PubMed's relevance are worth fetching
POST_ABOVE = 50  # ids: beyond this the id list goes in a POST body
ENDPOINTS = ("efetch", "esummary", "esearch", "ecitmatch")
PUBLIC_LIMIT = Limit(per_second=3, concurrency=3)
KEYED_LIMIT = Limit(per_second=10, concurrency=10)

_COMMENT_FLAGS = {
    "RetractionIn": RETRACTED,
    "ErratumIn": CORRECTED,
    "CorrectedandRepublishedIn": CORRECTED,
    "ExpressionOfConcernIn": EXPRESSION_OF_CONCERN,
}
_ARTICLE = re.compile(rb"<PubmedArticle>.*?</PubmedArticle>", re.S)
_MEDLINE_CITATION = re.compile(rb"<MedlineCitation[\s>].*?</MedlineCitation>", re.S)


class PubMedClient:
    name = NAME
    label = LABEL

    def __init__(self, base_url: str = DEFAULT_URL, *, api_key: str | None = None, email: str | None = None, timeout: float = 20.0,
                 policy: RetryPolicy | None = None, clock: Clock = REAL_CLOCK, limiters=None):
        from ...version import __version__

        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.email = email
        self.timeout = timeout
        self.policy = policy or RetryPolicy()
        self.clock = clock
        self.limit = KEYED_LIMIT if api_key else PUBLIC_LIMIT
        # One budget per API key (named by a hash, never the key), or the keyless one (see CrossrefClient).
        bucket = f"ncbi:key-{hashlib.sha256(api_key.encode()).hexdigest()[:12]}" if api_key else "ncbi:public"
        self.limiter = (limiters or (lambda bucket, limit: RateLimiter(limit, clock)))(bucket, self.limit)
        # One circuit per endpoint: a search that fails says nothing about fetching records.
        self.circuits = {endpoint: Circuit(f"{LABEL} {endpoint}", self.policy) for endpoint in ENDPOINTS}
        self.transport = Transport(f"refcheck/{__version__} (citation checker)", self.limit.concurrency)

    def close(self) -> None:
        self.transport.close()

    def _deadline(self) -> float:
        return time.monotonic() + max(self.timeout, PARSE_SECONDS)

    # -- the E-utilities calls -------------------------------------------------

    def _request(self, endpoint: str, params: dict, check_body=None, *, batch: bool = False) -> bytes:
        """One E-utilities call with retries; check_body (default: an XML answer) raises on a bad 200.
        `batch`: the call answers several keys, and its failure opens the circuit (http.Circuit)."""
        check_body = check_body or check_eutils_body
        params = {**params, "tool": "refcheck"}
        if self.api_key:
            params["api_key"] = self.api_key
        if self.email:
            params["email"] = self.email
        url = f"{self.base_url}/{endpoint}"
        # NCBI asks for POST once an id list gets long (URL length limits).
        use_post = params.get("id", "").count(",") >= POST_ABOVE

        def attempt() -> bytes:
            if use_post:
                answer = self.transport.exchange("POST", url, data=params, timeout=self.timeout)
            else:
                answer = self.transport.exchange("GET", url, params=params, timeout=self.timeout)
            self.limiter.observe(answer.headers)
            raise_for_transient(answer)
            if answer.status != 200:
                raise ServiceError(f"HTTP {answer.status}", retryable=False)
            check_body(answer.body)
            return answer.body

        # The HTTP client is made (and `requests` imported) before the request takes its turn in the rate limit:
        # measured on a loaded 2-core machine, a process's first requests otherwise went out 3-4 s after their
        # turns, all together, and a fleet sharing one budget got 429s (test_postgres_limits).
        self.transport.ready()
        circuit = self.circuits[endpoint.split(".")[0]]
        return call_with_retries(attempt, self.policy, self.limiter, circuit, batch=batch, clock=self.clock)

    def _in_parallel(self, work, batches: list) -> list:
        """Batches side by side, as many at once as the limit allows (the limiter spaces them)."""
        with ThreadPoolExecutor(max_workers=self.limit.concurrency) as pool:
            return list(pool.map(work, batches))

    def fetch(self, pmids: list[str]) -> dict[str, tuple[Lookup, bytes | None]]:
        """efetch in batches; a PMID missing from an answered batch is confirmed with esummary."""
        results: dict[str, tuple[Lookup, bytes | None]] = {}
        for batch_results in self._in_parallel(self._fetch_batch, list(_chunks(pmids, BATCH))):
            results.update(batch_results)
        return results

    def _fetch_batch(self, batch: list[str]) -> dict[str, tuple[Lookup, bytes | None]]:
        try:
            body = self._request("efetch.fcgi", {"db": "pubmed", "id": ",".join(batch), "retmode": "xml"}, batch=len(batch) > 1)
            works, malformed = parse_pubmed_records(body, self._deadline())
        except ServiceError as exc:
            return _unexplained(batch, exc)
        found = {work.pmid: (work, raw) for work, raw in works}
        results = {pmid: (Lookup(NAME, pmid, FOUND, work=found[pmid][0]), found[pmid][1]) for pmid in batch if pmid in found}
        missing = [pmid for pmid in batch if pmid not in found]
        # A malformed record whose PMID cannot be read may be any of the missing ones.
        unreadable = [pmid for pmid in missing if pmid in malformed or None in malformed]
        results.update({pmid: (Lookup(NAME, pmid, FAILED, reason="PubMed: malformed PubMed record"), None) for pmid in unreadable})
        results.update(self._confirm_missing([pmid for pmid in missing if pmid not in unreadable]))
        return results

    def _confirm_missing(self, pmids: list[str]) -> dict[str, tuple[Lookup, bytes | None]]:
        """Only PubMed's explicit "invalid uid" makes a PMID not found."""
        if not pmids:
            return {}
        try:
            body = self._request("esummary.fcgi", {"db": "pubmed", "id": ",".join(pmids)}, batch=len(pmids) > 1)
            invalid = invalid_uids(body)
        except ServiceError as exc:
            return _unexplained(pmids, exc)
        return {
            p: (Lookup(NAME, p, ABSENT, reason="PubMed reports this PMID does not exist"), None)
            if p in invalid
            else (Lookup(NAME, p, FAILED, reason="PubMed: no record returned, though PubMed does not call this PMID invalid"), None)
            for p in pmids
        }

    def search(self, terms: list[str], field: str) -> dict[str, tuple[Lookup, bytes | None]]:
        """PMIDs matching each identifier (DOI or PMCID) in the given search field.

        One esearch per batch of OR'ed terms; which PMID belongs to which term
        is settled later from the fetched records, so the Lookups carry the
        batch's PMIDs and the caller narrows them.
        """
        results: dict[str, tuple[Lookup, bytes | None]] = {}
        for batch_results in self._in_parallel(lambda batch: self._search_batch(batch, field), list(_chunks(terms, SEARCH_BATCH))):
            results.update(batch_results)
        return results

    def _esearch(self, term: str, retmax: int, *, batch: bool = False, **options: str) -> list[str]:
        """The PMIDs one esearch returns; raises ServiceError when it fails."""
        body = self._request("esearch.fcgi", {"db": "pubmed", "term": term, "retmax": str(retmax), **options}, batch=batch)
        return parse_esearch(body, self._deadline())

    def _search_batch(self, batch: list[str], field: str) -> dict[str, tuple[Lookup, bytes | None]]:
        query = " OR ".join(f'"{t.replace(chr(34), "")}"[{field}]' for t in batch)
        try:
            pmids = self._esearch(query, len(batch) * 5, batch=len(batch) > 1)
        except ServiceError as exc:
            return {t: (Lookup(NAME, t, FAILED, reason=f"PubMed search: {exc.reason}"), None) for t in batch}
        related = tuple(Identifier("pmid", p) for p in pmids)
        return {t: (Lookup(NAME, t, FOUND if related else ABSENT, related=related), None) for t in batch}

    def search_text(self, terms: list[str]) -> dict[str, tuple[Lookup, bytes | None]]:
        """Free-text searches, one esearch per term, best match first: the PMIDs as the Lookup's `related`.

        An empty answer is PubMed's own (ABSENT: nothing matches this term); a failure is FAILED, never
        "nothing matches".
        """
        return dict(zip(terms, self._in_parallel(self._search_text, terms)))

    def _search_text(self, term: str) -> tuple[Lookup, None]:
        try:
            pmids = self._esearch(term, TEXT_SEARCH_RETMAX, sort="relevance")
        except ServiceError as exc:
            return Lookup(NAME, term, FAILED, reason=f"PubMed search: {exc.reason}"), None
        if not pmids:
            return Lookup(NAME, term, ABSENT, reason="PubMed found no article for this search"), None
        return Lookup(NAME, term, FOUND, related=tuple(Identifier("pmid", p) for p in pmids)), None

    def citation_match(self, references: dict[str, str]) -> dict[str, str | None]:
        """ECitMatch: key -> "journal|year|volume|first_page|author" -> PMID or None.

        ECitMatch echoes each line's own key field back; a short tag of ours goes there, since a
        caller's key may hold what the field cannot ("|", spaces). One request for up to BATCH
        references; raises ServiceError when it fails.
        """
        answers: dict[str, str | None] = {}
        for batch in _chunks(list(references), BATCH):
            tags = {f"ref{index}": key for index, key in enumerate(batch)}
            bdata = "\r".join(f"{references[key]}|{tag}|" for tag, key in tags.items())
            body = self._request("ecitmatch.cgi", {"db": "pubmed", "retmode": "xml", "bdata": bdata}, check_citmatch_body, batch=len(batch) > 1)
            answers.update({tags[tag]: pmid for tag, pmid in parse_citmatch(body, list(tags)).items()})
        return answers


def _unexplained(pmids: list[str], failure: ServiceError) -> dict[str, tuple[Lookup, None]]:
    """PMIDs PubMed gave no record for, with no word on why. Whether efetch failed or answered without
    them and the esummary asking why failed depends on what else shared the batch, which depends on
    the cache; the same answer must read the same on a cold run and a warm one."""
    reason = f"PubMed: no record returned; could not confirm why ({failure.reason})"
    return {pmid: (Lookup(NAME, pmid, FAILED, reason=reason), None) for pmid in pmids}


def _chunks(items: list[str], size: int):
    for start in range(0, len(items), size):
        yield items[start:start + size]


# -- parsing (pure) -----------------------------------------------------------

def check_citmatch_body(body: bytes) -> None:
    """ECitMatch answers plain text; markup means an error page or an <ERROR>."""
    if re.search(rb"<(?:!doctype|html|\?xml|ERROR)\b", body[:4096], re.I):
        raise ServiceError("not an ECitMatch answer (error page?)")


def parse_citmatch(body: bytes, keys: list[str]) -> dict[str, str | None]:
    """ECitMatch answers one line per query, "...|key|PMID" (PMID empty or NOT_FOUND when none)."""
    text = body.decode("utf-8", "replace")
    wanted = set(keys)
    answers: dict[str, str | None] = {}
    for line in text.splitlines():
        fields = line.strip().split("|")
        if len(fields) >= 7 and fields[5] in wanted:
            answers[fields[5]] = fields[6].strip() if fields[6].strip().isdigit() else None
    missing = wanted - set(answers)
    if missing:
        raise ServiceError(f"ECitMatch answered {len(answers)} of {len(wanted)} references")
    return answers


def check_eutils_body(body: bytes) -> None:
    """A 200 can still be a failure: an HTML error page, an <ERROR>, a cut-off body."""
    head = body[:2048].lstrip().lower()
    if not head.startswith(b"<?xml") and not head.startswith(b"<!doctype") and not head.startswith(b"<e") and not head.startswith(b"<pubmed"):
        raise ServiceError("not an E-utilities XML answer (HTML error page?)")
    if re.search(rb"<ERROR>", body[:4096]) and not re.search(rb"<(?:PubmedArticle|DocSum|IdList)\b", body):
        message = re.search(rb"<ERROR>(.{0,200}?)</ERROR>", body, re.S)
        raise ServiceError(f"E-utilities error: {message.group(1).decode('utf-8', 'replace').strip() if message else 'unknown'}")


@lru_cache(maxsize=1)
def _shipped_dtds() -> frozenset[str]:
    import Bio.Entrez

    return frozenset(p.name for p in (Path(Bio.Entrez.__file__).parent / "DTDs").iterdir())


def _offline_doctype(body: bytes) -> bytes:
    """Point the DOCTYPE at a DTD Biopython ships, so parsing never goes online.

    A newer dated DTD of a family Biopython knows (pubmed_250101.dtd,
    nlmmedlinecitationset_160101.dtd) is replaced by the newest shipped one
    of that family: the element names these parsers read have not changed.
    """
    match = re.search(rb'<!DOCTYPE\s+\w+\s+PUBLIC\s+"[^"]*"\s+"([^"]+)"\s*>', body[:2048])
    if not match:
        return body
    names = _shipped_dtds()
    location, _, dtd = match.group(1).decode("ascii", "replace").rpartition("/")
    if dtd in names:
        return body
    family = re.fullmatch(r"([a-z]+)_\d{6}\.dtd", dtd)
    shipped = sorted(n for n in names if family and re.fullmatch(rf"{family.group(1)}_\d{{6}}\.dtd", n))
    if not shipped:
        raise ServiceError(f"XML uses DTD {dtd}, which is not available offline", retryable=False)
    replacement = match.group(0).replace(match.group(1), f"{location}/{shipped[-1]}".encode())
    return body.replace(match.group(0), replacement, 1)


def _entrez_read(body: bytes, deadline: float | None):
    """deadline None: a local file the user chose (cache import of a baseline file), parsed however long it takes."""
    return parse_entrez_xml(_offline_doctype(body), deadline if deadline is not None else float("inf"))


def parse_esearch(body: bytes, deadline: float | None = None) -> list[str]:
    result = _entrez_read(body, deadline)
    if not isinstance(result, dict) or "IdList" not in result:
        raise ServiceError("malformed esearch answer")
    pmids = [str(p) for p in result["IdList"]]
    if not all(re.fullmatch(r"[1-9]\d{0,9}", pmid) for pmid in pmids):
        raise ServiceError("malformed esearch answer (an id is not a PMID)")
    return pmids


def invalid_uids(body: bytes) -> set[str]:
    """The ids an esummary answer explicitly calls invalid."""
    text = body.decode("utf-8", "replace")
    invalid = set(re.findall(r"Invalid uid (\d+)", text))
    for docsum in re.findall(r"<DocSum>(.*?)</DocSum>", text, re.S):
        uid = re.search(r"<Id>(\d+)</Id>", docsum)
        if uid and re.search(r'Name="error"', docsum, re.I):
            invalid.add(uid.group(1))
    return invalid


def parse_pubmed_xml(body: bytes, deadline: float | None = None) -> list[tuple[Work, bytes]]:
    """Works of a PubmedArticleSet (efetch) or a MedlineCitationSet (baseline file), each with its raw XML;
    records that cannot be read are left out."""
    return parse_pubmed_records(body, deadline)[0]


def parse_pubmed_records(body: bytes, deadline: float | None = None) -> tuple[list[tuple[Work, bytes]], set[str | None]]:
    """(works with their raw XML, the PMIDs of the records that cannot be read: None where the PMID
    itself cannot). One malformed record costs its own PMID, not the batch's."""
    record = _entrez_read(body, deadline)
    if isinstance(record, dict) and "PubmedArticle" in record:
        articles, pattern = record["PubmedArticle"], _ARTICLE
    elif isinstance(record, dict) and "MedlineCitation" in record:
        articles, pattern = [{"MedlineCitation": c} for c in record["MedlineCitation"]], _MEDLINE_CITATION
    else:
        raise ServiceError("malformed efetch answer (no PubmedArticleSet)")
    raw_by_pmid = {}
    for raw in pattern.findall(body):
        pmid = re.search(rb"<PMID[^>]*>(\d+)</PMID>", raw)
        if pmid:
            raw_by_pmid.setdefault(pmid.group(1).decode(), raw)
    works, malformed = [], set()
    for article in articles:
        try:
            work = check_work(work_from_pubmed(article))
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):  # InvalidRecord is a ValueError
            malformed.add(_record_pmid(article))
            continue
        works.append((work, raw_by_pmid.get(work.pmid or "", b"")))
    return works, malformed


def _record_pmid(article) -> str | None:
    try:
        return _text(article["MedlineCitation"]["PMID"]) or None
    except (KeyError, TypeError):
        return None


def _text(value) -> str:
    # Titles and abstracts carry inline markup (<sub>, <i>) that is not prose.
    return re.sub(r"\s+", " ", re.sub(r"</?[a-z]{1,10}>", "", str(value or ""))).strip()


def _year(journal_issue: dict) -> int | None:
    date = journal_issue.get("PubDate", {})
    found = re.search(r"\d{4}", str(date.get("Year") or date.get("MedlineDate") or ""))
    return int(found.group(0)) if found else None


def work_from_pubmed(article: dict) -> Work:
    citation = article["MedlineCitation"]
    details = citation["Article"]
    journal = details.get("Journal", {})
    issue = journal.get("JournalIssue", {})
    ids = {str(i.attributes.get("IdType")): str(i) for i in article.get("PubmedData", {}).get("ArticleIdList", [])}
    doi = ids.get("doi") or next((str(e) for e in details.get("ELocationID", []) if e.attributes.get("EIdType") == "doi"), None)
    abstract_parts = []
    for part in details.get("Abstract", {}).get("AbstractText", []):
        label = getattr(part, "attributes", {}).get("Label")
        abstract_parts.append(f"{label.capitalize()}: {_text(part)}" if label else _text(part))
    authors = []
    for author in details.get("AuthorList", []):
        if "LastName" in author:
            authors.append(Author(family=_text(author["LastName"]), given=_text(author.get("ForeName") or author.get("Initials"))))
        elif "CollectiveName" in author:
            authors.append(Author(family=_text(author["CollectiveName"])))
    types = tuple(_text(t) for t in details.get("PublicationTypeList", []))
    flags = []
    if "Retracted Publication" in types:
        flags.append(RETRACTED)
    # The notice itself is no retracted work, but whoever cites it should know what it is.
    notes = tuple(f"this PubMed record is a {kind.lower()} notice" for kind in ("Retraction of Publication", "Expression of Concern") if kind in types)
    notices = []
    for comment in citation.get("CommentsCorrectionsList", []):
        flag = _COMMENT_FLAGS.get(str(comment.attributes.get("RefType")))
        if flag and flag not in flags:
            flags.append(flag)
        notice_pmid = _text(comment.get("PMID")) if flag and hasattr(comment, "get") else ""
        if notice_pmid.isdigit():
            notices.append(Notice(flag, Identifier("pmid", notice_pmid)))
    return Work(
        title=_text(details.get("ArticleTitle")).rstrip("."),
        authors=tuple(authors),
        year=_year(issue),
        journal=_text(journal.get("Title")),
        journal_abbreviation=_text(journal.get("ISOAbbreviation")),
        notices=tuple(dict.fromkeys(notices)),
        volume=_text(issue.get("Volume")),
        issue=_text(issue.get("Issue")),
        page=_text(details.get("Pagination", {}).get("MedlinePgn")) if isinstance(details.get("Pagination"), dict) else "",
        doi=doi.lower() if doi else None,
        pmid=_text(citation["PMID"]),
        pmcid=ids.get("pmc"),
        abstract=" ".join(abstract_parts) or None,
        publication_types=types,
        flags=tuple(flags),
        source=NAME,
        notes=notes,
    )
