"""What every service client shares: one HTTP client per service for the run, the published rate
limits, retries within a run-wide budget, a circuit breaker, and the one error type that tells a
transient failure from a final one.

The circuit breaker (Circuit, one per service endpoint: Crossref records, Crossref lists and
searches, PubMed efetch, esummary, esearch, ecitmatch): once it has failed a batch request, or
`trip_after` single requests in a row, after their retries, it is taken as down for the rest of the run. Every later
request to it fails at once, without being sent, with a reason saying so; the Resolver counts the
lookups skipped that way. A failure is never a fact about a work, so none of this is cached, and
the next run asks again.
"""
from __future__ import annotations

import random
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from .failures import ServiceError


class ServiceDown(ServiceError):
    """A request not sent because the service's circuit is open (see Circuit)."""

    def __init__(self, reason: str):
        super().__init__(reason, retryable=False)


@dataclass(frozen=True)
class Limit:
    per_second: float
    concurrency: int


@dataclass(frozen=True)
class Clock:
    """Time as the clients see it; tests pass one that does not really sleep."""

    now: object = time.monotonic
    sleep: object = time.sleep


REAL_CLOCK = Clock()


class RateLimiter:
    """Spaces request starts to a rate and caps requests in flight.

    Thread-safe; shared by every request to one service endpoint class. The
    rate tightens when the service announces a lower one (x-rate-limit-* headers).
    """

    HEADROOM = 1.15  # under the limit: arrivals jitter, and the service counts arrivals

    def __init__(self, limit: Limit, clock: Clock = REAL_CLOCK):
        self._interval = self.HEADROOM / limit.per_second
        self._slots = threading.BoundedSemaphore(limit.concurrency)
        self._lock = threading.Lock()
        self._next_start = 0.0
        self._clock = clock

    @contextmanager
    def slot(self):
        """One request's turn: a free slot, then its place in the rate. Every request ends by its
        deadline (the whole answer is read against it, see exchange), so a slot always frees up."""
        with self._slots:
            with self._lock:
                now = self._clock.now()
                start = max(now, self._next_start)
                self._next_start = start + self._interval
            if start > now:
                self._clock.sleep(start - now)
            yield

    def pause(self, seconds: float) -> None:
        """Hold back every later request (after a 429 with Retry-After)."""
        with self._lock:
            self._next_start = max(self._next_start, self._clock.now() + seconds)

    def observe(self, headers) -> None:
        # Crossref says x-rate-limit-limit/-interval; NCBI says X-RateLimit-Limit (per second).
        limit = headers.get("x-rate-limit-limit") or headers.get("x-ratelimit-limit")
        interval = headers.get("x-rate-limit-interval")
        try:
            seconds = float(str(interval).rstrip("s")) if interval else 1.0
            announced = float(limit) / seconds if limit else None
        except ValueError:
            return
        if announced and announced > 0:
            with self._lock:
                self._interval = max(self._interval, self.HEADROOM / announced)


def retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError, OverflowError):
            return None
    return max(0.0, seconds) if seconds == seconds else None  # nan compares unequal to itself


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4  # per request
    total_seconds: float = 60.0  # never spend longer than this on one request
    base_wait: float = 0.5
    max_wait: float = 20.0
    run_retries: int = 12  # retries one service may take in a whole run, on top of ...
    retries_per_request: float = 0.1  # ... this many per request sent (a slow trickle of failures is retried, an outage is not)
    trip_after: int = 3  # single requests failed in a row (after retries) that open the circuit; one failed batch does


class Circuit:
    """One service's health during a run: the retry budget and the breaker (module docstring)."""

    def __init__(self, label: str, policy: RetryPolicy):
        self.label = label
        self._policy = policy
        self._lock = threading.Lock()
        self._sent = 0
        self._retried = 0
        self._failed_in_a_row = 0
        self._failed = 0
        self.opened_by: str | None = None  # the failure that opened the circuit

    @property
    def is_open(self) -> bool:
        return self.opened_by is not None

    def before_sending(self) -> None:
        with self._lock:
            if self.opened_by is not None:
                raise ServiceDown(self.down_reason())
            self._sent += 1

    def down_reason(self) -> str:
        return f"not asked: {self.label} unavailable in this run ({self.opened_by})"

    def may_retry(self) -> bool:
        with self._lock:
            if self.opened_by is not None:
                return False
            allowed = self._policy.run_retries + self._policy.retries_per_request * self._sent
            if self._retried + 1 > allowed:
                return False
            self._retried += 1
            return True

    def succeeded(self) -> None:
        with self._lock:
            self._failed_in_a_row = 0

    def failed(self, error: ServiceError, *, batch: bool) -> None:
        """A request's final failure. Only transient ones say the service is down: a refused answer
        (too large, hostile) or a 4xx is about that request."""
        if isinstance(error, ServiceDown) or not error.retryable:
            return
        with self._lock:
            self._failed += 1
            self._failed_in_a_row += 1
            if self.opened_by is None and (batch or self._failed_in_a_row >= self._policy.trip_after):
                what = "a batch request" if batch else f"{self._failed_in_a_row} requests in a row"
                self.opened_by = f"{what} failed: {error.reason}"


def call_with_retries(request, policy: RetryPolicy, limiter: RateLimiter, circuit: Circuit, *, batch: bool = False, clock: Clock = REAL_CLOCK):
    """Run request() under the limiter; retry transient ServiceErrors while the request's own budget
    (attempts, total_seconds) and the run's (Circuit.may_retry) last and the circuit stays closed.

    tenacity drives the loop; the wait honours Retry-After when the service sent one, otherwise
    exponential backoff with full jitter. The final outcome is told to the circuit.
    """
    from tenacity import Retrying, retry_if_exception, stop_after_attempt

    give_up_at = clock.now() + policy.total_seconds

    def wait(state) -> float:
        # Waiting past the total budget only to be stopped afterwards would waste the wait.
        return max(0.0, min(_backoff(state.outcome.exception(), state.attempt_number, policy, limiter), give_up_at - clock.now()))

    def out_of_time(state) -> bool:
        return clock.now() >= give_up_at

    def limited():
        circuit.before_sending()
        with limiter.slot():
            return request()

    retrying = Retrying(
        retry=retry_if_exception(lambda error: isinstance(error, ServiceError) and error.retryable),
        # The run's budget last: stop conditions are asked in order, and asking it spends a retry.
        stop=stop_after_attempt(policy.attempts) | out_of_time | (lambda state: not circuit.may_retry()),
        wait=wait,
        sleep=clock.sleep,
        reraise=True,
    )
    try:
        result = retrying(limited)
    except ServiceError as error:
        circuit.failed(error, batch=batch)
        raise
    circuit.succeeded()
    return result


def _backoff(error: ServiceError, attempt: int, policy: RetryPolicy, limiter: RateLimiter) -> float:
    backoff = random.uniform(0, min(policy.max_wait, policy.base_wait * 2 ** (attempt - 1)))
    if error.retry_after is not None:
        # Every request to the service waits, not just this one: the limit is per client.
        asked = min(policy.max_wait, error.retry_after)
        limiter.pause(asked)
        backoff = asked + backoff * 0.1
    return backoff


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict  # case-insensitive (requests' CaseInsensitiveDict)
    body: bytes


class Transport:
    """One HTTP client for one service, kept for the whole run: connections are reused, and
    `requests` is imported and a session opened only when the first request is sent."""

    def __init__(self, user_agent: str, concurrency: int):
        self._user_agent = user_agent
        self._concurrency = concurrency
        self._session = None
        self._lock = threading.Lock()

    def ready(self):
        """The session, opened now if not yet: callers open it before a request takes its turn in the
        rate limit, so that no import or setup falls between the turn and the sending."""
        with self._lock:
            if self._session is None:
                import requests
                from requests.adapters import HTTPAdapter

                session = requests.Session()
                session.headers["User-Agent"] = self._user_agent
                # Only what answers.read_body can decode; no retries below ours.
                session.headers["Accept-Encoding"] = "gzip, deflate"
                adapter = HTTPAdapter(pool_connections=1, pool_maxsize=self._concurrency + 2, max_retries=0)
                session.mount("http://", adapter)
                session.mount("https://", adapter)
                self._session = session
            return self._session

    def exchange(self, method: str, url: str, *, params: dict | None = None, data: dict | None = None, timeout: float) -> Answer:
        """One HTTP request whose whole answer must arrive within `timeout` seconds, read through
        the bounded reader (answers.read_body). Transport failures become retryable ServiceErrors."""
        import requests

        from .answers import read_body

        deadline = time.monotonic() + timeout
        try:
            session = self.ready()
            prepared = session.prepare_request(requests.Request(method, url, params=params, data=data))
            # The path exactly as the caller quoted it: requests would decode %2E to ".", and a "."
            # or ".." segment is then dropped on the way (crossref.doi_path).
            query = urlsplit(prepared.url).query
            prepared.url = f"{url}?{query}" if query else url
            response = session.send(prepared, timeout=timeout, stream=True, allow_redirects=False)
            try:
                body = read_body(response, deadline)
            finally:
                response.close()
        except ServiceError:
            raise
        except requests.Timeout:
            raise ServiceError("timed out") from None
        except (requests.RequestException, OSError) as exc:
            raise ServiceError(f"connection failed ({type(exc).__name__})") from None
        except Exception as exc:  # urllib3 raises its own types for cut-off bodies (ProtocolError, IncompleteRead)
            if type(exc).__module__.startswith(("urllib3", "http.client")):
                raise ServiceError(f"connection failed ({type(exc).__name__})") from None
            raise
        return Answer(response.status_code, response.headers, body)

    def close(self) -> None:
        with self._lock:
            if self._session is not None:
                self._session.close()
                self._session = None


def raise_for_transient(answer: Answer) -> None:
    """429 and 5xx are worth retrying (after Retry-After when given); other non-200s are final."""
    if answer.status == 429 or answer.status >= 500:
        raise ServiceError(f"HTTP {answer.status}", retry_after=retry_after_seconds(answer.headers.get("Retry-After")))
