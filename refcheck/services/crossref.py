"""Crossref REST API through habanero: DOI -> Work.

habanero is wrapped, not trusted: it does no URL-encoding of DOIs (we quote
them), no retries (call_with_retries does), no rate limiting (RateLimiter
does), and raises a different exception type per code path (_as_service_error
maps them all). Only Crossref's own "Resource not found." 404 means a DOI
does not exist; every other failure is a ServiceError.
"""
from __future__ import annotations

import html
import json
import re
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

from ..records import ABSENT, CORRECTED, EXPRESSION_OF_CONCERN, FAILED, FOUND, RETRACTED, Author, Lookup, Work
from .http import Limit, RateLimiter, RetryPolicy, ServiceError, call_with_retries, retry_after_seconds

NAME = "crossref"
DEFAULT_URL = "https://api.crossref.org"
# Published limits since December 2025 (single-record requests).
PUBLIC_LIMIT = Limit(per_second=5, concurrency=1)
POLITE_LIMIT = Limit(per_second=10, concurrency=3)

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


class CrossrefClient:
    name = NAME

    def __init__(self, base_url: str = DEFAULT_URL, *, mailto: str | None = None, timeout: float = 15.0, policy: RetryPolicy | None = None):
        self.base_url = base_url.rstrip("/")
        self.mailto = mailto
        self.timeout = timeout
        self.policy = policy or RetryPolicy()
        self.limit = POLITE_LIMIT if mailto else PUBLIC_LIMIT
        self.limiter = RateLimiter(self.limit)

    def lookup(self, dois: list[str]) -> dict[str, tuple[Lookup, bytes | None]]:
        """Look up DOIs, in parallel up to the pool's concurrency."""
        with ThreadPoolExecutor(max_workers=self.limit.concurrency) as pool:
            return dict(zip(dois, pool.map(self._lookup_one, dois)))

    def _lookup_one(self, doi: str) -> tuple[Lookup, bytes | None]:
        try:
            message = call_with_retries(lambda: self._get_work(doi), self.policy, self.limiter)
        except ServiceError as exc:
            if exc.reason == _NOT_FOUND:
                return Lookup(NAME, doi, ABSENT, reason="Crossref has no record of this DOI (HTTP 404)"), None
            return Lookup(NAME, doi, FAILED, reason=f"Crossref: {exc.reason}"), None
        try:
            work = work_from_crossref(message)
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            return Lookup(NAME, doi, FAILED, reason=f"Crossref: unexpected record shape ({exc})"), None
        return Lookup(NAME, doi, FOUND, work=work), json.dumps(message, sort_keys=True).encode()

    def _get_work(self, doi: str) -> dict:
        from habanero import Crossref

        client = Crossref(base_url=self.base_url, mailto=self.mailto, timeout=self.timeout, ua_string="refcheck")
        try:
            answer = client.works(ids=quote(doi, safe="/"))
        except Exception as exc:  # habanero raises per-path types; all are mapped below
            raise _as_service_error(exc) from None
        if not isinstance(answer, dict) or not isinstance(answer.get("message"), dict):
            raise ServiceError("malformed response (no message object)")
        return answer["message"]


_NOT_FOUND = "not found"


def _as_service_error(exc: Exception) -> ServiceError:
    import httpx2
    from habanero.exceptions import RequestError

    if isinstance(exc, httpx2.HTTPStatusError):
        response = exc.response
        status = response.status_code
        if status == 404 and response.text.strip().startswith("Resource not found"):
            return ServiceError(_NOT_FOUND, retryable=False)
        if status == 429 or status >= 500:
            return ServiceError(f"HTTP {status}", retry_after=retry_after_seconds(response.headers.get("Retry-After")))
        return ServiceError(f"HTTP {status}", retryable=False)
    if isinstance(exc, RequestError):
        # A 200 that is not JSON (an HTML error page, a proxy) or a JSON error body.
        status = exc.status_code
        return ServiceError(f"HTTP {status}: not a Crossref answer", retryable=status == 200 or status >= 429)
    if isinstance(exc, httpx2.TimeoutException):
        return ServiceError("timed out")
    if isinstance(exc, (httpx2.HTTPError, httpx2.StreamError)):
        return ServiceError(f"connection failed ({type(exc).__name__})")
    if isinstance(exc, ValueError):  # JSON decoding of a truncated or garbled body
        return ServiceError("malformed JSON response")
    return ServiceError(f"{type(exc).__name__}: {exc}")


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


def work_from_crossref(message: dict) -> Work:
    flags = []
    for update in message.get("updated-by") or []:
        flag = _UPDATE_FLAGS.get(str(update.get("type", "")).lower().replace("-", "_").replace(" ", "_"))
        if flag and flag not in flags:
            flags.append(flag)
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
        flags=tuple(flags),
        source=NAME,
    )
