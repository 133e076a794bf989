"""What every service client shares: the published rate limits, retries with
backoff, one bounded HTTP exchange, and the one error type that tells a
transient failure from a final one."""
from __future__ import annotations

import random
import threading
import time
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

READ_CHUNK = 65536


class ServiceError(Exception):
    """A lookup that could not be answered. Never means "does not exist".

    still_running: the future of a request given up on but still in flight (see RateLimiter.slot).
    """

    def __init__(self, reason: str, *, retryable: bool = True, retry_after: float | None = None, still_running: Future | None = None):
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.retry_after = retry_after
        self.still_running = still_running


@dataclass(frozen=True)
class Limit:
    per_second: float
    concurrency: int


class RateLimiter:
    """Spaces request starts to a rate and caps requests in flight.

    Thread-safe; shared by every request to one service endpoint class. The
    rate tightens when the service announces a lower one (x-rate-limit-* headers).
    """

    HEADROOM = 1.15  # under the limit: arrivals jitter (a new connection per habanero call), and the service counts arrivals

    def __init__(self, limit: Limit):
        self._interval = self.HEADROOM / limit.per_second
        self._slots = threading.BoundedSemaphore(limit.concurrency)
        self._lock = threading.Lock()
        self._next_start = 0.0

    @contextmanager
    def slot(self, give_up_at: float):
        """One request's turn: a free slot, then its place in the rate. ServiceError if no slot
        frees up before give_up_at (time.monotonic()).

        A request given up on while still in flight (ServiceError.still_running) keeps its slot
        until it really ends: its connection is still open at the service, and releasing the slot
        at once would let the retry, and every other request, go over the published concurrency.
        The wait for a slot is bounded by give_up_at, so such a call delays the others but never
        holds a run past its deadline.
        """
        if not self._slots.acquire(timeout=max(0.0, give_up_at - time.monotonic())):
            raise ServiceError("timed out waiting for earlier requests still in flight", retryable=False)
        still_running = None
        try:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next_start)
                self._next_start = start + self._interval
            if start > now:
                time.sleep(start - now)
            yield
        except ServiceError as exc:
            still_running = exc.still_running
            raise
        finally:
            if still_running is None:
                self._slots.release()
            else:
                # Runs at once if the call has ended meanwhile; otherwise in its thread when it does.
                still_running.add_done_callback(lambda _: self._slots.release())

    def pause(self, seconds: float) -> None:
        """Hold back every later request (after a 429 with Retry-After)."""
        with self._lock:
            self._next_start = max(self._next_start, time.monotonic() + seconds)

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
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4
    total_seconds: float = 60.0  # never spend longer than this on one request
    base_wait: float = 0.5
    max_wait: float = 20.0


def call_with_retries(request, policy: RetryPolicy, limiter: RateLimiter):
    """Run request() under the limiter; retry transient ServiceErrors.

    tenacity drives the loop; the wait honours Retry-After when the service sent
    one, otherwise exponential backoff with full jitter.
    """
    from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, stop_after_delay

    give_up_at = time.monotonic() + policy.total_seconds

    def wait(state: RetryCallState) -> float:
        error = state.outcome.exception()
        backoff = random.uniform(0, min(policy.max_wait, policy.base_wait * 2 ** (state.attempt_number - 1)))
        if isinstance(error, ServiceError) and error.retry_after is not None:
            # Every request to the service waits, not just this one: the limit is per client.
            asked = min(policy.max_wait, error.retry_after)
            limiter.pause(asked)
            backoff = asked + backoff * 0.1
        # Waiting past the total budget only to be stopped afterwards would waste the wait.
        return max(0.0, min(backoff, give_up_at - time.monotonic()))

    def limited():
        with limiter.slot(give_up_at):
            return request()

    retrying = Retrying(
        retry=retry_if_exception(lambda e: isinstance(e, ServiceError) and e.retryable),
        stop=stop_after_attempt(policy.attempts) | stop_after_delay(policy.total_seconds),
        wait=wait,
        reraise=True,
    )
    return retrying(limited)


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict  # case-insensitive (requests' CaseInsensitiveDict)
    body: bytes


def exchange(session, method: str, url: str, *, params: dict | None = None, data: dict | None = None, timeout: float) -> Answer:
    """One HTTP request whose whole answer must arrive within `timeout` seconds.

    requests' own timeout bounds each socket read, so a server dripping one
    byte at a time would never trip it; reading in pieces against a deadline
    does. Transport failures and short bodies become retryable ServiceErrors.
    """
    import requests

    deadline = time.monotonic() + timeout
    try:
        response = session.request(method, url, params=params, data=data, timeout=timeout, stream=True)
        try:
            pieces = []
            while True:
                piece = response.raw.read1(READ_CHUNK, decode_content=True)
                if not piece:
                    break
                pieces.append(piece)
                if time.monotonic() > deadline:
                    raise ServiceError(f"timed out (answer still arriving after {timeout:g} s)")
            body = b"".join(pieces)
        finally:
            response.close()
    except requests.Timeout:
        raise ServiceError("timed out") from None
    except (requests.RequestException, OSError) as exc:
        raise ServiceError(f"connection failed ({type(exc).__name__})") from None
    except Exception as exc:  # urllib3 raises its own types for cut-off bodies (ProtocolError, IncompleteRead)
        if type(exc).__module__.startswith("urllib3"):
            raise ServiceError(f"connection failed ({type(exc).__name__})") from None
        raise
    expected = response.headers.get("Content-Length")
    if expected and expected.isdigit() and "Content-Encoding" not in response.headers and len(body) < int(expected):
        raise ServiceError(f"truncated answer ({len(body)} of {expected} bytes)")
    return Answer(response.status_code, response.headers, body)


def raise_for_transient(answer: Answer) -> None:
    """429 and 5xx are worth retrying (after Retry-After when given); other non-200s are final."""
    if answer.status == 429 or answer.status >= 500:
        raise ServiceError(f"HTTP {answer.status}", retry_after=retry_after_seconds(answer.headers.get("Retry-After")))


def new_session():
    import requests

    session = requests.Session()
    session.headers["User-Agent"] = "refcheck (citation checker)"
    return session
