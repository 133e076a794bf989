"""Shared test helpers: settings that point refcheck at the replay server, and a clock that does not sleep."""
import threading

from refcheck.resolve import Settings
from refcheck.resolve.services.http import Clock, RetryPolicy

# Short waits so fault tests stay fast; the behaviour under test is the same.
FAST_RETRY = RetryPolicy(attempts=3, total_seconds=5.0, base_wait=0.05, max_wait=0.5)


def replay_settings(server, cache_dir, **overrides) -> Settings:
    values = dict(
        crossref_url=server.crossref_url,
        eutils_url=server.eutils_url,
        cache_dir=str(cache_dir),
        timeout=3.0,
        retry=FAST_RETRY,
    )
    values.update(overrides)
    return Settings(**values)


class FakeClock(Clock):
    """Time that moves only when someone sleeps: backoff and rate-limit waits cost nothing
    (Resolver(..., clock=FakeClock())). Requests still take their real time."""

    def __init__(self):
        lock = threading.Lock()
        elapsed = [0.0]

        def now():
            with lock:
                return elapsed[0]

        def sleep(seconds):
            with lock:
                elapsed[0] += max(0.0, seconds)

        super().__init__(now=now, sleep=sleep)
