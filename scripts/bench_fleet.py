"""Benchmark a corpus run: 400 documents, 4 worker processes, the replay server's rate limits enforced.

    python scripts/bench_fleet.py [--documents 400] [--workers 4] [--latency-ms 50] [--cache-url postgresql://...]

The documents are written from the recorded works (each cites 3 to 6 of them, PubMed's by PMID and
Crossref's by DOI, in sentences that restate the cited work's title), so every lookup has a real recorded answer or is a
replay server 503. The server enforces the published limits of the pools refcheck uses (Crossref public
pool: 5/s singles, 1/s lists; NCBI without key: 3/s) and answers 429 above them.

Prints: requests sent per endpoint against the batching lower bound (the same figure as
scripts/bench_resolve.py's, for the corpus's distinct identifiers), 429s, the wall time of the corpus run,
the rate-limit minimum (each pool's requests at the rate refcheck allows itself: the published rate
less its 15 % headroom, plus one latency) and the CPU time of one process checking the same corpus with
a warm cache, divided by the workers. Target: requests = bound, 0 x 429, wall <= 1.2 x the larger of the two.
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from replay_server import ReplayServer, recorded_works  # noqa: E402

CLAIM_OPENERS = ("A trial found that", "Researchers reported that", "One study showed that", "It has been shown that", "According to a review,")


def make_corpus(directory: Path, count: int, seed: int = 19, doi_share: float = 0.3, shared_dir: Path | None = None) -> list[str]:
    """`count` text documents under directory/docs/<n % 10>/ citing recorded works; returns their paths, sorted.
    A work PubMed has is cited by its DOI with probability doi_share (Crossref is then asked for it too), else by PMID."""
    works = [work for work in recorded_works(shared_dir) if work.get("pmid") or work.get("doi")]
    draw = random.Random(seed)
    paths = []
    for number in range(count):
        cited = draw.sample(works, draw.randint(3, 6))
        sentences, references = [], []
        for index, work in enumerate(cited, 1):
            title = work["title"].rstrip(".")
            sentences.append(f"{draw.choice(CLAIM_OPENERS)} {title[:1].lower()}{title[1:]} [{index}].")
            if work.get("pmid") and (not work.get("doi") or draw.random() >= doi_share):
                references.append(f"{index}. {title}. PMID: {work['pmid']}")
            else:
                references.append(f"{index}. {title}. doi:{work['doi']}")
        text = f"Notes on the literature, part {number}\n\n" + " ".join(sentences) + "\n\nReferences\n\n" + "\n".join(references) + "\n"
        path = directory / "docs" / str(number % 10) / f"doc{number:04d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return sorted(paths)


def distinct_identifiers(paths: list[str]) -> tuple[list[str], list[str]]:
    """(DOIs, PMIDs) the corpus cites, as refcheck extracts them."""
    from refcheck.load import load
    from refcheck.extract import extract

    dois, pmids = set(), set()
    for path in paths:
        for citation in extract(load(path)):
            for identifier in citation.identifiers:
                (dois if identifier.scheme == "doi" else pmids).add(identifier.value)
    return sorted(dois), sorted(pmids)


def main(argv: list[str] | None = None) -> None:
    from bench_resolve import endpoint_counts, lower_bound, rate_minimum

    from refcheck.corpus import run_corpus
    from refcheck.pipeline import check
    from refcheck.resolve import Settings
    from refcheck.resolve.services import crossref, pubmed
    from refcheck.resolve.services.http import RateLimiter, RetryPolicy

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=400)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--cache-url", default=os.environ.get("REFCHECK_TEST_PG_URL"),
                        help="a PostgreSQL database for the cache and the shared limits (default $REFCHECK_TEST_PG_URL; none: SQLite)")
    args = parser.parse_args(argv)

    published = {"crossref": crossref.PUBLIC_LIMIT.per_second, "crossref-list": crossref.PUBLIC_LIST_LIMIT.per_second,
                 "eutils": pubmed.PUBLIC_LIMIT.per_second}
    allowed = {pool: rate / RateLimiter.HEADROOM for pool, rate in published.items()}
    latency = args.latency_ms / 1000
    with tempfile.TemporaryDirectory() as scratch, ReplayServer(latency=latency, rate_limits=published) as server:
        scratch = Path(scratch)
        # Works cited as the recordings can answer (PubMed's by PMID, Crossref's by DOI): a DOI only PubMed has is a
        # replay 503 at Crossref, and the circuit breaker's skips would make the request count say nothing.
        paths = make_corpus(scratch, args.documents, doi_share=0)
        dois, pmids = distinct_identifiers(paths)
        settings = Settings(crossref_url=server.crossref_url, eutils_url=server.eutils_url, cache_dir=str(scratch / "cache"),
                            cache_url=args.cache_url, retry=RetryPolicy(attempts=1))
        if args.cache_url:
            from refcheck.resolve.postgres import PostgresCache

            cache = PostgresCache(args.cache_url)
            cache.clear()
            cache.close()

        started = time.monotonic()
        result = run_corpus(paths, output=str(scratch / "corpus.jsonl"), workers=args.workers, settings=settings)
        wall = time.monotonic() - started
        counts, throttled = endpoint_counts(server), server.count_status(429)
        bound = lower_bound(server, dois, pmids)

        # One process, warm cache (no requests): the CPU the corpus costs without any waiting.
        server.reset()
        before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.monotonic()
        check(paths, settings=Settings(**{**settings.__dict__, "offline": True}))
        single_wall = time.monotonic() - started
        after = resource.getrusage(resource.RUSAGE_SELF)
        single_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        assert server.count() == 0, "the warm run must not touch the network"


    minimum = rate_minimum(counts, allowed, latency)
    cpu_share = single_cpu / args.workers
    target = 1.2 * max(minimum, cpu_share)
    sent, least = sum(counts.values()), sum(bound.values())
    print(f"corpus: {args.documents} documents, {len(dois)} DOIs and {len(pmids)} PMIDs cited; {args.workers} workers; "
          f"cache {'PostgreSQL' if args.cache_url else 'SQLite'}; {args.latency_ms:g} ms latency; limits {published}")
    print(f"requests: {sent} sent, batching lower bound {least} ({'equal' if sent == least else f'{sent / least:.2f}x'})")
    for endpoint in counts:
        print(f"  {endpoint:17} {counts[endpoint]:5d} (bound {bound.get(endpoint, 0)})")
    print(f"429 received: {throttled}")
    print(f"wall: {wall:.2f} s; rate-limit minimum {minimum:.2f} s; single-process CPU {single_cpu:.2f} s "
          f"(warm wall {single_wall:.2f} s) / {args.workers} = {cpu_share:.2f} s; "
          f"target <= {target:.2f} s ({wall / max(minimum, cpu_share):.2f}x)")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; documents reported {result.documents}; exit code {result.exit_code}")


if __name__ == "__main__":
    main()
