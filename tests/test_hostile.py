"""Hostile answers, a tampered cache, hostile cache paths and hostile pages: each ends in a report
with UNRESOLVED and a reason (or a one-line error for a page), never a crash or a believed lie."""
import gzip
import sqlite3

import pytest

import refcheck
from refcheck.errors import InputError
from refcheck.load import load, public_source
from refcheck.records import FOUND, UNRESOLVED, Author, Lookup, Work
from refcheck.report import FORMATS, render
from refcheck.resolve.cache import CACHE_FILE, OWN_MARKER, Cache, default_cache_dir
from refcheck.resolve.services.answers import MAX_JSON_DEPTH, AnswerRefused, parse_json
from refcheck.resolve.services.http import ServiceError
from refcheck.resolve.validate import InvalidRecord, check_work

from helpers import replay_settings
from replay_server import HOSTILE_FAULTS, gzip_bomb

DOI = "10.1371/journal.pone.0033693"  # recorded in Crossref
PMID = "28731372"  # recorded in PubMed


def document(tmp_path, text: str):
    page = tmp_path / "page.md"
    page.write_text(text)
    return page


@pytest.mark.parametrize("fault", HOSTILE_FAULTS)
def test_every_hostile_answer_ends_in_a_report_with_unresolved_and_a_reason(replay_server, tmp_path, fault):
    replay_server.fault = lambda service, path, query: fault
    page = document(tmp_path, f"Methylphenidate changes dopamine neurons (https://doi.org/{DOI}).\n\nAnother study (https://pubmed.ncbi.nlm.nih.gov/{PMID}/).\n")
    report = refcheck.check(str(page), settings=replay_settings(replay_server, tmp_path / "cache", timeout=2.0))
    citations = report.documents[0].citations
    assert len(citations) == 2
    for checked in citations:
        assert checked.resolution.status == UNRESOLVED, (fault, checked.resolution)
        assert checked.resolution.reasons
    for fmt in FORMATS:
        render(report, fmt)  # every format renders what a hostile answer left behind
    assert replay_server.count("other") == 0  # nothing fetched beyond the services (no DTD)


def test_a_4_gib_bomb_is_cut_at_the_cap_without_reading_it_all():
    bomb = gzip_bomb(256 * 1024 * 1024)
    assert len(bomb) < 2 * 1024 * 1024

    class Raw:
        def __init__(self, data):
            self.data, self.offset = data, 0

        def read1(self, size, decode_content=False):
            piece = self.data[self.offset:self.offset + size]
            self.offset += len(piece)
            return piece

    class Response:
        headers = {"Content-Encoding": "gzip"}
        raw = Raw(bomb)

    from refcheck.resolve.services.answers import read_body

    with pytest.raises(AnswerRefused, match="once decompressed"):
        read_body(Response(), deadline=float("inf"))
    assert Response.raw.offset < len(bomb)  # stopped early: the cap, not the end of the body


def test_a_good_gzip_answer_reads_back_whole():
    from refcheck.resolve.services.answers import read_body

    body = b'{"message": {}}' * 1000

    class Raw:
        pieces = [gzip.compress(body)[:100], gzip.compress(body)[100:], b""]

        def read1(self, size, decode_content=False):
            return self.pieces.pop(0)

    class Response:
        headers = {"Content-Encoding": "gzip"}
        raw = Raw()

    assert read_body(Response(), deadline=float("inf")) == body


@pytest.mark.parametrize("body, refused", [
    (b"[" * 100_000 + b"]" * 100_000, "nested deeper"),
    (b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1), "nested deeper"),
    (b'{"year": Infinity}', "malformed JSON"),
    (b'{"year": NaN}', "malformed JSON"),
    (b'{"n": ' + b"9" * 5000 + b"}", "malformed JSON"),
])
def test_json_that_is_not_plain_and_shallow_is_refused(body, refused):
    with pytest.raises(ServiceError, match=refused):
        parse_json(body)


@pytest.mark.parametrize("change, problem", [
    ({"year": 10**300}, "year"),
    ({"year": "2012"}, "year"),
    ({"title": 42}, "title is int"),
    ({"authors": (Author(family=42),)}, "author family name"),
    ({"title": "\x1b[2J Methylphenidate"}, "terminal control"),
    ({"abstract": "x" * 300_000}, "abstract"),
    ({"doi": "not a doi"}, "not a DOI"),
])
def test_a_record_of_the_wrong_type_or_range_is_no_record(change, problem):
    good = Work(title="Methylphenidate", year=2012, doi=DOI)
    assert check_work(good) is good
    with pytest.raises(InvalidRecord, match=problem):
        check_work(Work(**{**good.__dict__, **change}))


# -- the cache -------------------------------------------------------------------------------------

def test_a_tampered_cache_row_is_a_miss_and_counted_invalid(replay_server, tmp_path):
    """The key of a real DOI holding another DOI's record (the attack that flipped a claim), and rows
    of the wrong shape: none is believed; the run asks the service, and stats counts them."""
    cache = Cache(tmp_path)
    cache.put(Lookup("crossref", DOI, FOUND, work=Work(title="Fake", doi="10.9999/fake", year=2012)))
    cache.put(Lookup("pubmed", PMID, FOUND, work=Work(title="Fake", pmid=PMID, year=2012)))
    with sqlite3.connect(tmp_path / CACHE_FILE) as raw:
        raw.execute("UPDATE lookups SET record = json_set(record, '$.year', '<img src=x onerror=alert(1)>') WHERE service = 'pubmed'")
    cache.close()

    cache = Cache(tmp_path)
    assert cache.entry("crossref", DOI) is None and cache.entry("pubmed", PMID) is None
    invalid = {(e["service"], e["outcome"]): e["invalid"] for e in cache.stats()["entries"]}
    assert invalid == {("crossref", FOUND): 1, ("pubmed", FOUND): 1}
    cache.close()

    page = document(tmp_path, f"A study (https://doi.org/{DOI}).\n\nAnother (https://pubmed.ncbi.nlm.nih.gov/{PMID}/).\n")
    report = refcheck.check(str(page), settings=replay_settings(replay_server, tmp_path))
    works = [c.resolution.work for c in report.documents[0].citations]
    assert [(w.doi, w.pmid) for w in works] == [(DOI, None), (works[1].doi, PMID)]
    assert all(w.title != "Fake" and w.year != "<img src=x onerror=alert(1)>" for w in works)
    assert {r.service for r in replay_server.requests} == {"crossref", "eutils"}  # both asked again


def test_a_cache_file_that_is_a_symlink_is_not_followed(tmp_path, caplog):
    foreign = tmp_path / "foreign.sqlite"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE theirs (x)")
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    (cache_dir / CACHE_FILE).symlink_to(foreign)
    cache = Cache(cache_dir)
    assert not cache.available
    with sqlite3.connect(foreign) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        assert tables == {"theirs"} and connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal"
    # A dangling link: its target is not created.
    dangling = tmp_path / "dangling"
    dangling.mkdir()
    (dangling / CACHE_FILE).symlink_to(tmp_path / "nowhere.sqlite")
    assert not Cache(dangling).available and not (tmp_path / "nowhere.sqlite").exists()


def test_a_cache_that_came_with_a_repository_is_not_used_automatically(tmp_path, monkeypatch):
    monkeypatch.delenv("REFCHECK_CACHE_DIR")
    monkeypatch.chdir(tmp_path)
    shipped = tmp_path / "cache"
    shipped.mkdir()
    (shipped / CACHE_FILE).write_bytes(b"")
    (shipped / OWN_MARKER).write_text("0123456789abcdef0123456789abcdef\n")  # a marker copied from elsewhere
    assert default_cache_dir() != shipped and default_cache_dir().name == "refcheck"
    # Named once, it becomes the user's own: refcheck marks it with a fresh id and registers that.
    Cache(shipped).close()
    assert (shipped / OWN_MARKER).read_text().strip() != "0123456789abcdef0123456789abcdef"
    assert default_cache_dir() == shipped.relative_to(tmp_path)
    # Never through a symbolic link, even to an own cache.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    (elsewhere / "cache").symlink_to(shipped)
    assert default_cache_dir().name == "refcheck"


def test_a_foreign_local_cache_is_mentioned_once_and_not_at_all_without_a_cache(tmp_path, monkeypatch, caplog):
    from refcheck.resolve import cache as cache_module

    monkeypatch.delenv("REFCHECK_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / CACHE_FILE).write_bytes(b"")
    cache_module._warn_foreign_local_cache.cache_clear()
    Cache(enabled=False).close()
    assert "not using ./cache" not in caplog.text
    default_cache_dir(), default_cache_dir()
    assert caplog.text.count("not using ./cache") == 1


# -- pages ---------------------------------------------------------------------------------------------

def test_a_page_with_content_length_abc_is_a_one_line_error_and_the_other_report_survives(replay_server, tmp_path):
    replay_server.fault = lambda service, path, query: "content-length-abc" if service == "pages" else None
    good = document(tmp_path, "No citations here.\n")
    url = f"{replay_server.url}/pages/gut-brain-health.html"
    with pytest.raises(InputError, match="Content-Length"):
        load(url)
    report = refcheck.check([url, str(good)], settings=replay_settings(replay_server, tmp_path / "cache", offline=True))
    assert [d.error is not None for d in report.documents] == [True, False]


def test_credentials_in_a_fetched_url_never_reach_the_report(replay_server, tmp_path):
    secret = "s3cret-pass"
    url = replay_server.url.replace("http://", f"http://editor:{secret}@") + "/pages/gut-brain-health.html"
    report = refcheck.check([url, url.replace("gut-brain-health", "missing")],
                            settings=replay_settings(replay_server, tmp_path / "cache", offline=True))
    assert report.documents[0].source == public_source(url) and "@" not in report.documents[0].source
    assert report.documents[1].error
    for fmt in FORMATS:
        assert secret not in render(report, fmt)
    assert public_source("https://a:b@example.org/x?y=1") == "https://example.org/x?y=1"
    assert public_source("page.html") == "page.html"
