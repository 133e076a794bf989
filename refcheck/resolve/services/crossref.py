"""Crossref REST API through habanero: DOIs -> Works, and bibliographic searches.

habanero sends the requests; refcheck gives it its HTTP client and keeps everything habanero 2.9
does not do (measured):
- its client: habanero builds a new httpx2 client per call and reads answers whole with no cap.
  habanero_client.py hands it, for refcheck's calls only, one httpx2.Client per CrossrefClient for
  the whole run whose transport reads every answer through the bounded reader (answers.py: byte
  caps before and after decompression, one deadline, JSON depth and NaN refused). How, and why it
  is scoped to refcheck's calls: see that module's docstring.
- URL-encoding of DOIs (doi_path; a DOI httpx2 would still send as another is not sent),
- retries, the run's retry budget and the circuit breaker (http.call_with_retries, http.Circuit),
  rate limits (RateLimiter, tightened by x-rate-limit-* headers, which habanero does not return but
  the bound call keeps), batching (several DOIs per filter=doi:... list),
- one meaning per failure: habanero raises httpx2.HTTPStatusError from /works/{doi},
  RequestError or HTTPStatusError from lists and searches (JSON error body or not), RequestError
  for a 200 that is not JSON, KeyError/TypeError when a list answer lacks what it reads
  (_as_service_error maps them all, by the status line of the answer it got).
habanero's deep paging is switched off (cursor_max=0): an answer announcing a next-cursor must not
make it ask again, unbounded.

Several DOIs go in one list request when there is more than one to ask; a DOI absent from a list
answer is then asked on its own, because only Crossref's own "Resource not found." 404 for that DOI
means it does not exist. A list that fails is not asked again DOI by DOI: its DOIs are FAILED, and
the circuit (http.Circuit) stops asking a Crossref that fails. Lists and searches have their own,
lower, published limits.

Every record is checked before it is believed (validate.py): the fields refcheck uses must have
the right types and ranges, and a record must carry the DOI that was asked for.
"""
from __future__ import annotations

import html
import json
import re
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

from ...records import ABSENT, CORRECTED, EXPRESSION_OF_CONCERN, FAILED, FOUND, RETRACTED, Author, Identifier, Lookup, Notice, Work
from ..validate import InvalidRecord, check_identity, check_work
from .habanero_client import HttpxClient, bound_call, install
from .http import REAL_CLOCK, Circuit, Clock, Limit, RateLimiter, RetryPolicy, ServiceError, call_with_retries, retry_after_seconds

NAME = "crossref"
LABEL = "Crossref"
DEFAULT_URL = "https://api.crossref.org"
# Published limits since December 2025.
PUBLIC_LIMIT = Limit(per_second=5, concurrency=1)  # single records
POLITE_LIMIT = Limit(per_second=10, concurrency=3)
PUBLIC_LIST_LIMIT = Limit(per_second=1, concurrency=1)  # lists (filter=doi:...) and searches
POLITE_LIST_LIMIT = Limit(per_second=3, concurrency=3)
FILTER_BATCH = 50  # DOIs per filter=doi:... request; keeps the URL well under common 8 kB limits
SEARCH_ROWS = 5  # candidates per bibliographic search

_UPDATE_FLAGS = {
    "retraction": RETRACTED,
    "withdrawal": RETRACTED,
    "removal": RETRACTED,
    "partial_retraction": CORRECTED,
    "correction": CORRECTED,
    "erratum": CORRECTED,
    "corrigendum": CORRECTED,
    "addendum": CORRECTED,
    "expression_of_concern": EXPRESSION_OF_CONCERN,
}

LookupsWithRaw = dict[str, tuple[Lookup, "bytes | None"]]


class CrossrefClient:
    name = NAME
    label = LABEL

    def __init__(self, base_url: str = DEFAULT_URL, *, mailto: str | None = None, timeout: float = 15.0, policy: RetryPolicy | None = None,
                 clock: Clock = REAL_CLOCK, limiters=None):
        from ...version import __version__

        self.base_url = base_url.rstrip("/")
        self.mailto = mailto
        self.timeout = timeout
        self.policy = policy or RetryPolicy()
        self.clock = clock
        self.limit = POLITE_LIMIT if mailto else PUBLIC_LIMIT
        self.list_limit = POLITE_LIST_LIMIT if mailto else PUBLIC_LIST_LIMIT
        # limiters(bucket, limit): one budget per pool, this process's own unless shared (shared_limits.py).
        make = limiters or (lambda bucket, limit: RateLimiter(limit, clock))
        pool = "polite" if mailto else "public"
        self.limiter = make(f"crossref:{pool}", self.limit)
        self.list_limiter = make(f"crossref-list:{pool}", self.list_limit)
        # One circuit per kind of request: lists and searches failing say nothing about single records.
        self.circuits = {"records": Circuit(f"{LABEL} records", self.policy), "lists": Circuit(f"{LABEL} lists and searches", self.policy)}
        self.user_agent = f"refcheck/{__version__}"  # habanero adds its own and, for the polite pool, the mailto
        self.http = HttpxClient(answer_seconds=timeout, connections=max(self.limit.concurrency, self.list_limit.concurrency) + 2)

    def close(self) -> None:
        self.http.close()

    # -- requests ----------------------------------------------------------------------

    def _ready(self):
        """habanero's Crossref, with habanero imported and installed and this client's HTTP client made,
        all before a request takes its turn in the rate limit: done between its turn and its sending, the
        first request of a process would go out seconds late, together with the ones after it (PubMedClient._request)."""
        from habanero import Crossref

        install()
        self.http.client()
        return Crossref(base_url=self.base_url, mailto=self.mailto, ua_string=self.user_agent, timeout=self.timeout)

    def _works(self, limiter: RateLimiter, *, batch: bool = False, **query) -> dict:
        """One habanero works() call -> the answer's `message`, with retries; ServiceError when it cannot."""

        habanero = self._ready()

        def attempt() -> dict:
            with bound_call(self.http) as call:
                try:
                    document = habanero.works(**query)
                except Exception as exc:
                    raise _as_service_error(exc, call.response) from None
            limiter.observe(call.response.headers)
            if call.response.status_code != 200:
                raise ServiceError(f"HTTP {call.response.status_code}", retryable=False)
            if not isinstance(document, dict) or not isinstance(document.get("message"), dict):
                raise ServiceError("not a Crossref answer (no message object)")
            return document["message"]

        circuit = self.circuits["records" if "ids" in query else "lists"]
        return call_with_retries(attempt, self.policy, limiter, circuit, batch=batch, clock=self.clock)

    def lookup(self, dois: list[str]) -> LookupsWithRaw:
        """Look up DOIs: in lists when that takes fewer requests, each list's absentees singly."""
        if len(dois) < 2:
            return self._lookup_singly(dois)
        batches = [dois[i:i + FILTER_BATCH] for i in range(0, len(dois), FILTER_BATCH)]
        with ThreadPoolExecutor(max_workers=self.list_limit.concurrency) as pool:
            listed = list(pool.map(self._lookup_list, batches))
        results: LookupsWithRaw = {}
        for batch_results in listed:
            results.update(batch_results)
        results.update(self._lookup_singly([doi for doi in dois if doi not in results]))
        return results

    def _lookup_list(self, dois: list[str]) -> LookupsWithRaw:
        """The DOIs a filter=doi:... answer holds; the others are left for single lookups. A failed
        list fails its DOIs: asking each alone would multiply the requests to a failing service."""
        # habanero writes doi:A,doi:B; the server splits before each "doi:", so DOIs may hold commas.
        try:
            message = self._works(self.list_limiter, filter={"doi": list(dois)}, limit=len(dois), cursor_max=0, batch=True)
        except ServiceError as exc:
            return {doi: (Lookup(NAME, doi, FAILED, reason=f"{LABEL}: {exc.reason}"), None) for doi in dois}
        wanted = set(dois)
        items = message.get("items")
        results: LookupsWithRaw = {}
        for item in items if isinstance(items, list) else []:
            doi = item.get("DOI") if isinstance(item, dict) else None
            doi = doi.lower() if isinstance(doi, str) else ""
            if doi in wanted and doi not in results:
                results[doi] = found_lookup(doi, item)
        return results

    def _lookup_singly(self, dois: list[str]) -> LookupsWithRaw:
        with ThreadPoolExecutor(max_workers=self.limit.concurrency) as pool:
            return dict(zip(dois, pool.map(self._lookup_one, dois)))

    def _lookup_one(self, doi: str) -> tuple[Lookup, bytes | None]:
        path = doi_path(doi)
        if not _arrives_unchanged(f"{self.base_url}/works/", path, doi):
            return Lookup(NAME, doi, FAILED, reason=f"{LABEL}: this DOI cannot be sent unchanged in a URL"), None
        try:
            message = self._works(self.limiter, ids=path)
        except ServiceError as exc:
            if exc.reason == _NOT_FOUND:
                return Lookup(NAME, doi, ABSENT, reason=f"{LABEL} has no record of this DOI (HTTP 404)"), None
            return Lookup(NAME, doi, FAILED, reason=f"{LABEL}: {exc.reason}"), None
        return found_lookup(doi, message)

    def search(self, query: str, rows: int = SEARCH_ROWS) -> list[Work]:
        """Candidates for a free-text reference (query.bibliographic); ServiceError when it fails."""
        message = self._works(self.list_limiter, query_bibliographic=query, limit=rows, cursor_max=0)
        return works_from_list(message)


_NOT_FOUND = "not found"
_DOT_SEGMENTS = {".": "%2E", "..": "%2E%2E"}


def doi_path(doi: str) -> str:
    """The DOI as the tail of a /works/ URL path that reaches Crossref as this DOI and no other.

    Quoted, but "/" kept: Crossref's own form. Two things would otherwise ask for another DOI:
    httpx2 removes "." and ".." segments (10.1000/x/../y arrives as 10.1000/y) and habanero strips a
    trailing "/". Percent-encoded, neither is a segment or a slash to them (httpx2 does not decode
    %2E or %2F in a path), and the server decodes them back to the DOI.
    """
    segments = [_DOT_SEGMENTS.get(segment, segment) for segment in quote(doi, safe="/").split("/")]
    if segments[-1] == "":
        segments[-2:] = [segments[-2] + "%2F"]
    return "/".join(segments)


def _arrives_unchanged(prefix: str, path: str, doi: str) -> bool:
    """Whether httpx2 sends prefix + path as a path that decodes to the DOI (checked, not assumed:
    a 404 for a DOI other than the cited one must never make it "not found")."""
    import httpx2

    try:
        return httpx2.URL(prefix + path).path == httpx2.URL(prefix).path + doi
    except httpx2.InvalidURL:
        return False


def _as_service_error(exc: Exception, response) -> ServiceError:
    """What a habanero failure means, by the answer it got (`response`, None when none came).

    habanero reports the same answer differently per code path (module docstring); the status line
    does not vary, so it decides, even when the error body itself was refused by the bounded parser
    (habanero reads the JSON of an error body on the list path). Otherwise a ServiceError (from the
    transport or the parser) stands; any other failure without an answer is a bug, not a service's
    answer, and is not hidden.
    """
    from habanero.exceptions import RequestError

    if response is None or (isinstance(exc, ServiceError) and response.status_code == 200):
        if isinstance(exc, ServiceError):
            return exc
        raise exc
    status = response.status_code
    if status == 404 and response.content.lstrip().startswith(b"Resource not found"):
        return ServiceError(_NOT_FOUND, retryable=False)
    if status == 429 or status >= 500:
        return ServiceError(f"HTTP {status}", retry_after=retry_after_seconds(response.headers.get("Retry-After")))
    if status != 200:
        return ServiceError(f"HTTP {status}", retryable=False)
    if isinstance(exc, RequestError):  # check_json: a 200 that is not JSON, such as a proxy's HTML error page
        return ServiceError("not a Crossref answer (HTTP 200, not JSON)")
    if isinstance(exc, (KeyError, TypeError, AttributeError, IndexError)):
        # A JSON answer without what habanero reads (a list's total-results, a Content-Type): the
        # same request would get the same answer, and it says nothing about the service being down.
        return ServiceError("not a Crossref answer (malformed message)", retryable=False)
    raise exc


def found_lookup(doi: str, message: dict) -> tuple[Lookup, bytes | None]:
    """The record for `doi` when the message is one, about that DOI; FAILED with the reason otherwise."""
    try:
        work = check_work(work_from_crossref(message))
        check_identity(work, "doi", doi)
    except InvalidRecord as exc:
        return Lookup(NAME, doi, FAILED, reason=f"{LABEL}: unusable record ({exc})"), None
    return Lookup(NAME, doi, FOUND, work=work), json.dumps(message, sort_keys=True).encode()


def works_from_list(message: dict) -> list[Work]:
    """The works of a work-list message (search or filter), skipping malformed items."""
    items = message.get("items")
    works = []
    for item in items if isinstance(items, list) else []:
        try:
            works.append(check_work(work_from_crossref(item)))
        except InvalidRecord:
            continue
    return works


def _field(message: dict, name: str, kinds: tuple, default):
    """A field of the record, of one of the expected JSON types (absent or null: the default)."""
    value = message.get(name)
    if value is None:
        return default
    if not isinstance(value, kinds) or isinstance(value, bool):
        raise InvalidRecord(f"{name} is {type(value).__name__}")
    return value


def _text(message: dict, name: str) -> str:
    """A text field; Crossref writes some numbers (volume, issue) as numbers."""
    value = _field(message, name, (str, int), "")
    return str(value)


def _first(message: dict, name: str) -> str:
    """The first string of a list field (title, container-title)."""
    values = _field(message, name, (list,), [])
    if values and not isinstance(values[0], str):
        raise InvalidRecord(f"{name} holds {type(values[0]).__name__}, not text")
    return values[0].strip() if values else ""


def _year(message: dict) -> int | None:
    for name in ("issued", "published-print", "published-online", "published", "created"):
        date = _field(message, name, (dict,), {})
        parts = _field(date, "date-parts", (list,), [])
        first = parts[0] if parts else None
        if not isinstance(first, list):
            if first is not None:
                raise InvalidRecord(f"{name} date-parts is not a list of lists")
            continue
        year = first[0] if first else None
        if year is None:
            continue
        if type(year) is not int:
            raise InvalidRecord(f"{name} year is {type(year).__name__}")
        return year
    return None


def jats_to_text(markup: str) -> str:
    """Crossref abstracts are JATS XML fragments; keep the prose only."""
    markup = re.sub(r"<jats:title>\s*Abstract\s*</jats:title>", " ", markup, flags=re.I)
    markup = re.sub(r"</?(?:jats:)?(?:p|sec|title)\b[^>]*>", "\n", markup)
    text = html.unescape(re.sub(r"<[^>]{0,200}>", "", markup))
    return re.sub(r"[ \t]*\n\s*", " ", text).strip()


def _updates(message: dict, name: str) -> list[dict]:
    return [update for update in _field(message, name, (list,), []) if isinstance(update, dict)]


def _update_kind(update: dict) -> str:
    return str(update.get("type", "")).lower().replace("-", "_").replace(" ", "_")


def _update_doi(update: dict) -> str:
    return str(update.get("DOI", "")).strip().lower()


def update_notices(message: dict) -> tuple[Notice, ...]:
    """The notices `updated-by` names by DOI, each with the flag it gives (once, though publisher and Retraction
    Watch may both list it)."""
    notices = (Notice(_UPDATE_FLAGS[_update_kind(update)], Identifier("doi", _update_doi(update)))
               for update in _updates(message, "updated-by") if _update_kind(update) in _UPDATE_FLAGS and _update_doi(update))
    return tuple(dict.fromkeys(notices))


def update_status(message: dict) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(flags, notes) from the record's Crossmark updates, the one place Crossref documents them.

    `updated-by` lists the notices that update this work; Crossref now also puts Retraction Watch's
    entries there ("source": "retraction-watch", beside "publisher"), and either source flags.
    `update-to` lists the works this record updates: a retraction notice is no retracted work, but a
    reader citing one should be told. An update-to naming the record's own DOI is an in-situ update
    (Crossmark's "Example 3"): the record is then the updated work and takes the flag itself.
    Not read, because Crossref documents no retraction signal there: `relation` (the relations.xsd
    vocabulary has no retraction type; Crossref sends updates to Crossmark), `type` (the work types
    have no notice type) and `subtype` (only posted content has one: preprint, working paper, ...).
    """
    own_doi = _text(message, "DOI").strip().lower()
    notes: list[str] = []
    flags = [_UPDATE_FLAGS.get(_update_kind(update), "") for update in _updates(message, "updated-by")]
    for update in _updates(message, "update-to"):
        kind, target = _update_kind(update), _update_doi(update)
        if kind not in _UPDATE_FLAGS:
            continue
        if target and target == own_doi:
            flags.append(_UPDATE_FLAGS[kind])
        else:
            notice = f"this DOI is a {kind.replace('_', ' ')} notice"
            notes.append(f"{notice} for doi:{target}" if target else notice)
    # dict.fromkeys: one entry per flag and note, though publisher and Retraction Watch list the same update.
    return tuple(dict.fromkeys(f for f in flags if f)), tuple(dict.fromkeys(notes))


def _authors(message: dict) -> tuple[Author, ...]:
    authors = []
    for entry in _field(message, "author", (list,), []):
        if not isinstance(entry, dict):
            raise InvalidRecord("an author is not an object")
        family = _field(entry, "family", (str,), "") or _field(entry, "name", (str,), "")
        if family:
            authors.append(Author(family=family, given=_field(entry, "given", (str,), "")))
    return tuple(authors)


def work_from_crossref(message: dict) -> Work:
    """A Work from a Crossref work record; InvalidRecord when a field refcheck uses has the wrong type."""
    if not isinstance(message, dict):
        raise InvalidRecord("the record is not an object")
    flags, notes = update_status(message)
    abstract = _field(message, "abstract", (str,), "")
    doi = _field(message, "DOI", (str,), "").lower()
    return Work(
        title=re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]{0,100}>", "", _first(message, "title")))),
        authors=_authors(message),
        year=_year(message),
        journal=_first(message, "container-title"),
        journal_abbreviation=_first(message, "short-container-title"),
        notices=update_notices(message),
        volume=_text(message, "volume"),
        issue=_text(message, "issue"),
        page=_text(message, "page") or _text(message, "article-number"),
        doi=doi or None,
        abstract=jats_to_text(abstract) if abstract else None,
        type=(_field(message, "type", (str,), "") or "article-journal").replace("journal-article", "article-journal"),
        flags=flags,
        source=NAME,
        notes=notes,
    )
