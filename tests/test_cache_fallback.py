"""A failed lookup falls back on the expired cached answer for that run only, and never turns an old
"not found" into a verdict; rows this version cannot decode are misses; a newer schema keeps its stamp.

Rows are made expired by setting their fetch and expiry times in the past.
"""
import json
import sqlite3
import time

import pytest

from refcheck.resolve.cache import CACHE_FILE, DAY, SCHEMA_VERSION, Cache
from refcheck.cli import main
from refcheck.records import FAILED, FOUND, NOT_FOUND, UNRESOLVED, VERIFIED, Citation, Identifier, Lookup, Work
from refcheck.resolve import Resolver
from refcheck.resolve.services.http import RetryPolicy

from helpers import replay_settings

CROSSREF_DOI = "10.1371/journal.pone.0033693"  # recorded in Crossref only
ABSENT_DOI = "10.1371/notarealdoi"  # Crossref answers 404
PUBMED_DOI = "10.1163/156853287x00032"  # recorded in PubMed only
NO_RETRY = RetryPolicy(attempts=1, total_seconds=2.0)
LONG_AGO = 1_700_000_000.0  # 2023-11-14: every row fetched then is expired


def cite_doi(doi: str) -> Citation:
    return Citation(kind="doi", id=doi, text=doi, start=0, end=1, identifiers=(Identifier("doi", doi),))


def resolve(server, cache_dir, doi: str):
    resolver = Resolver(replay_settings(server, cache_dir, retry=NO_RETRY), Cache(cache_dir))
    try:
        return resolver.resolve([cite_doi(doi)])[0]
    finally:
        resolver.close()


def table(cache_dir) -> list[tuple]:
    with sqlite3.connect(cache_dir / CACHE_FILE) as connection:
        return connection.execute("SELECT * FROM lookups ORDER BY service, key").fetchall()


def reasons(cache_dir) -> list[str]:
    return [row[5] for row in table(cache_dir)]


def expire_every_row(cache_dir) -> None:
    connection = sqlite3.connect(cache_dir / CACHE_FILE)
    with connection:
        connection.execute("UPDATE lookups SET fetched_at = ?, expires_at = ?", (LONG_AGO, LONG_AGO + DAY))
    connection.close()


def failing(service: str, fault: str = "503", path_part: str = ""):
    def pick(requested_service, path, query):
        return fault if requested_service == service and path_part in path else None
    return pick


def lookup_of(resolution, service: str):
    return next(lookup for lookup in resolution.lookups if lookup.service == service)


def test_expired_record_is_used_when_the_refresh_fails_and_is_not_rewritten(replay_server, tmp_path):
    fresh = resolve(replay_server, tmp_path, CROSSREF_DOI)
    assert fresh.status == VERIFIED
    expire_every_row(tmp_path)
    expired = table(tmp_path)

    replay_server.fault = failing("crossref")
    resolution = resolve(replay_server, tmp_path, CROSSREF_DOI)
    assert resolution.status == VERIFIED and resolution.work == fresh.work
    crossref = lookup_of(resolution, "crossref")
    assert crossref.outcome == FOUND and "refresh failed" in crossref.reason and "HTTP 503" in crossref.reason
    assert table(tmp_path) == expired  # same times, raw response and reason: the next run asks again

    replay_server.fault = None
    replay_server.reset()
    resolve(replay_server, tmp_path, CROSSREF_DOI)
    assert replay_server.count("crossref") > 0
    assert reasons(tmp_path) == [row[5] for row in expired]
    assert all(row[-1] > time.time() for row in table(tmp_path) if row[0] == "crossref")


def test_expired_not_found_with_a_failure_now_is_unresolved(replay_server, tmp_path):
    assert resolve(replay_server, tmp_path, ABSENT_DOI).status == NOT_FOUND
    expire_every_row(tmp_path)
    expired = table(tmp_path)

    replay_server.fault = failing("crossref")
    resolution = resolve(replay_server, tmp_path, ABSENT_DOI)
    assert resolution.status == UNRESOLVED
    crossref = lookup_of(resolution, "crossref")
    assert crossref.outcome == FAILED
    assert "HTTP 503" in crossref.reason and "could not recheck" in crossref.reason and "HTTP 404" in crossref.reason
    assert table(tmp_path) == expired


@pytest.mark.parametrize("doi", [CROSSREF_DOI, ABSENT_DOI])
def test_reasons_do_not_grow_over_failing_runs(replay_server, tmp_path, doi):
    resolve(replay_server, tmp_path, doi)
    stored_reasons = reasons(tmp_path)
    replay_server.fault = failing("crossref")
    runs = []
    for _ in range(3):
        expire_every_row(tmp_path)  # whatever the run before stored, this one finds it expired
        runs.append(resolve(replay_server, tmp_path, doi))
    assert len({(run.status, run.reasons, lookup_of(run, "crossref").reason) for run in runs}) == 1
    assert reasons(tmp_path) == stored_reasons


def test_expired_link_kept_after_a_failed_search_has_its_record_fetched(replay_server, tmp_path):
    """The kept DOI -> PMID link names a PMID no fresh search asked for: it is still fetched."""
    assert resolve(replay_server, tmp_path, PUBMED_DOI).status == VERIFIED
    expire_every_row(tmp_path)
    replay_server.fault = failing("eutils", path_part="esearch")
    resolution = resolve(replay_server, tmp_path, PUBMED_DOI)
    assert resolution.status == VERIFIED and resolution.work.doi == PUBMED_DOI
    assert "refresh failed" in lookup_of(resolution, "pubmed-doi").reason


def insert_row(cache_dir, record: str, outcome: str = FOUND) -> None:
    Cache(cache_dir).close()
    connection = sqlite3.connect(cache_dir / CACHE_FILE)
    with connection:
        connection.execute(
            "INSERT INTO lookups VALUES ('crossref', ?, ?, ?, '[]', '', NULL, ?, ?)",
            (CROSSREF_DOI, outcome, record, time.time(), time.time() + DAY),
        )
    connection.close()


UNDECODABLE = {
    "unknown Work field": json.dumps({"title": "T", "doi": CROSSREF_DOI, "subtitle": "from a later version"}),
    "broken JSON": '{"title": "T", "doi',
    "not an object": "[1, 2]",
    "unknown outcome": json.dumps({"title": "T", "doi": CROSSREF_DOI}),
}


@pytest.mark.parametrize("damage", UNDECODABLE)
def test_undecodable_row_is_a_miss_and_is_replaced(replay_server, tmp_path, damage):
    insert_row(tmp_path, UNDECODABLE[damage], "moved" if damage == "unknown outcome" else FOUND)
    assert Cache(tmp_path).entry("crossref", CROSSREF_DOI) is None
    resolution = resolve(replay_server, tmp_path, CROSSREF_DOI)
    assert resolution.status == VERIFIED and resolution.work.title != "T"
    assert Cache(tmp_path).get("crossref", CROSSREF_DOI).work == resolution.work


def test_export_of_an_undecodable_row_is_a_one_line_error(tmp_path, capsys):
    insert_row(tmp_path, UNDECODABLE["unknown Work field"])
    assert main(["cache", "export", "--cache-dir", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1 and CROSSREF_DOI in captured.err


def user_version(cache_dir) -> int:
    with sqlite3.connect(cache_dir / CACHE_FILE) as connection:
        return connection.execute("PRAGMA user_version").fetchone()[0]


def test_newer_schema_version_keeps_its_stamp(tmp_path):
    Cache(tmp_path).close()
    assert user_version(tmp_path) == SCHEMA_VERSION
    connection = sqlite3.connect(tmp_path / CACHE_FILE)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    cache = Cache(tmp_path)
    cache.put(Lookup("crossref", CROSSREF_DOI, FOUND, work=Work(title="T", doi=CROSSREF_DOI)))
    cache.close()
    assert user_version(tmp_path) == SCHEMA_VERSION + 1


def test_offline_an_expired_record_is_used_and_an_expired_not_found_is_unresolved(replay_server, tmp_path):
    assert resolve(replay_server, tmp_path, CROSSREF_DOI).status == VERIFIED
    assert resolve(replay_server, tmp_path, ABSENT_DOI).status == NOT_FOUND
    expire_every_row(tmp_path)
    replay_server.reset()

    def offline(doi):
        resolver = Resolver(replay_settings(replay_server, tmp_path, retry=NO_RETRY, offline=True), Cache(tmp_path))
        try:
            return resolver.resolve([cite_doi(doi)])[0]
        finally:
            resolver.close()

    record = offline(CROSSREF_DOI)
    assert record.status == VERIFIED and "offline; the cached answer has expired" in lookup_of(record, "crossref").reason
    gone = offline(ABSENT_DOI)
    assert gone.status == UNRESOLVED and "could not recheck" in lookup_of(gone, "crossref").reason
    assert replay_server.count() == 0
