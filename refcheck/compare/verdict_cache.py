"""Verdicts stored by what decides them, so a warm run does no comparison work at all.

A verdict is keyed by a digest of (claim text, abstract, title, quotation flag, comparer version);
the comparer version is a digest of the compare package's own source and lexical model plus the
entailment model's version, so any change to a rule or a model makes earlier verdicts unreachable
rather than wrong. Rows live in ``verdicts.sqlite`` beside the lookup cache. A row that does not
decode to a verdict is a miss; a failure to open or write the file only costs the speed-up.
"""
from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import threading
import time
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from ..records import CLAIM_VERDICTS, ClaimVerdict

log = logging.getLogger("refcheck")

VERDICT_FILE = "verdicts.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS verdicts (
    key TEXT PRIMARY KEY,
    verdict TEXT NOT NULL,
    stored_at REAL NOT NULL
);
"""
_PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def rules_version() -> str:
    """A digest of the comparison's code and lexical model: a changed rule is a new version."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")) + sorted(_PACKAGE.glob("*.json")):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def verdict_key(claim: str, abstract: str | None, title: str | None, quotation: bool, comparer_version: str) -> str:
    payload = json.dumps([claim, abstract or "", title or "", bool(quotation), comparer_version], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _verdict_to_json(verdict: ClaimVerdict) -> str:
    return json.dumps({"verdict": verdict.verdict, "evidence": list(verdict.evidence), "reasons": list(verdict.reasons),
                       "score": verdict.score}, ensure_ascii=False)


def _verdict_from_json(text: str) -> ClaimVerdict | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("verdict") not in CLAIM_VERDICTS:
        return None
    evidence, reasons, score = data.get("evidence"), data.get("reasons"), data.get("score")
    if not (isinstance(evidence, list) and all(isinstance(e, str) for e in evidence)
            and isinstance(reasons, list) and all(isinstance(r, str) for r in reasons)
            and isinstance(score, (int, float)) and not isinstance(score, bool)):
        return None
    return ClaimVerdict(data["verdict"], tuple(evidence), tuple(reasons), float(score))


class VerdictCache:
    """Verdicts in SQLite under `directory` (None or disabled: remembers nothing)."""

    def __init__(self, directory: Path | str | None, *, enabled: bool = True):
        self._connection: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        if enabled and directory is not None:
            path = Path(directory) / VERDICT_FILE
            # (as the lookup cache: a link planted in a shared or cloned cache directory is not followed)
            linked = [name for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if name.is_symlink()]
            if linked:
                log.warning("verdict cache not used: %s is a symbolic link", linked[0])
                return
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                connection = sqlite3.connect(path, timeout=10, check_same_thread=False)
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute(_SCHEMA)
                connection.commit()
                self._connection = connection
            except (OSError, sqlite3.Error) as exc:
                log.warning("verdict cache unavailable (%s): comparisons will not be remembered", exc)

    def get_many(self, keys: Iterable[str]) -> dict[str, ClaimVerdict]:
        keys = list(dict.fromkeys(keys))
        if self._connection is None or not keys:
            return {}
        found: dict[str, ClaimVerdict] = {}
        with self._lock:
            try:
                for start in range(0, len(keys), 500):
                    chunk = keys[start:start + 500]
                    rows = self._connection.execute(
                        f"SELECT key, verdict FROM verdicts WHERE key IN ({','.join('?' * len(chunk))})", chunk).fetchall()
                    for key, text in rows:
                        verdict = _verdict_from_json(text) if isinstance(text, str) else None
                        if verdict is not None:
                            found[key] = verdict
            except sqlite3.Error as exc:
                log.warning("verdict cache unreadable (%s)", exc)
                return {}
        return found

    def put_many(self, verdicts: dict[str, ClaimVerdict]) -> None:
        if self._connection is None or not verdicts:
            return
        now = time.time()
        with self._lock:
            try:
                self._connection.executemany(
                    "INSERT OR REPLACE INTO verdicts (key, verdict, stored_at) VALUES (?, ?, ?)",
                    [(key, _verdict_to_json(verdict), now) for key, verdict in verdicts.items()])
                self._connection.commit()
            except sqlite3.Error as exc:
                log.warning("verdict cache not written (%s)", exc)

    def clear(self) -> int:
        if self._connection is None:
            return 0
        with self._lock:
            count = self._connection.execute("SELECT COUNT(*) FROM verdicts").fetchone()[0]
            self._connection.execute("DELETE FROM verdicts")
            self._connection.commit()
            return count

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
