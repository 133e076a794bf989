"""Benchmark resolution against the replay server with latency and the published rate limits.

    python scripts/bench_resolve.py [--citations 1000] [--latency-ms 100] [--mailto you@example.org]

The server answers 100 ms late and rejects with 429 whatever exceeds the published limits (NCBI
3/s; Crossref public pool 5/s single records and 1/s lists, polite pool 10/s and 3/s). The document
cites every recorded work several times over: PubMed works by PMID and by DOI, Crossref works by
DOI. Prints requests against the lower bound, cold and warm wall times, 429s, and the figures a
naive one-request-per-identifier-per-citation client would need (computed, not run: at NCBI's
3/s it would take minutes).

Retries are off (one attempt): with no faults injected the only failures are the replay server's
503s for lookups it has no recording of (PubMed-only DOIs asked of Crossref, Crossref-only DOIs
asked of PubMed), which no retry can fix; tests/test_faults.py covers retries.
"""
from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from replay_server import ReplayServer, recorded_works  # noqa: E402

from refcheck.pipeline import check  # noqa: E402
from refcheck.records import Document  # noqa: E402
from refcheck.resolve import Settings  # noqa: E402
from refcheck.resolve.services import crossref, pubmed  # noqa: E402
from refcheck.resolve.services.http import RetryPolicy  # noqa: E402


def bench_document(count: int) -> tuple[Document, list[str], list[str]]:
    """A reference list of `count` entries cycling through every recorded identifier."""
    identifiers = []
    for work in recorded_works():
        if work.get("pmid"):
            identifiers.append(f"PMID: {work['pmid']}")
        if work.get("doi"):
            identifiers.append(f"https://doi.org/{work['doi']}")
    lines = [f"{n + 1}. See {identifiers[n % len(identifiers)]}" for n in range(count)]
    dois = sorted({i.split("doi.org/", 1)[1].lower() for i in identifiers if "doi.org/" in i})
    pmids = sorted({i.split(": ", 1)[1] for i in identifiers if i.startswith("PMID")})
    return Document("bench", "References\n\n" + "\n".join(lines) + "\n", "text"), dois, pmids


def lower_bound(server: ReplayServer, dois: list[str], pmids: list[str]) -> dict[str, int]:
    """Fewest requests any client obeying the rules needs, per endpoint."""
    recorded_in_crossref = set(server.recordings.crossref_works)
    linked = {p for doi in dois for p in server.recordings.pmids_by_doi.get(doi, ())}
    return {
        "crossref lists": math.ceil(len(dois) / crossref.FILTER_BATCH),
        # A DOI missing from a list answer must be asked on its own before anyone may call it absent.
        "crossref singles": sum(1 for doi in dois if doi not in recorded_in_crossref),
        "esearch": math.ceil(len(dois) / pubmed.SEARCH_BATCH),
        "efetch": math.ceil(len(set(pmids) | linked) / pubmed.BATCH),
    }


def endpoint_counts(server: ReplayServer) -> dict[str, int]:
    counts = dict.fromkeys(("crossref lists", "crossref singles", "esearch", "efetch", "esummary"), 0)
    for request in server.requests:
        if request.service == "crossref":
            counts["crossref lists" if request.path == "/works" else "crossref singles"] += 1
        else:
            counts[request.path.strip("/").split(".")[0]] = counts.get(request.path.strip("/").split(".")[0], 0) + 1
    return counts


def rate_minimum(counts: dict[str, int], limits: dict[str, float], latency: float) -> float:
    """Wall time the rate limits alone impose: each pool's requests at its rate, plus one latency;
    E-utilities at least two rounds (esearch, then efetch)."""
    pools = {
        "crossref-list": counts["crossref lists"],
        "crossref": counts["crossref singles"],
        "eutils": counts["esearch"] + counts["efetch"] + counts.get("esummary", 0),
    }
    floors = [(n - 1) / limits[pool] + latency for pool, n in pools.items() if n]
    return max(floors + [2 * latency])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citations", type=int, default=1000)
    parser.add_argument("--latency-ms", type=float, default=100.0)
    parser.add_argument("--mailto", help="use the Crossref polite pool (and its limits)")
    args = parser.parse_args(argv)

    single, listed = (crossref.POLITE_LIMIT, crossref.POLITE_LIST_LIMIT) if args.mailto else (crossref.PUBLIC_LIMIT, crossref.PUBLIC_LIST_LIMIT)
    limits = {"crossref": single.per_second, "crossref-list": listed.per_second, "eutils": pubmed.PUBLIC_LIMIT.per_second}
    latency = args.latency_ms / 1000
    document, dois, pmids = bench_document(args.citations)
    with ReplayServer(latency=latency, rate_limits=limits) as server, tempfile.TemporaryDirectory() as cache_dir:
        settings = Settings(
            crossref_url=server.crossref_url, eutils_url=server.eutils_url, mailto=args.mailto,
            cache_dir=cache_dir, retry=RetryPolicy(attempts=1),
        )
        started = time.monotonic()
        report = check(document, settings=settings)
        cold = time.monotonic() - started
        counts = endpoint_counts(server)
        throttled = server.count_status(429)
        bound = lower_bound(server, dois, pmids)

        server.reset()
        started = time.monotonic()
        check(document, settings=Settings(**{**settings.__dict__, "offline": True}))
        warm = time.monotonic() - started
        assert server.count() == 0, "the warm run must not touch the network"

    citations = [c for d in report.documents for c in d.citations]
    statuses = {}
    for item in citations:
        statuses[item.resolution.status] = statuses.get(item.resolution.status, 0) + 1
    sent, least = sum(counts.values()), sum(bound.values())
    minimum = rate_minimum(counts, limits, latency)
    # Per DOI citation: a Crossref record, an esearch and an efetch; per PMID citation: an efetch.
    naive_eutils = sum(2 if c.citation.kind == "doi" else 1 for c in citations)
    naive_crossref = sum(1 for c in citations if c.citation.kind == "doi")
    naive_minimum = max(naive_eutils / limits["eutils"], naive_crossref / limits["crossref"])

    print(f"document: {len(citations)} citations of {len(dois)} DOIs and {len(pmids)} PMIDs ({'polite' if args.mailto else 'public'} pool, {args.latency_ms:g} ms latency)")
    print(f"statuses: {statuses}")
    print(f"requests: {sent} sent, lower bound {least} ({sent / least:.2f}x; target <= 1.1x)")
    for endpoint in counts:
        print(f"  {endpoint:17} {counts[endpoint]:5d} (bound {bound.get(endpoint, 0)})")
    print(f"cold wall: {cold:.2f} s, rate-limit minimum {minimum:.2f} s ({cold / minimum:.2f}x; target <= 1.5x)")
    print(f"warm wall (cache only, end to end): {warm:.2f} s (target < 2 s)")
    print(f"429 received: {throttled}")
    print(f"naive client (one request per identifier per citation, computed): {naive_eutils + naive_crossref} requests, "
          f"at least {naive_minimum:.0f} s at the published limits")


if __name__ == "__main__":
    main()
