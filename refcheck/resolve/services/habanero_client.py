"""habanero, given refcheck's HTTP client: one per run, bounded like every other service answer.

habanero 2.9 sends each request with the module-level function `httpx2.get(...)`, from two places:
habanero/request.py (`works(ids=...)`: /works/{doi}) and habanero/request_class.py (`works(filter=...)`,
`works(query_...=...)`: lists and searches). That builds a new httpx2 client per call (an SSL context
and certifi's bundle each time: 30-40 ms of CPU per request), reads the whole answer into memory with
no size cap (httpx2 decompresses a gzip bomb whole) and offers no way to pass a client in.

So refcheck replaces the name `httpx2` in exactly those two habanero modules, once (install), by
HTTPX_FOR_HABANERO: a stand-in that is the real httpx2 module in every attribute (habanero's
`except httpx2.HTTPStatusError` and the like still catch what they did) except `get`. The scope is
refcheck's own calls: `get` sends through a refcheck client only inside `bound_call(client)`, which
sets a context variable for the current thread and nothing else; any other use of habanero in the
same process, or in another thread, gets the real `httpx2.get`, unchanged.

Inside a bound call the request goes through that client's one httpx2.Client (made on the first
request, kept for the run, its connections reused), whose transport (CappedTransport) reads the raw,
still-compressed bytes through answers.read_capped: the byte caps on the wire and after
decompression (refcheck inflates gzip itself), and one deadline for the whole answer. It returns a
Response holding the decoded body, whose json() is answers.parse_json (NaN/Infinity refused, depth
capped). Transport failures come out as ServiceError, which habanero's own handlers do not catch,
so they reach refcheck unchanged on both code paths. The answer habanero saw is kept on the call
(BoundCall.response): its status line and headers decide what a failure means, whichever exception
type habanero turned it into on its code path, and a success's headers (x-rate-limit-*) reach the
rate limiter although habanero returns only the parsed body.
"""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from .answers import read_capped
from .failures import ServiceError

# The habanero modules that call httpx2.get (checked in habanero 2.9.2; install() verifies it at run time).
PATCHED_MODULES = ("habanero.request", "habanero.request_class")
_HOP_BY_HOP = ("content-encoding", "content-length", "transfer-encoding")

_current: ContextVar["BoundCall | None"] = ContextVar("refcheck_habanero_call", default=None)
_install_lock = threading.Lock()
_installed = False


class HttpxClient:
    """One Crossref client's HTTP client for the run: httpx2, made when the first request is sent."""

    def __init__(self, *, answer_seconds: float, connections: int, headers: dict | None = None):
        self.answer_seconds = answer_seconds
        self._connections = connections
        self._headers = headers or {}
        self._client = None
        self._lock = threading.Lock()

    def client(self):
        with self._lock:
            if self._client is None:
                import httpx2

                limits = httpx2.Limits(max_connections=self._connections, max_keepalive_connections=self._connections)
                # Only what read_capped can decode; habanero's own User-Agent is added per request.
                headers = {"Accept-Encoding": "gzip, deflate", **self._headers}
                self._client = httpx2.Client(transport=_capped_transport(limits, self.answer_seconds), headers=headers,
                                             follow_redirects=False)
            return self._client

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None


@dataclass
class BoundCall:
    """One refcheck call into habanero: the client it sends through and the answer it got."""

    http: HttpxClient
    response: object = None  # the last httpx2.Response habanero received in this call


@contextmanager
def bound_call(http: HttpxClient):
    """Within this block, habanero's requests from this thread go through `http` (module docstring)."""
    install()
    call = BoundCall(http)
    token = _current.set(call)
    try:
        yield call
    finally:
        _current.reset(token)


def install() -> None:
    """Put HTTPX_FOR_HABANERO in place of `httpx2` in the habanero modules that send requests, once.

    Checked, not assumed: a habanero whose modules no longer hold httpx2 there would send its
    requests unbounded, so every Crossref lookup fails with the reason instead."""
    global _installed
    if _installed:
        return
    import importlib

    import httpx2

    with _install_lock:
        if _installed:
            return
        modules = [importlib.import_module(name) for name in PATCHED_MODULES]
        for module in modules:
            if getattr(module, "httpx2", None) not in (httpx2, HTTPX_FOR_HABANERO):
                import habanero

                raise ServiceError(f"habanero {habanero.__version__} does not send through httpx2.get in {module.__name__}; "
                                   "refcheck cannot bound its answers", retryable=False)
        for module in modules:
            module.httpx2 = HTTPX_FOR_HABANERO
        _installed = True


class _HttpxForHabanero:
    """The httpx2 module as habanero's request modules see it: everything real but `get`."""

    def __getattr__(self, name):
        import httpx2

        return getattr(httpx2, name)

    def get(self, url, *, params=None, headers=None, timeout=None, **options):
        call = _current.get()
        if call is None:  # not refcheck's call: habanero as it is
            import httpx2

            return httpx2.get(url, params=params, headers=headers, timeout=timeout, **options)
        call.response = None
        call.response = _send(call.http, url, params, headers, timeout)
        return call.response


HTTPX_FOR_HABANERO = _HttpxForHabanero()


def _send(http: HttpxClient, url, params, headers, timeout):
    """One GET through the run's client; every transport failure as a ServiceError."""
    import httpx2

    try:
        return http.client().get(url, params=params, headers=headers, timeout=timeout)
    except httpx2.TimeoutException:
        raise ServiceError("timed out") from None
    except httpx2.RemoteProtocolError as exc:
        if "Content-Length" in str(exc):
            # A server this broken is not believed, and asking again gets the same header.
            raise ServiceError("malformed answer (bad Content-Length)", retryable=False) from None
        raise ServiceError(f"connection failed ({type(exc).__name__})") from None
    except (httpx2.TransportError, httpx2.StreamError) as exc:
        raise ServiceError(f"connection failed ({type(exc).__name__})") from None


def _capped_transport(limits, answer_seconds: float):
    import httpx2

    class ParsedResponse(httpx2.Response):
        """A response whose body is already decoded and whose JSON is read by the bounded parser."""

        def json(self, **kwargs):
            from .answers import parse_json

            return parse_json(self.content)

    class CappedTransport(httpx2.BaseTransport):
        """httpx2's own transport, with the answer read here: raw bytes counted, gzip inflated with a
        cap, the whole answer within `answer_seconds` (answers.read_capped)."""

        def __init__(self):
            self._inner = httpx2.HTTPTransport(limits=limits, retries=0)

        def handle_request(self, request):
            deadline = time.monotonic() + answer_seconds
            response = self._inner.handle_request(request)
            try:
                body = read_capped(iter(response.stream), response.headers, deadline)
            finally:
                # An answer given up on closes its connection, so the server stops sending.
                response.close()
            headers = [(name, value) for name, value in response.headers.multi_items() if name.lower() not in _HOP_BY_HOP]
            return ParsedResponse(response.status_code, headers=headers, content=body, request=request)

        def close(self):
            self._inner.close()

    return CappedTransport()
