"""Time and peak memory of the extract stage on large and hostile documents.

    python scripts/bench_extract.py [--only NAME ...] [--scale 1.0]

The extract stage is what the pipeline runs on a loaded document before any lookup: citations
(identifiers, reference lists, footnotes, markers), the claims each citation is cited for, the
unsourced claims and the markers that point nowhere. Each case runs in a fresh process so that its
peak memory is its own; "memory" is the peak resident size above the process's size after imports
(the interpreter's base), per byte of the document's text (which is itself one byte per byte).
A case is over its time target when its CPU time is: on a shared machine wall time also counts the
waiting for a core, which is printed beside it.

Targets (issues 17 and 18), printed beside each figure:
  100,000 DOIs cited in sentences      < 30 s
  2 MB of prose on one line            < 5 s
  50,000 reference-list entries        < 30 s
  20 MB repeating one cited sentence   < 30 s
  50 MB report text (prose, a cited paragraph in ten)
                                       memory <= 2 bytes per input byte, < 20 s
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# name: (what, seconds target or None, bytes-per-byte target or None)
CASES = {
    "dois_100k": ("100,000 DOIs cited in sentences", 30.0, None),
    "one_line_1mb": ("1 MB of prose on one line", None, None),
    "one_line_2mb": ("2 MB of prose on one line", 5.0, None),
    "entries_50k": ("50,000 reference-list entries, each cited by a marker", 30.0, None),
    "repeated_20mb": ("20 MB repeating one cited sentence", 30.0, None),
    "article_50mb": ("50 MB report text, a cited paragraph in ten", 20.0, 2.0),
}

_PROSE = (
    "The trial enrolled adults with moderate asthma and followed them for a year. "
    "Patients given the inhaler had fewer exacerbations than those given placebo, and the effect held across age groups. "
    "Adverse events were rare and mostly mild. "
)


def document_text(case: str, scale: float) -> str:
    if case == "dois_100k":
        count = int(100_000 * scale)
        paragraphs = []
        for start in range(0, count, 10):
            paragraphs.append(" ".join(
                f"Study {n} found that the treatment reduced symptoms in {n % 90 + 10}% of patients (doi:10.5555/bench.{n})."
                for n in range(start, min(start + 10, count))))
        return "\n\n".join(paragraphs) + "\n"
    if case.startswith("one_line_"):
        size = int((1 if case.endswith("1mb") else 2) * 1_000_000 * scale)
        sentence = "Researchers found that vitamin D reduced fractures by 20% in 3. 4 trials [1]. See doi:10.1000/xyz123 and e.g. Fig. 2. "
        return (sentence * (size // len(sentence) + 1))[:size]
    if case == "entries_50k":
        count = int(50_000 * scale)
        body = "\n\n".join(
            " ".join(f"Treatment {n} lowered blood pressure in older adults [{n}]." for n in range(start, min(start + 20, count + 1)))
            for start in range(1, count + 1, 20))
        entries = "\n".join(
            f"{n}. Smith J, Jones K, Lee M. Effect of treatment {n} on blood pressure in older adults. J Hypertens. {1990 + n % 30};{n % 40 + 1}({n % 12 + 1}):{n}-{n + 9}."
            for n in range(1, count + 1))
        return body + "\n\nReferences\n\n" + entries + "\n"
    if case == "repeated_20mb":
        sentence = "Vitamin D supplementation reduced the risk of hip fracture by 20% in older women (doi:10.1001/jama.2019.1234). "
        size = int(20_000_000 * scale)
        return sentence * (size // len(sentence))
    if case == "article_50mb":
        size = int(50_000_000 * scale)
        pieces, length, n = [], 0, 0
        while length < size:
            # A long report: a section heading now and then, prose, and a cited paragraph one in ten
            # (about one citation per 4 KB; the 100,000-DOI case is the citation-dense one).
            cited = (f"A meta-analysis of 12 trials showed a 30% reduction in mortality [{n % 50 + 1}]. "
                     f"A later cohort confirmed it (doi:10.5555/article.{n}; PMID: {10_000_000 + n}). ") if n % 10 == 0 else ""
            heading = f"## Section {n}\n\n" if n % 10 == 0 else ""
            paragraph = f"{heading}{_PROSE}{cited}{_PROSE}\n\n"
            pieces.append(paragraph)
            length += len(paragraph)
            n += 1
        references = "\n".join(f"{k}. Author{k} A, Other B. Title of study {k}. J Med. 2001;{k}:{k}-{k + 5}." for k in range(1, 51))
        return "".join(pieces) + "References\n\n" + references + "\n"
    raise ValueError(case)


def _rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run_case(case: str, scale: float) -> dict:
    sys.path.insert(0, str(ROOT))
    from refcheck.extract import dangling_markers, extract
    from refcheck.extract.claims import attach_claims, unsourced_claims
    from refcheck.records import Document

    base_kib = _rss_kib()
    text = document_text(case, scale)
    document = Document("bench", text, "text")
    started, cpu_started = time.perf_counter(), time.process_time()
    citations = extract(document)
    claims = attach_claims(document, citations)
    unsourced = unsourced_claims(document, citations, claims)
    dangling = dangling_markers(text)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "case": case, "bytes": len(text.encode("utf-8")), "seconds": seconds, "cpu_seconds": cpu_seconds,
        "citations": len(citations), "claims": sum(len(c) for c in claims), "unsourced": len(unsourced),
        "dangling": len(dangling), "peak_above_base": (peak_kib - base_kib) * 1024,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", choices=sorted(CASES), help="run only these cases")
    parser.add_argument("--scale", type=float, default=1.0, help="shrink or grow every case (0.1 for a quick look)")
    parser.add_argument("--case", help=argparse.SUPPRESS)  # one case in this process (the parent's child)
    args = parser.parse_args(argv)
    if args.case:
        print(json.dumps(run_case(args.case, args.scale)))
        return 0
    print(f"{'case':<58} {'MB':>6} {'seconds':>8} {'CPU s':>6} {'target':>7} {'B/B':>5} {'target':>6} {'citations':>9} {'claims':>7}")
    failed = False
    for case in args.only or CASES:
        what, seconds_target, memory_target = CASES[case]
        child = subprocess.run([sys.executable, __file__, "--case", case, "--scale", str(args.scale)], capture_output=True, text=True)
        if child.returncode != 0:
            print(f"{what:<58} failed: {child.stderr.strip().splitlines()[-1] if child.stderr.strip() else child.returncode}")
            failed = True
            continue
        result = json.loads(child.stdout)
        per_byte = result["peak_above_base"] / result["bytes"]
        over = (seconds_target is not None and args.scale == 1.0 and result["cpu_seconds"] > seconds_target) or (
            memory_target is not None and per_byte > memory_target)
        failed |= over
        print(f"{what:<58} {result['bytes'] / 1e6:>6.1f} {result['seconds']:>8.2f} {result['cpu_seconds']:>6.2f} {seconds_target or '':>7} {per_byte:>5.2f} "
              f"{memory_target or '':>6} {result['citations']:>9} {result['claims']:>7}{'  OVER TARGET' if over else ''}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
