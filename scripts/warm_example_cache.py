"""Fill the repository's cache/ with the bundled examples' lookups, answered by
the replay server from real recorded responses (../shared/fixtures).

The committed cache/ lets `refcheck check examples/...` run the same way on a
machine with no network: every answer the recordings hold comes from the cache.
Usage: python scripts/warm_example_cache.py
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import refcheck  # noqa: E402
from refcheck.resolve import Settings  # noqa: E402
from replay_server import ReplayServer  # noqa: E402


def main() -> int:
    examples = sorted(str(p) for p in (ROOT / "examples").glob("*.html"))
    with ReplayServer() as server:
        settings = Settings(crossref_url=server.crossref_url, eutils_url=server.eutils_url, cache_dir=str(ROOT / "cache"), refresh=True)
        report = refcheck.check(examples, settings=settings)
        print(f"{len(examples)} example(s), {sum(len(d.citations) for d in report.documents)} citation(s); {server.count()} replayed requests cached in cache/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
