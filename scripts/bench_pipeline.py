"""Benchmark the whole pipeline (load -> extract -> resolve -> compare -> report) against the replay server.

    python scripts/bench_pipeline.py [--only NAME ...] [--limit SECONDS] [--repeat N]

Each case runs `refcheck.check` and renders the JSON report in a fresh Python process (so peak
memory is that run's own), against the replay server's real recorded answers, and prints wall
time and the child's CPU time (imports included), requests per service and peak memory (VmHWM,
and above the interpreter's base after importing refcheck). With --repeat N each case runs N
times and the run with the median wall time is printed, every run's wall time beside it: on a
shared machine wall time includes waiting for a core, CPU time does not. Cases:

- cited sentences, 50 (a page), 1k and 10k: each sentence cites a recorded PubMed work with an abstract (so the
  comparison stage runs); cold (an empty cache) then warm (the cache the cold run filled);
- documents of 10 MB and 50 MB: the example page's text repeated, cold then warm;
- the 20 MB repeated sentence: one cited sentence, over and over, cold then warm;
- 1,000 DOIs with Crossref down, and with Crossref and PubMed down (every request 503). The DOIs
  (10.5555/bench.N) have no recording, so PubMed's answer to them is a failure in both cases (a
  replay of something not recorded is a service failure): every DOI must end UNRESOLVED, with the
  reason that names the outage.

Children run with their bytecode cached (in PYTHONPYCACHEPREFIX, a folder under the system's temporary
directory; PYTHONDONTWRITEBYTECODE is dropped for them), as an installed refcheck has it: otherwise every
run would also compile refcheck's source, 0.2-0.3 s a run on this machine. The first case compiles.

A case still running after --limit seconds is stopped and reported as such. Targets (issue 17):
warm 50 < 0.4 s, warm 1k < 1 s, 10k < 10 s and <= 10.5x the 1k time; 50 MB < 20 s and <= 2 bytes of peak memory
per input byte above the base; 20 MB repeated sentence < 30 s; services down: < 30 s and <= 20
Crossref requests.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

from replay_server import ReplayServer, recorded_works  # noqa: E402

MB = 1024 * 1024
POLITE = "bench@example.org"
CHILD_ENVIRONMENT = {**{name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"},
                     "PYTHONPYCACHEPREFIX": str(Path(tempfile.gettempdir()) / "refcheck-bench-pycache")}

# Run in the child: one check, the JSON report rendered, timings and memory printed as JSON.
# Peak memory is VmHWM, this process image's own high-water mark: ru_maxrss would carry over the
# benchmark's (forked) memory across exec.
CHILD = """
import json, re, sys, time
started, cpu_started = time.monotonic(), time.process_time()

def high_water_kb():
    with open("/proc/self/status") as status:
        return int(re.search(r"VmHWM:\\s+(\\d+)", status.read()).group(1))

import refcheck
from refcheck.report import render
from refcheck.resolve import Settings
base = high_water_kb()
source, crossref, eutils, cache, mailto = sys.argv[1:6]
settings = Settings(crossref_url=crossref, eutils_url=eutils, cache_dir=cache, mailto=mailto or None, timeout=10.0)
report = refcheck.check(source, settings=settings, max_bytes=200 * 1024 * 1024)
render(report, "json")
statuses = {}
for document in report.documents:
    for checked in document.citations:
        statuses[checked.resolution.status] = statuses.get(checked.resolution.status, 0) + 1
peak = high_water_kb()
print(json.dumps({"seconds": time.monotonic() - started, "cpu_seconds": time.process_time() - cpu_started, "peak_kb": peak, "base_kb": base, "statuses": statuses,
                  "reasons": sorted({r for d in report.documents for c in d.citations for r in c.resolution.reasons})[:2]}))
"""


def run_case(server: ReplayServer, source: Path | str, cache: Path, limit: float, *, mailto: str = "") -> dict:
    """One check in a fresh process; its numbers and the requests the server saw."""
    server.reset()
    started = time.monotonic()
    command = [sys.executable, "-c", CHILD, str(source), server.crossref_url, server.eutils_url, str(cache), mailto]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=limit, cwd=ROOT, env=CHILD_ENVIRONMENT)
    except subprocess.TimeoutExpired:
        return {"stopped": True, "seconds": time.monotonic() - started}
    if result.returncode != 0:
        return {"error": result.stderr.strip().splitlines()[-1:] or ["no output"], "seconds": time.monotonic() - started}
    numbers = json.loads(result.stdout.strip().splitlines()[-1])
    numbers["requests"] = {service: server.count(service) for service in ("crossref", "eutils") if server.count(service)}
    return numbers


def median_of(runs: list[dict]) -> dict:
    """The run with the median wall time (its requests and memory with it); every run's wall time kept."""
    finished = [run for run in runs if "peak_kb" in run]
    if len(finished) < len(runs):
        return next(run for run in runs if "peak_kb" not in run)
    ordered = sorted(finished, key=lambda run: run["seconds"])
    return {**ordered[len(ordered) // 2], "all_seconds": [run["seconds"] for run in runs]}


def describe(name: str, numbers: dict, input_bytes: int | None = None) -> str:
    if numbers.get("stopped"):
        return f"{name:<38} stopped after {numbers['seconds']:.0f} s"
    if "error" in numbers:
        return f"{name:<38} failed: {numbers['error'][0]}"
    peak_mb = numbers["peak_kb"] / 1024
    above = (numbers["peak_kb"] - numbers["base_kb"]) * 1024
    per_byte = f", {above / input_bytes:.2f} B/input B above base" if input_bytes else ""
    requests = ", ".join(f"{service} {count}" for service, count in numbers["requests"].items()) or "none"
    statuses = ", ".join(f"{status} {count}" for status, count in sorted(numbers["statuses"].items()))
    runs = numbers.get("all_seconds", [])
    spread = f" (runs: {', '.join(f'{seconds:.2f}' for seconds in runs)})" if len(runs) > 1 else ""
    line = (f"{name:<38} {numbers['seconds']:7.2f} s wall, {numbers['cpu_seconds']:6.2f} s CPU{spread}  "
            f"peak {peak_mb:4.0f} MB{per_byte}  requests: {requests}  [{statuses}]")
    if "UNRESOLVED" in numbers["statuses"] and numbers["reasons"]:
        line += "\n" + "\n".join(f"{'':<40}reason: {reason}" for reason in numbers["reasons"])
    return line


def cited_sentences(count: int) -> str:
    """`count` sentences, each citing a recorded PubMed work that has an abstract."""
    works = [w for w in recorded_works() if w.get("pmid") and w.get("has_abstract")]
    lines = [f"Study {n} found that the treatment changed the outcome ({w['title'][:60]}; PMID: {w['pmid']})."
             for n, w in ((n, works[n % len(works)]) for n in range(count))]
    return "\n\n".join(lines) + "\n"


def example_text() -> str:
    from refcheck.load import load

    return load(str(ROOT / "examples" / "gut-brain-health.html")).text


def repeated_to(text: str, size: int) -> str:
    return (text * (size // len(text) + 1))[:size]


def doi_list(count: int) -> str:
    return "References\n\n" + "\n".join(f"{n + 1}. https://doi.org/10.5555/bench.{n}" for n in range(count)) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", help="run only the cases whose name contains one of these words")
    parser.add_argument("--limit", type=float, default=180.0, help="seconds before a case is stopped (default 180)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each case; the median is printed (default 1)")
    args = parser.parse_args(argv)

    def wanted(name: str) -> bool:
        return not args.only or any(word in name for word in args.only)

    with tempfile.TemporaryDirectory() as scratch, ReplayServer() as server:
        scratch = Path(scratch)

        def cold_then_warm(name: str, page: Path, input_bytes: int | None = None) -> None:
            """Each cold run on an empty cache of its own; the warm runs on the last cold run's cache."""
            caches = [scratch / f"cache-{page.stem}-{run}" for run in range(args.repeat)]
            cold = median_of([run_case(server, page, cache, args.limit, mailto=POLITE) for cache in caches])
            print(describe(f"{name}, cold", cold, input_bytes), flush=True)
            warm = median_of([run_case(server, page, caches[-1], args.limit, mailto=POLITE) for _ in range(args.repeat)])
            print(describe(f"{name}, warm", warm, input_bytes), flush=True)

        for count in (50, 1000, 10_000):
            name = f"{count:,} cited sentences"
            if wanted(name):
                page = scratch / f"sentences-{count}.md"
                page.write_text(cited_sentences(count))
                cold_then_warm(name, page)
        for size in (10 * MB, 50 * MB):
            name = f"{size // MB} MB document"
            if wanted(name):
                page = scratch / f"document-{size // MB}.txt"
                page.write_text(repeated_to(example_text(), size))
                cold_then_warm(name, page, size)
        if wanted("20 MB repeated sentence"):
            page = scratch / "repeated.txt"
            page.write_text(repeated_to("Methylphenidate raised dopamine release in mice (doi:10.1371/journal.pone.0033693). ", 20 * MB))
            cold_then_warm("20 MB repeated sentence", page, 20 * MB)
        for down in (("crossref",), ("crossref", "eutils")):
            name = f"1,000 DOIs, {' and '.join(down)} down"
            if wanted(name):
                page = scratch / "dois.txt"
                page.write_text(doi_list(1000))
                server.fault = lambda service, path, query, down=down: "503" if service in down else None
                # Never warm: a failure is not cached, so every run is a first run.
                runs = [run_case(server, page, scratch / f"cache-down-{len(down)}-{run}", args.limit, mailto=POLITE) for run in range(args.repeat)]
                print(describe(name, median_of(runs)), flush=True)
                server.fault = None
    return 0


if __name__ == "__main__":
    sys.exit(main())
