"""Persistent lookup cache in SQLite.

Public interface (a second backend, e.g. PostgreSQL, offers the same):
    Cache(directory=None, *, enabled=True)   open or create; None: default_cache_dir()
    .available / .writable / .path           opened at all / may be written / where
    .row(service, key) -> tuple | None       the stored row, undecoded (each backend's own query)
    .entry(service, key) -> Entry | None     the cached answer, expired or not, with its times;
                                             None when absent, undecodable or failing validation
    .get(service, key) -> Lookup | None      the cached answer while it is fresh
    .put(lookup, raw=None, *, fetched_at=None)   store an answer (FAILED ones are never stored)
    .put_many([(lookup, raw), ...], *, fetched_at=None)   the same for many, in one transaction
    .rows()                                  every row as an Entry (UndecodableRow for a bad one)
    .stats() -> dict                         counts by service and outcome, expired, invalid
    .clear() -> int / .close()

Keyed by (service, normalised key). Keeps the raw response, the parsed record and the fetch time.
Answers expire by kind: records live long, "not found" answers briefly; failures are never stored.
Every row read is checked like a fresh answer (validate.check_lookup): of the right shape, and a
record about the key it is filed under; a row that is not is a miss (asked again) and is counted
as invalid in stats(). WAL mode and a busy timeout make two processes sharing one directory safe;
a damaged file is moved aside and rebuilt; an unwritable directory degrades to running without a
cache. The database file (and its -wal, -shm, -journal companions) is never opened through a
symbolic link: a link there is refused and the run goes on without a cache.

Which directory (default_cache_dir): REFCHECK_CACHE_DIR, else ./cache when it is this user's own
refcheck cache, else the user cache (~/.cache/refcheck). "Own": refcheck writes a random id into
the directory it opens (OWN_MARKER) and records that id in the user's registry (~/.cache/refcheck/
own-caches); ./cache is used only when its id is registered and neither it nor the marker is a
symbolic link. A cache/ that arrived with a cloned repository has no registered id, so it is not
used unless named (--cache-dir cache, which also registers it).
"""
from __future__ import annotations

import functools
import json
import logging
import os
import secrets
import sqlite3
import threading
import time
from dataclasses import asdict
from pathlib import Path
from typing import NamedTuple

from ..records import ABSENT, FAILED, FOUND, Author, Identifier, Lookup, Notice, Work
from .validate import InvalidRecord, check_lookup

log = logging.getLogger("refcheck")

CACHE_FILE = "refcheck.sqlite"
OWN_MARKER = ".refcheck-cache-id"
REGISTRY = "own-caches"
_DATABASE_FILES = ("", "-wal", "-shm", "-journal")
DAY = 86400.0
TTL = {FOUND: 30 * DAY, ABSENT: 1 * DAY}
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS lookups (
    service TEXT NOT NULL,
    key TEXT NOT NULL,
    outcome TEXT NOT NULL,
    record TEXT,
    related TEXT,
    reason TEXT,
    raw BLOB,
    fetched_at REAL NOT NULL,
    expires_at REAL NOT NULL,
    PRIMARY KEY (service, key)
);
"""


def user_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "refcheck"


def default_cache_dir() -> Path:
    """--cache-dir, else REFCHECK_CACHE_DIR, else ./cache if it is this user's own, else the user cache."""
    env = os.environ.get("REFCHECK_CACHE_DIR")
    if env:
        return Path(env)
    local = Path("cache")
    if is_own_cache(local):
        return local
    if (local / CACHE_FILE).exists():
        _warn_foreign_local_cache()
    return user_cache_dir()


@functools.cache
def _warn_foreign_local_cache() -> None:
    # (once per process: the lookup cache, the verdict cache and the model directory all ask)
    log.warning("refcheck: not using ./cache: refcheck did not make it for you (a cache that came with a repository is"
                " trusted only when named: --cache-dir cache)")


def _registered_ids() -> set[str]:
    try:
        return set((user_cache_dir() / REGISTRY).read_text(encoding="ascii").split())
    except (OSError, UnicodeDecodeError):
        return set()


def is_own_cache(directory: Path) -> bool:
    """Whether this user's refcheck made or was told to use this directory (module docstring)."""
    marker = directory / OWN_MARKER
    if directory.is_symlink() or not directory.is_dir() or marker.is_symlink():
        return False
    try:
        own_id = marker.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return False
    return bool(own_id) and own_id in _registered_ids()


def claim_directory(directory: Path) -> None:
    """Mark a cache directory as this user's own (a fresh random id, registered), unless it is already."""
    if is_own_cache(directory):
        return
    own_id = secrets.token_hex(16)
    registry = user_cache_dir() / REGISTRY
    try:
        marker = directory / OWN_MARKER
        if marker.is_symlink():
            return
        marker.write_text(own_id + "\n", encoding="ascii")
        registry.parent.mkdir(parents=True, exist_ok=True)
        if registry.is_symlink():
            return
        with registry.open("a", encoding="ascii") as ids:
            ids.write(own_id + "\n")
    except OSError as exc:
        log.debug("refcheck: cannot mark %s as this user's cache (%s)", directory, exc)


def work_to_dict(work: Work) -> dict:
    return asdict(work)


def work_from_dict(data: dict) -> Work:
    fields = dict(data)
    fields["authors"] = tuple(Author(**a) for a in fields.get("authors", ()))
    fields["notices"] = tuple(Notice(n["kind"], Identifier(**n["identifier"])) for n in fields.get("notices", ()))
    for name in ("publication_types", "flags", "notes"):
        fields[name] = tuple(fields.get(name, ()))
    return Work(**fields)


def encoded(lookup: Lookup) -> tuple:
    """(service, key, outcome, record, related, reason): a lookup as the columns of a row (both backends)."""
    return (
        lookup.service,
        lookup.key,
        lookup.outcome,
        json.dumps(work_to_dict(lookup.work), sort_keys=True) if lookup.work else None,
        json.dumps([[i.scheme, i.value] for i in lookup.related]),
        lookup.reason,
    )


class UndecodableRow(ValueError):
    """A cached row this version cannot turn back into a Lookup."""


class Entry(NamedTuple):
    lookup: Lookup
    fetched_at: float
    expires_at: float


def _lookup_from_row(service, key, outcome, record, related, reason) -> Lookup:
    try:
        if outcome not in TTL:
            raise ValueError(f"unknown outcome {outcome!r}")
        return check_lookup(Lookup(
            service=service,
            key=key,
            outcome=outcome,
            work=work_from_dict(json.loads(record)) if record else None,
            reason=reason or "",
            related=tuple(Identifier(*pair) for pair in json.loads(related or "[]")),
        ))
    except InvalidRecord as exc:
        raise UndecodableRow(f"cached {service} answer for {key!r} is not valid ({exc})") from None
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        # Fields another refcheck version added or dropped, or a damaged row.
        raise UndecodableRow(f"cached {service} answer for {key!r} cannot be read ({type(exc).__name__}: {exc})") from None


def entry_from_row(row) -> Entry:
    """An Entry from a (service, key, outcome, record, related, reason, fetched_at, expires_at) row;
    UndecodableRow when this version cannot read it."""
    service, key, outcome, record, related, reason, fetched_at, expires_at = row
    return Entry(_lookup_from_row(service, key, outcome, record, related, reason), fetched_at, expires_at)


def storable_rows(answers, fetched_at: float) -> list[tuple]:
    """(service, key, outcome, record, related, reason, raw, fetched_at, expires_at) for each (lookup, raw)
    answer worth keeping: a FAILED one is never stored."""
    return [(*encoded(lookup), raw, fetched_at, fetched_at + TTL[lookup.outcome])
            for lookup, raw in answers if lookup.outcome != FAILED]


def counted_entries(rows, now: float) -> list[dict]:
    """`cache stats`' counts by service and outcome from (service, key, outcome, record, related, reason,
    expires_at) rows: rows, expired rows, and invalid rows (undecodable or failing validation, never used)."""
    counts: dict[tuple[str, str], dict] = {}
    for service, key, outcome, record, related, reason, expires_at in rows:
        entry = counts.setdefault((service, outcome), {"service": service, "outcome": outcome, "count": 0, "expired": 0, "invalid": 0})
        entry["count"] += 1
        entry["expired"] += expires_at < now
        try:
            _lookup_from_row(service, key, outcome, record, related, reason)
        except UndecodableRow:
            entry["invalid"] += 1
    return list(counts.values())


class LookupStore:
    """What both cache backends (SQLite here, PostgreSQL in postgres.py) derive from row() and put_many()."""

    def row(self, service: str, key: str) -> tuple | None:
        """The stored (service, key, outcome, record, related, reason, fetched_at, expires_at) row, or None
        when there is none or the store cannot be read (said once, as a warning)."""
        raise NotImplementedError

    def entry(self, service: str, key: str) -> Entry | None:
        """The cached answer, expired or not, with its times; None when there is none or it cannot be decoded."""
        row = self.row(service, key)
        if row is None:
            return None
        try:
            return entry_from_row(row)
        except UndecodableRow as exc:
            log.debug("refcheck: %s; asking again", exc)
            return None

    def put_many(self, answers, *, fetched_at: float | None = None) -> None:
        raise NotImplementedError

    def get(self, service: str, key: str) -> Lookup | None:
        """The cached answer while it is fresh."""
        entry = self.entry(service, key)
        if entry is None or entry.expires_at < time.time():
            return None
        return entry.lookup

    def put(self, lookup: Lookup, raw: bytes | None = None, *, fetched_at: float | None = None) -> None:
        self.put_many([(lookup, raw)], fetched_at=fetched_at)


class Cache(LookupStore):
    def __init__(self, directory: Path | str | None = None, *, enabled: bool = True):
        # (a cache that is not used is not looked for: --no-cache says nothing about ./cache)
        self.path = Path(directory or (default_cache_dir() if enabled else user_cache_dir())) / CACHE_FILE
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self.writable = enabled
        if enabled:
            self._open()

    def _open(self) -> None:
        linked = [str(self.path) + suffix for suffix in _DATABASE_FILES if Path(str(self.path) + suffix).is_symlink()]
        if linked:
            self._disable(f"{linked[0]} is a symbolic link; refcheck does not follow links to its cache")
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            claim_directory(self.path.parent)
            self._connection = self._connect()
        except sqlite3.DatabaseError as exc:
            if not self.path.exists() or "locked" in str(exc):
                self._disable(f"cannot open the cache ({exc})")
                return
            aside = self.path.with_name(f"{self.path.name}.corrupt-{int(time.time())}")
            log.warning("refcheck: cache %s is damaged (%s); moved to %s and rebuilt", self.path, exc, aside.name)
            for suffix in ("", "-wal", "-shm"):
                source = Path(str(self.path) + suffix)
                if source.exists():
                    source.replace(Path(str(aside) + suffix))
            try:
                self._connection = self._connect()
            except sqlite3.DatabaseError as again:
                self._disable(f"cannot rebuild the cache ({again})")
        except OSError as exc:
            self._disable(f"cannot create {self.path.parent} ({exc.strerror or exc})")

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        connection.execute("PRAGMA busy_timeout = 30000")
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            # In WAL mode NORMAL cannot corrupt the file, even at a crash; a power cut may lose the
            # last answers written, which for a cache only means asking again.
            connection.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.OperationalError:
            pass  # read-only media: reads still work in the default journal mode
        if connection.execute("PRAGMA quick_check(1)").fetchone()[0] != "ok":
            connection.close()
            raise sqlite3.DatabaseError("integrity check failed")
        try:
            connection.executescript(_SCHEMA)
            # user_version is the newest schema that has written this file. A file a newer refcheck wrote
            # keeps its stamp, or that version would take its rows for ours; we read what we can decode,
            # treat the rest as misses, and our fresh answers replace them.
            if connection.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.OperationalError as exc:
            if "readonly" not in str(exc):
                raise
            self.writable = False
        return connection

    def _disable(self, why: str) -> None:
        log.warning("refcheck: running without a cache: %s", why)
        self._connection = None
        self.writable = False

    @property
    def available(self) -> bool:
        return self._connection is not None

    def row(self, service: str, key: str) -> tuple | None:
        if self._connection is None:
            return None
        try:
            with self._lock:
                return self._connection.execute(
                    "SELECT service, key, outcome, record, related, reason, fetched_at, expires_at FROM lookups"
                    " WHERE service = ? AND key = ?",
                    (service, key),
                ).fetchone()
        except sqlite3.DatabaseError as exc:
            log.warning("refcheck: cache read failed (%s)", exc)
            return None

    def rows(self):
        """Every cached answer as an Entry, in key order; UndecodableRow for a row this version cannot read."""
        if self._connection is None:
            return
        with self._lock:
            rows = self._connection.execute(
                "SELECT service, key, outcome, record, related, reason, fetched_at, expires_at FROM lookups ORDER BY service, key"
            ).fetchall()
        for row in rows:
            yield entry_from_row(row)

    def put_many(self, answers, *, fetched_at: float | None = None) -> None:
        """Store (lookup, raw) answers in one transaction, so a batch costs one write to disk, not one
        per answer (157 records took 2 s one by one on a loaded machine). FAILED ones are never stored."""
        if self._connection is None or not self.writable:
            return
        fetched_at = time.time() if fetched_at is None else fetched_at
        rows = storable_rows(answers, fetched_at)
        if not rows:
            return
        try:
            with self._lock:
                self._connection.execute("BEGIN IMMEDIATE")
                try:
                    self._connection.executemany(
                        "INSERT OR REPLACE INTO lookups (service, key, outcome, record, related, reason, raw, fetched_at, expires_at)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        rows,
                    )
                except BaseException:
                    self._connection.execute("ROLLBACK")
                    raise
                self._connection.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            # Full disk, read-only file, lost lock: the run goes on uncached.
            log.warning("refcheck: cache write failed (%s); continuing without caching", exc)
            self.writable = False

    def stats(self) -> dict:
        """Counts by service and outcome: rows, expired rows, and invalid rows (undecodable or failing
        validation, so never used)."""
        if self._connection is None:
            return {"path": str(self.path), "available": False}
        with self._lock:
            rows = self._connection.execute(
                "SELECT service, key, outcome, record, related, reason, expires_at FROM lookups ORDER BY service, outcome"
            ).fetchall()
        return {
            "path": str(self.path),
            "available": True,
            "bytes": self.path.stat().st_size if self.path.exists() else 0,
            "entries": counted_entries(rows, time.time()),
        }

    def clear(self) -> int:
        if self._connection is None:
            return 0
        with self._lock:
            count = self._connection.execute("SELECT count(*) FROM lookups").fetchone()[0]
            self._connection.execute("DELETE FROM lookups")
            self._connection.execute("VACUUM")
        return count

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
