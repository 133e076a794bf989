"""Many writers on one PostgreSQL cache: 8 processes writing and reading the same keys lose and corrupt
nothing, and a writer killed mid-run loses nothing it had committed."""
import json
import os
import signal
import subprocess
import sys

import psycopg

from refcheck.resolve.postgres import PostgresCache

KEYS, ROUNDS, WRITERS = 40, 3, 8

# One writer: every round, every key, a record naming the writer and round, read back at once.
WRITER = """
import json, sys, time
from refcheck.records import FOUND, Lookup, Work
from refcheck.resolve.postgres import PostgresCache

url, me, keys, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
cache = PostgresCache(url)
stamps = {}
for round_ in range(rounds):
    for number in range(keys):
        key = f"10.5555/shared-{number}"
        stamp = time.time()
        cache.put(Lookup("crossref", key, FOUND, work=Work(title=f"writer {me} round {round_}", doi=key)), b"raw", fetched_at=stamp)
        stamps.setdefault(key, []).append([stamp, f"writer {me} round {round_}"])
        seen = cache.entry("crossref", key)
        if seen is None or seen.lookup.key != key or seen.lookup.work.doi != key or not seen.lookup.work.title.startswith("writer "):
            sys.exit(f"bad read of {key}: {seen}")
print(json.dumps(stamps))
"""

# Writes keys one after another and says each one once put() has returned (committed).
KILLED_WRITER = """
import sys
from refcheck.records import ABSENT, FOUND, Lookup, Work
from refcheck.resolve.postgres import PostgresCache

cache = PostgresCache(sys.argv[1])
for number in range(100000):
    key = str(number)
    lookup = Lookup("pubmed", key, FOUND, work=Work(title=f"record {number}", pmid=key)) if number % 3 else Lookup("pubmed", key, ABSENT, reason="PubMed reports this PMID does not exist")
    cache.put(lookup, b"<PubmedArticle/>" * 50)
    print(key, flush=True)
"""


def test_eight_processes_on_the_same_keys_lose_nothing_and_the_latest_fetch_wins(postgres_url):
    PostgresCache(postgres_url).close()  # the schema once, so the writers start together on the keys
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, postgres_url, str(me), str(KEYS), str(ROUNDS)], stdout=subprocess.PIPE, text=True)
               for me in range(WRITERS)]
    outputs = [writer.communicate(timeout=120) for writer in writers]
    assert [writer.returncode for writer in writers] == [0] * WRITERS
    written: dict[str, list] = {}
    for out, _ in outputs:
        for key, stamps in json.loads(out).items():
            written.setdefault(key, []).extend(stamps)
    assert len(written) == KEYS and all(len(stamps) == WRITERS * ROUNDS for stamps in written.values())

    cache = PostgresCache(postgres_url)
    try:
        entries = list(cache.rows())
    finally:
        cache.close()
    assert sorted(entry.lookup.key for entry in entries) == sorted(written)
    for entry in entries:
        latest = max(stamp for stamp, _ in written[entry.lookup.key])
        assert entry.fetched_at == latest
        assert entry.lookup.work.title in {title for stamp, title in written[entry.lookup.key] if stamp == latest}
        assert entry.lookup.work.doi == entry.lookup.key


def test_a_killed_writer_loses_nothing_it_committed(postgres_url):
    writer = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, postgres_url], stdout=subprocess.PIPE, text=True)
    committed = []
    try:
        while len(committed) < 300:
            line = writer.stdout.readline()
            assert line, "the writer ended early"
            committed.append(line.strip())
        os.kill(writer.pid, signal.SIGKILL)
        committed += [line.strip() for line in writer.stdout.read().splitlines()]
    finally:
        writer.kill()
        writer.wait()
    assert writer.returncode == -signal.SIGKILL

    with psycopg.connect(postgres_url) as connection:
        stored = dict(connection.execute("SELECT key, outcome FROM refcheck_lookups WHERE service = 'pubmed'").fetchall())
    assert set(committed) <= set(stored)
    # Whatever was in flight at the kill is all there or not at all: every row reads back whole.
    cache = PostgresCache(postgres_url)
    try:
        for key in stored:
            entry = cache.entry("pubmed", key)
            assert entry is not None and entry.lookup.key == key
            assert (entry.lookup.work.title == f"record {key}") if int(key) % 3 else (entry.lookup.work is None and entry.lookup.outcome == "not_found")
    finally:
        cache.close()
