"""Evaluate refcheck.compare on labelled claim/abstract pairs none of which it was trained on.

Datasets: Citation-Integrity dev, HealthVer dev and test, the SciFact and COVID-Fact dev rationales
(two-way: entailment -> supported, not_entailment -> contradicted), the project's own pair corpus
(tests/compare_pairs.json: red-team pairs and blind sets 1-3) and blind set 4 (tests/blind_recorded.json,
claims over recorded PubMed abstracts read from ../shared/fixtures).

Labels are collapsed to three classes: supported (our SUPPORTED and
PARTIALLY_SUPPORTED), contradicted, and not supported (NOT_SUPPORTED and
CANNOT_CHECK).  Prints, per dataset, n, macro-F1, per-class P/R/F1, the
confusion matrix, the share of contradicted claims called SUPPORTED and the mean time per pair.

    python scripts/eval_claims.py [--limit N] [--dataset NAME ...]

The shared data directory defaults to ../shared next to the repository and can
be moved with REFCHECK_SHARED_DIR.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import pickle
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from refcheck import records  # noqa: E402
from refcheck.compare import BUILTIN_MODEL, NO_MODEL, compare_many, entailment_scorer  # noqa: E402

CLASSES = ("supported", "contradicted", "not_supported")
_DATASET_LABELS = {
    "SUPPORT": "supported", "Supports": "supported",
    "REFUTE": "contradicted", "Refutes": "contradicted",
    "NEI": "not_supported", "Neutral": "not_supported",
}
_VERDICT_CLASSES = {
    records.SUPPORTED: "supported",
    records.PARTIALLY_SUPPORTED: "supported",
    records.CONTRADICTED: "contradicted",
    records.NOT_SUPPORTED: "not_supported",
    records.CANNOT_CHECK: "not_supported",
}
_CITATION_MARKER = "<|"


@dataclass(frozen=True)
class Pair:
    claim: str
    abstract: str
    label: str  # one of CLASSES
    title: str | None = None


def shared_dir() -> Path:
    override = os.environ.get("REFCHECK_SHARED_DIR")
    return Path(override) if override else Path(__file__).resolve().parents[1].parent / "shared"


def datasets_dir() -> Path:
    return shared_dir() / "datasets"


def strip_citation_markers(claim: str) -> str:
    """Remove <|cit|>-style markers (and the brackets left empty by them)."""
    claim = re.sub(r"<\|[a-z_]+\|>", " ", claim)
    claim = re.sub(r"[\[(]\s*[,;\s]*[\])]", " ", claim)
    return re.sub(r"\s+", " ", claim).strip()


def citint_pairs(path: Path, corpus_path: Path) -> Iterator[Pair]:
    """One pair per (claim, cited doc); a cited doc without evidence is NEI."""
    corpus = {}
    with corpus_path.open(encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            corpus[doc["doc_id"]] = " ".join(doc["abstract"])
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            claim = strip_citation_markers(row["claim"])
            for doc_id in row["cited_doc_ids"]:
                labels = [e["label"] for e in row["evidence"].get(str(doc_id), [])]
                label = _DATASET_LABELS[labels[0]] if labels else "not_supported"
                yield Pair(claim, corpus.get(doc_id, ""), label)


def healthver_pairs(path: Path, topic_parity: int | None = None) -> Iterator[Pair]:
    """HealthVer rows; topic_parity 0/1 keeps only even/odd topic ids.

    train_compare.py may learn from the even topics of HealthVer dev, so the
    odd topics are the part of dev that stays a clean check.
    """
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if topic_parity is None or int(row["topic_ip"]) % 2 == topic_parity:
                yield Pair(row["claim"], row["evidence"], _DATASET_LABELS[row["label"]])


def rte_pairs(path: Path) -> Iterator[Pair]:
    """SciFact / COVID-Fact rationales: the evidence supports the claim or refutes it."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            yield Pair(row["hypothesis"], row["premise"], "supported" if row["label"] == "entailment" else "contradicted")


OWN_PAIRS = Path(__file__).resolve().parents[1] / "tests" / "compare_pairs.json"
BLIND_RECORDED = Path(__file__).resolve().parents[1] / "tests" / "blind_recorded.json"


def own_pairs(path: Path = OWN_PAIRS, sources: tuple[str, ...] | None = None) -> Iterator[Pair]:
    """The project's own pairs (no dataset text), optionally of some sources only; 'either' pairs are left out."""
    corpus = json.loads(path.read_text(encoding="utf-8"))
    for pair in corpus["pairs"]:
        if pair["label"] in CLASSES and (sources is None or pair["source"] in sources):
            yield Pair(pair["claim"], corpus["abstracts"][pair["abstract_id"]]["abstract"], pair["label"])


def recorded_abstract(pmid: str, fixtures: Path) -> tuple[str, str]:
    """(abstract, title) of a recorded PubMed record, parsed as the pipeline parses it."""
    from refcheck.resolve.services.pubmed import parse_pubmed_xml

    path = fixtures / "metapub" / "pmid_xml" / f"{pmid}.xml"
    if not path.exists():
        path = fixtures / "metapub" / f"pmid_{pmid}.xml"
    (work, _), = parse_pubmed_xml(path.read_bytes())
    return work.abstract or "", work.title or ""


def blind_recorded_pairs(fixtures: Path, path: Path = BLIND_RECORDED) -> Iterator[Pair]:
    """Blind set 4: claims written over recorded abstracts before refcheck ran on them."""
    for pair in json.loads(path.read_text(encoding="utf-8"))["pairs"]:
        abstract, title = recorded_abstract(pair["pmid"], fixtures)
        yield Pair(pair["claim"], abstract, pair["label"], title)


def dataset_loaders(base: Path) -> dict[str, Callable[[], Iterable[Pair]]]:
    citint, healthver, nli = base / "citint", base / "healthver", base / "nli"
    return {
        "own_pairs": own_pairs,
        "red_team": lambda: own_pairs(sources=("red-team 1", "red-team 2")),
        "blind_sets_1_3": lambda: own_pairs(sources=("blind set", "blind set 2", "blind set 3")),
        "blind_recorded": lambda: blind_recorded_pairs(base.parent / "fixtures"),
        "scifact_dev": lambda: rte_pairs(nli / "scifact_dev_rte.jsonl"),
        "covidfact_dev": lambda: rte_pairs(nli / "covidfact_dev_rte.jsonl"),
        "citint_dev": lambda: citint_pairs(citint / "claims_dev.jsonl", citint / "corpus.jsonl"),
        "healthver_dev": lambda: healthver_pairs(healthver / "healthver_dev.csv"),
        "healthver_dev_odd_topics": lambda: healthver_pairs(healthver / "healthver_dev.csv", topic_parity=1),
        "healthver_test": lambda: healthver_pairs(healthver / "healthver_test.csv"),
    }


@dataclass(frozen=True)
class Scores:
    n: int
    macro_f1: float
    per_class: dict[str, tuple[float, float, float]]  # precision, recall, F1
    confusion: dict[str, dict[str, int]]  # gold -> predicted -> count
    ms_per_pair: float
    contradicted_called_supported: float  # share of gold-contradicted pairs given SUPPORTED or PARTIALLY_SUPPORTED


def score(gold: list[str], predicted: list[str], seconds: float) -> Scores:
    confusion = {g: {p: 0 for p in CLASSES} for g in CLASSES}
    for g, p in zip(gold, predicted):
        confusion[g][p] += 1
    per_class = {}
    for c in CLASSES:
        tp = confusion[c][c]
        predicted_c = sum(confusion[g][c] for g in CLASSES)
        gold_c = sum(confusion[c].values())
        precision = tp / predicted_c if predicted_c else 0.0
        recall = tp / gold_c if gold_c else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[c] = (precision, recall, f1)
    present = [c for c in CLASSES if sum(confusion[c].values())]
    macro = sum(per_class[c][2] for c in present) / len(present) if present else 0.0
    contradicted = sum(confusion["contradicted"].values())
    called_supported = confusion["contradicted"]["supported"] / contradicted if contradicted else 0.0
    return Scores(len(gold), macro, per_class, confusion, 1000 * seconds / max(1, len(gold)), called_supported)


class MemoScorer:
    """An entailment scorer whose answers are remembered in a file, so that trying other thresholds
    (or rules) does not run the model again; `thresholds` replaces the model's own."""

    def __init__(self, inner, path: Path | None, thresholds: dict[str, float] | None = None):
        self._inner, self._path = inner, path
        self._thresholds = {**inner.thresholds, **(thresholds or {})}
        self._memo: dict[tuple[str, str, str], dict[str, float]] = {}
        if path and path.exists():
            self._memo = pickle.loads(path.read_bytes())

    name = "entailment"

    @property
    def version(self) -> str:
        return self._inner.version

    @property
    def thresholds(self) -> dict[str, float]:
        return self._thresholds

    def score(self, pairs):
        keys = [(self.version, premise, claim) for premise, claim in pairs]
        missing = list(dict.fromkeys(k for k in keys if k not in self._memo))
        for key, probabilities in zip(missing, self._inner.score([(p, c) for _, p, c in missing])):
            self._memo[key] = probabilities
        if missing and self._path:
            self._path.write_bytes(pickle.dumps(self._memo))
        return [self._memo[k] for k in keys]


def evaluate(pairs: Iterable[Pair], limit: int | None = None, scorer=None) -> Scores:
    """All pairs compared in one batch, as the pipeline compares a document's claims."""
    chosen = list(pairs)[:limit]
    start = time.perf_counter()
    verdicts = compare_many([(p.claim, p.abstract or None, p.title) for p in chosen], scorer=scorer,
                            nli_model=NO_MODEL if scorer is None else None)
    elapsed = time.perf_counter() - start
    return score([p.label for p in chosen], [_VERDICT_CLASSES[v.verdict] for v in verdicts], elapsed)


def format_scores(name: str, s: Scores) -> str:
    lines = [f"== {name}: n={s.n}  macro-F1={s.macro_f1:.3f}  contradicted called SUPPORTED {s.contradicted_called_supported:.0%}"
             f"  {s.ms_per_pair:.2f} ms/pair"]
    lines.append(f"{'class':<15}{'P':>7}{'R':>7}{'F1':>7}")
    for c, (p, r, f) in s.per_class.items():
        lines.append(f"{c:<15}{p:>7.3f}{r:>7.3f}{f:>7.3f}")
    lines.append("confusion (rows gold, columns predicted): " + " / ".join(CLASSES))
    for g in CLASSES:
        lines.append(f"{g:<15}" + "".join(f"{s.confusion[g][p]:>8}" for p in CLASSES))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="evaluate only the first N pairs per dataset")
    parser.add_argument("--dataset", action="append",
                        choices=tuple(dataset_loaders(Path("."))),
                        help="restrict to these datasets (repeatable); default all")
    parser.add_argument("--nli-model", default=BUILTIN_MODEL,
                        help='model directory or hub id; "none" for the rules and lexical scorer alone; default refcheck\'s own')
    parser.add_argument("--thresholds", default="", help="override the model's thresholds: contradiction=0.9,entailment=0.5,veto=0.5")
    parser.add_argument("--memo", type=Path, default=None, help="remember the model's answers in this file between runs")
    args = parser.parse_args(argv)
    scorer = entailment_scorer(args.nli_model)
    if scorer is not None:
        overrides = dict(item.split("=") for item in args.thresholds.split(",") if item)
        scorer = MemoScorer(scorer, args.memo, {k: float(v) for k, v in overrides.items()})
    base = datasets_dir()
    if not base.is_dir() and args.dataset != ["own_pairs"]:
        print(f"no datasets at {base} (set REFCHECK_SHARED_DIR)", file=sys.stderr)
        return 2
    for name, load in dataset_loaders(base).items():
        if args.dataset and name not in args.dataset:
            continue
        print(format_scores(name, evaluate(load(), args.limit, scorer)))
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
