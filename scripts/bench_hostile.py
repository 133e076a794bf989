"""Benchmark hostile service answers and a tampered cache: time, requests and peak memory per case.

    python scripts/bench_hostile.py [--bomb-gib 4] [--limit SECONDS]

Each case checks a two-citation page (a Crossref DOI and a PubMed PMID, both recorded) in a fresh
process (bench_pipeline.run_case) while the replay server answers every request with one hostile
answer (replay_server.HOSTILE_FAULTS); the gzip bomb expands to --bomb-gib GiB (refused by its
compressed size), and once more to 1 GiB (under the compressed cap: stopped while inflating). Then a cache whose
rows were tampered with (another DOI's record under a real DOI's key, a string year) is checked
offline. Every case should end with both citations UNRESOLVED; target (issue 18): peak memory for
the 4 GiB gzip bomb <= 200 MB.
"""
from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_pipeline import describe, run_case  # noqa: E402
from replay_server import HOSTILE_FAULTS, ReplayServer, gzip_bomb  # noqa: E402

from refcheck.records import FOUND, Lookup, Work  # noqa: E402
from refcheck.resolve.cache import CACHE_FILE, Cache  # noqa: E402

DOI = "10.1371/journal.pone.0033693"
PMID = "28731372"
PAGE = f"Methylphenidate changes dopamine neurons (https://doi.org/{DOI}).\n\nAnother study (https://pubmed.ncbi.nlm.nih.gov/{PMID}/).\n"


def tampered_cache(directory: Path) -> None:
    cache = Cache(directory)
    cache.put(Lookup("crossref", DOI, FOUND, work=Work(title="Fake", doi="10.9999/fake", year=2012)))
    cache.put(Lookup("pubmed", PMID, FOUND, work=Work(title="Fake", pmid=PMID, year=2012)))
    cache.close()
    with sqlite3.connect(directory / CACHE_FILE) as raw:
        raw.execute("UPDATE lookups SET record = json_set(record, '$.year', '<img src=x onerror=alert(1)>') WHERE service = 'pubmed'")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bomb-gib", type=float, default=4.0, help="what the gzip bomb expands to (default 4 GiB)")
    parser.add_argument("--limit", type=float, default=120.0, help="seconds before a case is stopped (default 120)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch, ReplayServer() as server:
        scratch = Path(scratch)
        page = scratch / "page.md"
        page.write_text(PAGE)
        server.bomb_bytes = int(args.bomb_gib * 1024**3)
        print(f"gzip bomb: {len(gzip_bomb(server.bomb_bytes)) / 1024**2:.1f} MB on the wire, {args.bomb_gib:g} GiB decompressed", flush=True)
        for fault in HOSTILE_FAULTS:
            server.fault = lambda service, path, query, fault=fault: fault
            print(describe(f"hostile: {fault}", run_case(server, page, scratch / f"cache-{fault}", args.limit)), flush=True)
        # A bomb small enough on the wire to pass the compressed cap is stopped while inflating.
        server.bomb_bytes = 1024**3
        server.fault = lambda service, path, query: "gzip-bomb"
        print(describe(f"hostile: gzip-bomb, 1 GiB ({len(gzip_bomb(server.bomb_bytes)) / 1024**2:.1f} MB on the wire)",
                       run_case(server, page, scratch / "cache-bomb-1", args.limit)), flush=True)
        server.fault = lambda service, path, query: "503"
        tampered_cache(scratch / "tampered")
        print(describe("tampered cache (services down)", run_case(server, page, scratch / "tampered", args.limit)), flush=True)
        server.fault = None
    return 0


if __name__ == "__main__":
    sys.exit(main())
