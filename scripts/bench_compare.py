"""Benchmark refcheck.compare: throughput on the project's own pairs and the time of each input
that once crashed it or made it slow (tests/adversarial_compare.py).

    python scripts/bench_compare.py

Prints ms per pair over tests/compare_pairs.json and, for each adversarial input, its size and
the seconds its first call takes (after a warm-up call on another input: later calls on the same
text would find its sentences' findings cached). Target: every call under 2 s
for abstracts up to 20,000 characters and claims up to 1,000 (some inputs here are larger).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))

from adversarial_compare import ADVERSARIAL  # noqa: E402
from eval_claims import own_pairs  # noqa: E402

from refcheck.compare import compare  # noqa: E402


def main() -> int:
    compare("Warm up.", "Warm up.")
    pairs = list(own_pairs())
    start = time.perf_counter()
    for pair in pairs:
        compare(pair.claim, pair.abstract)
    elapsed = time.perf_counter() - start
    print(f"own pairs: {len(pairs)} in {elapsed:.2f} s, {1000 * elapsed / len(pairs):.2f} ms/pair")
    print(f"{'seconds':>8}  {'claim':>6}  {'abstract':>8}  input")
    slowest = 0.0
    for what, claim, abstract in ADVERSARIAL:
        start = time.perf_counter()
        compare(claim, abstract)
        seconds = time.perf_counter() - start
        slowest = max(slowest, seconds)
        print(f"{seconds:8.3f}  {len(claim):6d}  {len(abstract):8d}  {what}")
    print(f"slowest adversarial call: {slowest:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
