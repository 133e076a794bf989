"""Crossref REST API through habanero: DOIs -> Works, and bibliographic searches.

habanero is wrapped, not trusted (habanero 2.9, measured): it does no
URL-encoding of DOIs (we quote them; see doi_path), no retries (call_with_retries does),
no rate limiting (our RateLimiter does), raises a different exception type per
code path (_as_service_error maps them all to one "could not check" error),
and its timeout bounds each read, not the answer (run_with_deadline bounds the
whole call, so a response dripping in cannot hold a run). It also hides the
response headers of a success, so x-rate-limit-* cannot tighten our limits for
Crossref; the published limits apply.

Several DOIs go in one list request (filter=doi:A,doi:B) when there is more
than one to ask; a DOI absent from a list answer is then asked on its own,
because only Crossref's own "Resource not found." 404 for that DOI means it
does not exist. Lists and searches have their own, lower, published limits.
"""
from __future__ import annotations

import html
import json
import re
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from urllib.parse import quote

from ...records import ABSENT, CORRECTED, EXPRESSION_OF_CONCERN, FAILED, FOUND, RETRACTED, Author, Lookup, Work
from .http import Limit, RateLimiter, RetryPolicy, ServiceError, call_with_retries, retry_after_seconds

NAME = "crossref"
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

    def __init__(self, base_url: str = DEFAULT_URL, *, mailto: str | None = None, timeout: float = 15.0, policy: RetryPolicy | None = None):
        self.base_url = base_url.rstrip("/")
        self.mailto = mailto
        self.timeout = timeout
        self.policy = policy or RetryPolicy()
        self.limit = POLITE_LIMIT if mailto else PUBLIC_LIMIT
        self.list_limit = POLITE_LIST_LIMIT if mailto else PUBLIC_LIST_LIMIT
        self.limiter = RateLimiter(self.limit)
        self.list_limiter = RateLimiter(self.list_limit)

    # -- requests ----------------------------------------------------------------------

    def _works(self, limiter: RateLimiter, **query) -> dict:
        """One habanero works() call -> the answer's `message`, with retries; ServiceError when it cannot."""

        def attempt() -> dict:
            from habanero import Crossref

            client = Crossref(base_url=self.base_url, mailto=self.mailto, timeout=self.timeout, ua_string="refcheck")
            try:
                document = run_with_deadline(lambda: client.works(**query), self.timeout * 2)
            except ServiceError:
                raise
            except Exception as exc:  # habanero raises per-path types; all are mapped here
                raise _as_service_error(exc) from None
            if not isinstance(document, dict) or not isinstance(document.get("message"), dict):
                raise ServiceError("malformed response (no message object)")
            return document["message"]

        return call_with_retries(attempt, self.policy, limiter)

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
        """The DOIs a filter=doi:... answer holds; the others are left for single lookups."""
        try:
            message = self._works(self.list_limiter, filter={"doi": list(dois)}, limit=len(dois))  # httpx encodes query values
        except ServiceError:
            return {}  # a failed list says nothing about its DOIs: each is asked on its own
        wanted = set(dois)
        results: LookupsWithRaw = {}
        for item in message.get("items") or []:
            doi = str(item.get("DOI", "")).lower() if isinstance(item, dict) else ""
            if doi in wanted and doi not in results:
                results[doi] = found_lookup(doi, item)
        return results

    def _lookup_singly(self, dois: list[str]) -> LookupsWithRaw:
        with ThreadPoolExecutor(max_workers=self.limit.concurrency) as pool:
            return dict(zip(dois, pool.map(self._lookup_one, dois)))

    def _lookup_one(self, doi: str) -> tuple[Lookup, bytes | None]:
        path = doi_path(doi)
        if not _arrives_unchanged(f"{self.base_url}/works/", path, doi):
            return Lookup(NAME, doi, FAILED, reason="Crossref: this DOI cannot be sent unchanged in a URL"), None
        try:
            message = self._works(self.limiter, ids=path)
        except ServiceError as exc:
            if exc.reason == _NOT_FOUND:
                return Lookup(NAME, doi, ABSENT, reason="Crossref has no record of this DOI (HTTP 404)"), None
            return Lookup(NAME, doi, FAILED, reason=f"Crossref: {exc.reason}"), None
        return found_lookup(doi, message)

    def search(self, query: str, rows: int = SEARCH_ROWS) -> list[Work]:
        """Candidates for a free-text reference (query.bibliographic); ServiceError when it fails."""
        message = self._works(self.list_limiter, query_bibliographic=query, limit=rows)
        return works_from_list(message)


_NOT_FOUND = "not found"
_DOT_SEGMENTS = {".": "%2E", "..": "%2E%2E"}


def doi_path(doi: str) -> str:
    """The DOI as the tail of a /works/ URL path that reaches Crossref as this DOI and no other.

    Quoted, but "/" kept: Crossref's own form. Two things would otherwise ask for another DOI:
    httpx removes "." and ".." segments (10.1000/x/../y arrives as 10.1000/y) and habanero strips a
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


def run_with_deadline(call, seconds: float):
    """call() in a daemon thread; ServiceError if it has not returned after `seconds`.

    A daemon thread, because a call stuck on a dripping server must not keep
    the process alive at exit; it ends when that server gives up. Until then
    its request is still in flight at Crossref, so the error carries the
    call's future (still_running): the limiter keeps the request's slot until
    the call really ends, and the published concurrency holds.
    """
    future: Future = Future()

    def target():
        try:
            future.set_result(call())
        except BaseException as exc:  # handed to the caller's thread
            future.set_exception(exc)

    threading.Thread(target=target, daemon=True).start()
    try:
        return future.result(timeout=seconds)
    except FutureTimeout:
        raise ServiceError(f"timed out (answer still arriving after {seconds:g} s)", still_running=future) from None


def _as_service_error(exc: Exception) -> ServiceError:
    import httpx2
    from habanero.exceptions import RequestError

    if isinstance(exc, httpx2.HTTPStatusError):
        response = exc.response
        status = response.status_code
        if status == 404 and response.text.lstrip().startswith("Resource not found"):
            return ServiceError(_NOT_FOUND, retryable=False)
        if status == 429 or status >= 500:
            return ServiceError(f"HTTP {status}", retry_after=retry_after_seconds(response.headers.get("Retry-After")))
        return ServiceError(f"HTTP {status}", retryable=False)
    if isinstance(exc, RequestError):
        # A 200 that is not JSON (an HTML error page) or a JSON error body from a list request.
        status = exc.status_code
        return ServiceError(f"HTTP {status}: not a Crossref answer", retryable=status == 200 or status == 429 or status >= 500)
    if isinstance(exc, httpx2.TimeoutException):
        return ServiceError("timed out")
    if isinstance(exc, (httpx2.HTTPError, httpx2.StreamError, RuntimeError)):
        # habanero turns transport errors of list requests into RuntimeError.
        return ServiceError(f"connection failed ({type(exc).__name__})")
    if isinstance(exc, ValueError):  # JSON decoding of a truncated or garbled body
        return ServiceError("malformed JSON response")
    return ServiceError(f"unexpected failure ({type(exc).__name__})")


def found_lookup(doi: str, message: dict) -> tuple[Lookup, bytes | None]:
    try:
        work = work_from_crossref(message)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        return Lookup(NAME, doi, FAILED, reason=f"Crossref: unexpected record shape ({exc})"), None
    return Lookup(NAME, doi, FOUND, work=work), json.dumps(message, sort_keys=True).encode()


def works_from_list(message: dict) -> list[Work]:
    """The works of a work-list message (search or filter), skipping malformed items."""
    works = []
    for item in message.get("items") or []:
        try:
            works.append(work_from_crossref(item))
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            continue
    return works


def _first(values) -> str:
    return str(values[0]).strip() if values else ""


def _year(message: dict) -> int | None:
    for field in ("issued", "published-print", "published-online", "published", "created"):
        parts = (message.get(field) or {}).get("date-parts") or [[None]]
        if parts and parts[0] and parts[0][0]:
            return int(parts[0][0])
    return None


def jats_to_text(markup: str) -> str:
    """Crossref abstracts are JATS XML fragments; keep the prose only."""
    markup = re.sub(r"<jats:title>\s*Abstract\s*</jats:title>", " ", markup, flags=re.I)
    markup = re.sub(r"</?(?:jats:)?(?:p|sec|title)\b[^>]*>", "\n", markup)
    text = html.unescape(re.sub(r"<[^>]{0,200}>", "", markup))
    return re.sub(r"[ \t]*\n\s*", " ", text).strip()


def _update_kind(update) -> str:
    return str(update.get("type", "") if isinstance(update, dict) else "").lower().replace("-", "_").replace(" ", "_")


def _update_doi(update) -> str:
    return str(update.get("DOI", "") if isinstance(update, dict) else "").strip().lower()


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
    own_doi = str(message.get("DOI", "")).strip().lower()
    notes: list[str] = []
    flags = [_UPDATE_FLAGS.get(_update_kind(update), "") for update in message.get("updated-by") or []]
    for update in message.get("update-to") or []:
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


def work_from_crossref(message: dict) -> Work:
    flags, notes = update_status(message)
    abstract = message.get("abstract")
    return Work(
        title=re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]{0,100}>", "", _first(message.get("title"))))),
        authors=tuple(
            Author(family=a.get("family") or a.get("name", ""), given=a.get("given", ""))
            for a in message.get("author") or []
            if a.get("family") or a.get("name")
        ),
        year=_year(message),
        journal=_first(message.get("container-title")),
        volume=str(message.get("volume") or ""),
        issue=str(message.get("issue") or ""),
        page=str(message.get("page") or message.get("article-number") or ""),
        doi=str(message.get("DOI", "")).lower() or None,
        abstract=jats_to_text(abstract) if abstract else None,
        type=str(message.get("type") or "article-journal").replace("journal-article", "article-journal"),
        flags=flags,
        source=NAME,
        notes=notes,
    )
