"""Rate limits shared by every process that uses one PostgreSQL database: one budget per service.

A fleet of CI runners, or a corpus run's processes, must together keep to Crossref's and NCBI's
published limits, not each on its own. Each budget ("bucket": Crossref public or polite pool,
singles or lists; NCBI without a key, or with a given key) is two things in the database:

- its rate: the times its requests started, as a sliding window. A request may start when fewer than
  the limit started in the last window, and not sooner after the last start than the window's share; it is let in (and its start written) the moment it goes, in a
  transaction that locks the bucket's row, so the check is on real start times: a process the scheduler
  woke late cannot crowd the requests after it into one second, as it could with starts booked in
  advance. The window is the published second and a half (WINDOW), for the time from the start to
  the request's arrival at the service, which a busy machine (ours, or the service's) can stretch. Times are the database server's clock, so machines
  whose clocks differ share one window. Retry-After pauses the bucket for everyone.
- its concurrency: one row per slot, leased by the request that holds it. A process that dies holding
  a slot frees it when the lease runs out.

If the database cannot be reached the request fails as "could not check" (never sent unlimited).
"""
from __future__ import annotations

import os
import random
import socket
import time
import uuid
from contextlib import contextmanager

from .postgres import Database, _first_line
from .services.http import Limit, RateLimiter, ServiceError

POLL_SECONDS = 0.02  # between tries for a slot the fleet holds: about a request's round trip
WINDOW = 1.5  # seconds in which a service's per-second limit is kept: on a 2-core machine at load 10, requests started
# 0.125 s apart reached the replay server up to 0.3 s apart or together, and windows of 1.15 and 1.25 s let 429s through


class SharedRateLimiter(RateLimiter):
    """RateLimiter's interface (slot, pause, observe) on a bucket in the database.

    The inherited local semaphore still caps this process's own requests in flight, so its threads
    wait on each other without polling the database; the inherited observe() tightens this process's
    spacing when the service announces a lower rate.
    """

    def __init__(self, database: Database, bucket: str, limit: Limit, lease_seconds: float):
        super().__init__(limit)  # the real clock: the database's times are real ones
        self.bucket = bucket
        self._database = database
        self._concurrency = limit.concurrency
        self._lease = lease_seconds
        self._holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

        def create(connection):
            connection.execute("INSERT INTO refcheck_rate (bucket, paused_until) VALUES (%s, clock_timestamp())"
                               " ON CONFLICT (bucket) DO NOTHING", (bucket,))
            connection.execute("INSERT INTO refcheck_slots (bucket, slot) SELECT %s, generate_series(0, %s - 1)"
                               " ON CONFLICT (bucket, slot) DO NOTHING", (bucket, limit.concurrency))

        self._call(create)

    def _call(self, work):
        try:
            return self._database.run(work)
        except self._database.psycopg.Error as exc:
            raise ServiceError(f"shared rate limit unavailable ({_first_line(exc)})", retryable=False) from None

    @contextmanager
    def slot(self):
        """One request's turn, as RateLimiter.slot. Waiting is bounded by the lease: longer than that no
        request of the fleet can hold a slot, and no request of this one's budget could still be useful."""
        give_up_at = time.monotonic() + self._lease
        if not self._slots.acquire(timeout=self._lease):
            raise ServiceError("timed out waiting for earlier requests still in flight", retryable=False)
        try:
            slot = self._lease_slot(give_up_at)
        except BaseException:
            self._slots.release()
            raise
        try:
            self._admit(give_up_at)
            yield
        finally:
            self._release(slot)

    def _lease_slot(self, give_up_at: float) -> int:
        while True:
            slot = self._call(lambda connection: connection.execute(
                "UPDATE refcheck_slots SET holder = %(holder)s, lease_until = clock_timestamp() + make_interval(secs => %(lease)s)"
                " WHERE (bucket, slot) = (SELECT bucket, slot FROM refcheck_slots WHERE bucket = %(bucket)s AND slot < %(slots)s"
                "   AND (holder IS NULL OR lease_until < clock_timestamp()) ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED)"
                " RETURNING slot",
                {"holder": self._holder, "lease": self._lease, "bucket": self.bucket, "slots": self._concurrency},
            ).fetchone())
            if slot is not None:
                return slot[0]
            wait = POLL_SECONDS * random.uniform(0.5, 1.5)
            if time.monotonic() + wait > give_up_at:
                raise ServiceError("timed out waiting for the fleet's requests in flight", retryable=False)
            time.sleep(wait)

    def _admit(self, give_up_at: float) -> None:
        """Wait for this request's turn in the bucket's window; it starts the moment this returns."""
        while True:
            wait = self._call(self._try_start)
            if wait <= 0:
                return
            if time.monotonic() + wait > give_up_at:
                raise ServiceError("timed out waiting for the fleet's rate limit", retryable=False)
            time.sleep(wait)

    def _try_start(self, connection) -> float:
        """0 if this request may start now (its start is written), else the seconds until it may."""
        with self._lock:
            per_second = self.HEADROOM / self._interval  # tightened by observe()
        # At least one second per `allowed` starts: never more than the rate in any second.
        allowed = max(1, int(per_second + 1e-9))
        window = WINDOW * allowed / per_second
        with connection.transaction():
            (paused,) = connection.execute(
                "SELECT extract(epoch FROM paused_until - clock_timestamp())::float8 FROM refcheck_rate WHERE bucket = %s FOR UPDATE",
                (self.bucket,)).fetchone()
            if paused > 0:
                return paused
            connection.execute("DELETE FROM refcheck_starts WHERE bucket = %s AND started <= clock_timestamp() - make_interval(secs => %s)",
                               (self.bucket, window))
            leaving = [row[0] for row in connection.execute(
                "SELECT extract(epoch FROM started + make_interval(secs => %s) - clock_timestamp())::float8 FROM refcheck_starts"
                " WHERE bucket = %s ORDER BY started", (window, self.bucket))]
            if len(leaving) >= allowed:
                return max(leaving[len(leaving) - allowed], 0.001)
            # Spaced as well: a burst of `allowed` at once would leave no slack for a server slow to take them in.
            since_last = window - leaving[-1] if leaving else window
            if since_last < window / allowed:
                return window / allowed - since_last
            connection.execute("INSERT INTO refcheck_starts (bucket, started) VALUES (%s, clock_timestamp())", (self.bucket,))
            return 0.0

    def _release(self, slot: int) -> None:
        try:
            self._call(lambda connection: connection.execute(
                "UPDATE refcheck_slots SET holder = NULL, lease_until = NULL WHERE bucket = %s AND slot = %s AND holder = %s",
                (self.bucket, slot, self._holder)))
        except ServiceError:
            pass  # the lease runs out by itself
        finally:
            self._slots.release()

    def pause(self, seconds: float) -> None:
        """Hold back every request of the fleet to this bucket (after a 429 with Retry-After)."""
        try:
            self._call(lambda connection: connection.execute(
                "UPDATE refcheck_rate SET paused_until = greatest(paused_until, clock_timestamp() + make_interval(secs => %s))"
                " WHERE bucket = %s", (seconds, self.bucket)))
        except ServiceError:
            pass  # the next request fails closed if the database stays away


class SharedLimits:
    """Makes the limiters of one process's service clients, on one connection of their own."""

    def __init__(self, url: str, *, lease_seconds: float = 120.0):
        self._database = Database(url)
        self._lease = lease_seconds

    def __call__(self, bucket: str, limit: Limit) -> SharedRateLimiter:
        return SharedRateLimiter(self._database, bucket, limit, self._lease)

    def close(self) -> None:
        self._database.close()
