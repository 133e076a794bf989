"""The lookup cache on PostgreSQL, for fleets: many processes and machines sharing one cache.

Same contract as the SQLite cache (cache.Cache): keyed by (service, normalised key), answers expire
by kind (TTL), "not found" answers are kept briefly, failures are never stored, a row this version
cannot decode is a miss, expired rows stay readable for stale-if-error (Resolver._after_failure).
Rows are encoded and decoded by cache.py's own functions, so both backends hold the same text.

Concurrent writers upsert (INSERT ... ON CONFLICT DO UPDATE): no lost entry, and of two answers for
one key the later fetch wins, whatever order the writes arrive in. Each write is its own
transaction, so a writer killed mid-run loses only what it had not written yet.

psycopg is imported lazily: refcheck without the `postgres` extra never loads it.
"""
from __future__ import annotations

import logging
import threading
import time
from urllib.parse import urlsplit, urlunsplit

from ..errors import InputError
from .cache import SCHEMA_VERSION, LookupStore, counted_entries, entry_from_row, storable_rows

log = logging.getLogger("refcheck")

# Any constant: the advisory lock that serialises schema creation between processes starting at once
# (two concurrent CREATE TABLE IF NOT EXISTS can both try to create the table and one fails).
_SCHEMA_LOCK = 0x7265_6663  # "refc"

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS refcheck_lookups (
        service TEXT NOT NULL,
        key TEXT NOT NULL,
        outcome TEXT NOT NULL,
        record TEXT,
        related TEXT,
        reason TEXT,
        raw BYTEA,
        fetched_at DOUBLE PRECISION NOT NULL,
        expires_at DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (service, key)
    )""",
    "CREATE TABLE IF NOT EXISTS refcheck_meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
    # Shared rate limits (shared_limits.py): each bucket's pause (Retry-After), its recent request starts,
    # and the leases on its concurrency slots.
    "CREATE TABLE IF NOT EXISTS refcheck_rate (bucket TEXT PRIMARY KEY, paused_until TIMESTAMPTZ NOT NULL)",
    "CREATE TABLE IF NOT EXISTS refcheck_starts (bucket TEXT NOT NULL, started TIMESTAMPTZ NOT NULL)",
    "CREATE INDEX IF NOT EXISTS refcheck_starts_by_bucket ON refcheck_starts (bucket, started)",
    """CREATE TABLE IF NOT EXISTS refcheck_slots (
        bucket TEXT NOT NULL,
        slot INTEGER NOT NULL,
        holder TEXT,
        lease_until TIMESTAMPTZ,
        PRIMARY KEY (bucket, slot)
    )""",
)


def is_postgres_url(url: str | None) -> bool:
    return bool(url) and urlsplit(url).scheme in ("postgresql", "postgres")


def redacted(url: str) -> str:
    """The URL without its password, for messages and reports."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def _psycopg():
    try:
        import psycopg
    except ImportError:
        raise InputError("a postgresql:// cache needs psycopg: pip install 'refcheck[postgres]'") from None
    return psycopg


class Database:
    """One autocommit connection, used by one thread at a time, reconnected once if the server dropped it."""

    def __init__(self, url: str, *, connect_timeout: float = 10):
        if not is_postgres_url(url):
            raise InputError(f"{redacted(url)}: not a postgresql:// URL")
        self.url = url
        self.where = redacted(url)
        self._connect_timeout = connect_timeout
        self._lock = threading.Lock()
        self.psycopg = _psycopg()
        try:
            self._connection = self._connect()
            with self._connection.transaction():
                self._connection.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
                for statement in _SCHEMA:
                    self._connection.execute(statement)
                # The stamp is the newest schema that has written here; an older refcheck leaves a newer one's stamp.
                self._connection.execute(
                    "INSERT INTO refcheck_meta (name, value) VALUES ('schema_version', %s)"
                    " ON CONFLICT (name) DO UPDATE SET value = greatest(refcheck_meta.value, excluded.value)",
                    (SCHEMA_VERSION,),
                )
        except self.psycopg.Error as exc:
            raise InputError(f"{self.where}: cannot use the PostgreSQL database ({_first_line(exc)})") from None

    def _connect(self):
        connection = self.psycopg.connect(self.url, autocommit=True, connect_timeout=int(self._connect_timeout),
                                          application_name="refcheck")
        # A cache row lost in a server crash is only fetched again; not waiting for the WAL flush on
        # each commit makes a write several times faster. Committed rows survive any client's death.
        connection.execute("SET synchronous_commit = off")
        return connection

    def run(self, work):
        """work(connection) under the lock; a dropped connection is reopened and the work retried once."""
        with self._lock:
            try:
                return work(self._connection)
            except self.psycopg.OperationalError:
                if not self._connection.broken and not self._connection.closed:
                    raise
                self._connection = self._connect()
                return work(self._connection)

    def locked(self):
        """The lock and the connection, for work that must hold both across several steps (a streamed export)."""
        return self._lock, self._connection

    def close(self) -> None:
        with self._lock:
            self._connection.close()


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


_COLUMNS = "service, key, outcome, record, related, reason, fetched_at, expires_at"


class PostgresCache(LookupStore):
    """cache.Cache's interface on PostgreSQL. `path` names the database (password removed) in messages."""

    def __init__(self, url: str, *, enabled: bool = True):
        self.path = redacted(url)
        self.writable = enabled
        self._database = Database(url) if enabled else None

    @property
    def available(self) -> bool:
        return self._database is not None

    def row(self, service: str, key: str) -> tuple | None:
        if self._database is None:
            return None
        try:
            return self._database.run(lambda c: c.execute(
                f"SELECT {_COLUMNS} FROM refcheck_lookups WHERE service = %s AND key = %s", (service, key)).fetchone())
        except self._database.psycopg.Error as exc:
            log.warning("refcheck: cache read failed (%s)", _first_line(exc))
            return None

    def rows(self):
        """Every cached answer as an Entry, in key order, streamed from a server-side cursor."""
        if self._database is None:
            return
        lock, connection = self._database.locked()
        with lock, connection.transaction(), connection.cursor(name="refcheck_export") as cursor:
            cursor.itersize = 1000
            cursor.execute(f"SELECT {_COLUMNS} FROM refcheck_lookups ORDER BY service, key")
            for row in cursor:
                yield entry_from_row(row)

    def put_many(self, answers, *, fetched_at: float | None = None) -> None:
        """Store (lookup, raw) answers in one transaction, as cache.Cache.put_many; FAILED ones are never stored.
        Rows go in key order: writers upserting overlapping batches then lock rows in one order, never in a cycle."""
        if self._database is None or not self.writable:
            return
        fetched_at = time.time() if fetched_at is None else fetched_at
        rows = sorted(storable_rows(answers, fetched_at), key=lambda row: row[:2])
        if not rows:
            return

        def upsert(connection):
            with connection.transaction(), connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO refcheck_lookups (service, key, outcome, record, related, reason, raw, fetched_at, expires_at)"
                    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
                    " ON CONFLICT (service, key) DO UPDATE SET outcome = excluded.outcome, record = excluded.record,"
                    " related = excluded.related, reason = excluded.reason, raw = excluded.raw,"
                    " fetched_at = excluded.fetched_at, expires_at = excluded.expires_at"
                    " WHERE refcheck_lookups.fetched_at <= excluded.fetched_at",
                    rows,
                )

        try:
            self._database.run(upsert)
        except self._database.psycopg.Error as exc:
            log.warning("refcheck: cache write failed (%s); continuing without caching", _first_line(exc))
            self.writable = False

    def stats(self) -> dict:
        """Counts by service and outcome, as cache.Cache.stats gives them (rows, expired, invalid: undecodable or
        failing validation, so never used), with the backend and its schema stamp."""
        if self._database is None:
            return {"path": self.path, "available": False}
        lock, connection = self._database.locked()
        with lock, connection.transaction(), connection.cursor(name="refcheck_stats") as cursor:
            cursor.itersize = 1000
            cursor.execute("SELECT service, key, outcome, record, related, reason, expires_at FROM refcheck_lookups ORDER BY service, outcome")
            entries = counted_entries(cursor, time.time())
        size, version = self._database.run(lambda c: c.execute(
            "SELECT pg_total_relation_size('refcheck_lookups'), (SELECT value FROM refcheck_meta WHERE name = 'schema_version')").fetchone())
        return {
            "path": self.path,
            "available": True,
            "backend": "postgresql",
            "schema_version": version,
            "bytes": size,
            "entries": entries,
        }

    def clear(self) -> int:
        """Remove every cached answer (the shared rate-limit state stays)."""
        if self._database is None:
            return 0
        return self._database.run(lambda c: c.execute("DELETE FROM refcheck_lookups").rowcount)

    def close(self) -> None:
        if self._database is not None:
            self._database.close()
            self._database = None
