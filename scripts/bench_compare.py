"""Benchmark refcheck.compare: the entailment model's cost, a document's claims in one batch,
throughput on the project's own pairs, and the time of each input that once crashed it or made it
slow (tests/adversarial_compare.py).

    python scripts/bench_compare.py

First the model: its load time (session and tokenizer, then one pair), the peak memory it adds, the
cold cost per claim against an abstract of about ten sentences (rules and model, a batch of claims and
one claim at a time; each pair is run alone, so the two differ only by the rules' shared work), and the cost per claim when every verdict comes from the verdict cache.
Targets (issue 14, 2 cores): cold <= 20 ms per claim, load <= 1 s, added peak memory <= 300 MB,
warm <= 0.1 ms per claim.

Prints, first and with cold caches, the time compare_many takes over a 1,000-claim document citing
every recorded PubMed work about six times (each claim a sentence of its work: the title, then the
abstract's sentences in turn); then ms per pair over tests/compare_pairs.json, one compare call at a
time; then, for each adversarial input, its size and the seconds its first call takes (after a
warm-up call on another input: later calls on the same text would find its sentences' findings
cached). Wall and CPU seconds are both given: the CPU figure holds when the machine is busy.
Target: every adversarial call under 2 s for abstracts up to 20,000 characters and claims up to
1,000 (some inputs here are larger).
"""
from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))

from adversarial_compare import ADVERSARIAL  # noqa: E402
from eval_claims import blind_recorded_pairs, own_pairs  # noqa: E402
from replay_server import EFETCH_HEADER, default_shared_dir, recordings  # noqa: E402

from refcheck.compare import BUILTIN_MODEL, NO_MODEL, compare, compare_many  # noqa: E402
from refcheck.compare.scorers.entailment import EntailmentScorer  # noqa: E402
from refcheck.compare.verdict_cache import VerdictCache  # noqa: E402
from refcheck.records import Work  # noqa: E402
from refcheck.extract.sentences import split_sentences  # noqa: E402
from refcheck.resolve.services.pubmed import parse_pubmed_xml  # noqa: E402

DOCUMENT_CLAIMS = 1000


def recorded_pubmed_works() -> list[Work]:
    """Every recorded PubMed work, as the pipeline reads it from an efetch answer."""
    articles = [record.xml for record in recordings(default_shared_dir() / "fixtures").pubmed.values()]
    return [work for work, _ in parse_pubmed_xml(EFETCH_HEADER + b"<PubmedArticleSet>\n" + b"\n".join(articles)
                                                 + b"\n</PubmedArticleSet>\n")]


def document_comparisons(works: list[Work], count: int) -> list[tuple[str, str | None, str, bool]]:
    """`count` cited sentences cycling through the works: a work's n-th citation says its title (n = 0),
    then its abstract's sentences in turn."""
    comparisons = []
    for n in range(count):
        work = works[n % len(works)]
        said = [work.title] + split_sentences(work.abstract or "")
        comparisons.append((said[(n // len(works)) % len(said)], work.abstract, work.title, False))
    return comparisons


def timed(run) -> tuple[float, float]:
    """(wall, CPU) seconds of run()."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def model_costs() -> None:
    """Load time, added memory, cold and warm cost per claim: blind set 4's paraphrased claims against
    their recorded abstracts of 8-12 sentences."""
    claims = [(p.claim, p.abstract, p.title, False) for p in blind_recorded_pairs(default_shared_dir() / "fixtures")
              if 8 <= len(split_sentences(p.abstract)) <= 12]
    compare_many(claims, nli_model=NO_MODEL)  # the rules' per-abstract analysis, apart from the model
    before = peak_mb()
    wall, cpu = timed(lambda: EntailmentScorer().score([("A sentence.", "A claim.")]))  # refcheck's own model
    print(f"model load and first pair: {wall:.2f} s wall, {cpu:.2f} s CPU; peak memory +{peak_mb() - before:.0f} MB")
    scorer = EntailmentScorer()
    scorer.score([("Warm up.", "Warm up.")])
    half = len(claims) // 2
    batch, single = claims[:half], claims[half:]
    wall, cpu = timed(lambda: compare_many(batch, scorer=scorer))
    print(f"cold, {len(batch)} claims against abstracts of 8-12 sentences in one batch: "
          f"{1000 * wall / len(batch):.1f} ms/claim wall, {1000 * cpu / len(batch):.1f} CPU")
    wall, cpu = timed(lambda: [compare_many([c], scorer=scorer) for c in single])
    print(f"cold, {len(single)} other claims one at a time: {1000 * wall / len(single):.1f} ms/claim wall, "
          f"{1000 * cpu / len(single):.1f} CPU")
    with tempfile.TemporaryDirectory() as directory:
        cache = VerdictCache(directory)
        compare_many(claims, scorer=scorer, verdict_cache=cache)
        wall, cpu = timed(lambda: compare_many(claims, scorer=scorer, verdict_cache=cache))
        cache.close()
    print(f"warm (verdict cache): {1000 * wall / len(claims):.3f} ms/claim wall, {1000 * cpu / len(claims):.3f} CPU")


def main() -> int:
    works = recorded_pubmed_works()
    model_costs()
    document = document_comparisons(works, DOCUMENT_CLAIMS)
    compare("Warm up.", "Warm up.")
    abstracts = {abstract for _, abstract, _, _ in document if abstract}
    for model, named in ((NO_MODEL, "rules only"), (BUILTIN_MODEL, "with refcheck's model, the default")):
        wall, cpu = timed(lambda: compare_many(document, nli_model=model))
        print(f"document, {named}: {len(document)} claims citing {len(works)} works ({len(abstracts)} abstracts) in "
              f"one compare_many: {wall:.2f} s wall, {cpu:.2f} s CPU")
    pairs = list(own_pairs())
    wall, cpu = timed(lambda: [compare(pair.claim, pair.abstract) for pair in pairs])
    print(f"own pairs: {len(pairs)} in {wall:.2f} s, {1000 * wall / len(pairs):.2f} ms/pair "
          f"({1000 * cpu / len(pairs):.2f} ms/pair CPU)")
    print(f"{'seconds':>8}  {'claim':>6}  {'abstract':>8}  input")
    slowest = 0.0
    for what, claim, abstract in ADVERSARIAL:
        seconds, _ = timed(lambda: compare(claim, abstract))
        slowest = max(slowest, seconds)
        print(f"{seconds:8.3f}  {len(claim):6d}  {len(abstract):8d}  {what}")
    print(f"slowest adversarial call: {slowest:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
