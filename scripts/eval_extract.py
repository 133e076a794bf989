"""Precision and recall of citation extraction per citation kind over the gold corpus.

    python scripts/eval_extract.py [--corpus tests/corpus] [--shared ../shared] [-v]

Each tests/corpus/*.json annotates one document (a file beside it, or a seed
page read from ../shared/seeds) with every citation a reader would see:
kind, identifiers, an anchor (text inside the citation's span, with an
occurrence index when it repeats), a hint flag for malformed identifiers, and
the fields the document gives ("cited"); the body markers that point at each
citation; and the numbers of markers with no entry.

A predicted citation matches a gold one when its span overlaps the anchor,
the kinds agree and (for identifier kinds) the identifier sets are equal.
"identifiers" pools doi, pmid and pmcid citations. Field accuracy counts, over
matched citations whose gold gives the field, how often the predicted field
is equal (titles and journals compared with case, accents and punctuation
folded). Markers: a gold marker counts as found when link_markers maps that
marker span to the matched citation.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from refcheck.extract import dangling_markers, extract  # noqa: E402
from refcheck.extract.markers import link_markers  # noqa: E402
from refcheck.load import load  # noqa: E402

KINDS = ("doi", "pmid", "pmcid", "reference")
FIELDS = ("title", "authors", "year", "journal", "volume", "issue", "first_page")


def fold(value) -> str:
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


@dataclass
class Tally:
    predicted: dict = field(default_factory=lambda: {k: 0 for k in KINDS + ("identifiers",)})
    gold: dict = field(default_factory=lambda: {k: 0 for k in KINDS + ("identifiers",)})
    matched_predicted: dict = field(default_factory=lambda: {k: 0 for k in KINDS + ("identifiers",)})
    matched_gold: dict = field(default_factory=lambda: {k: 0 for k in KINDS + ("identifiers",)})
    fields: dict = field(default_factory=lambda: {f: [0, 0] for f in FIELDS})  # correct, total
    markers: list = field(default_factory=lambda: [0, 0])
    dangling: list = field(default_factory=lambda: [0, 0])
    hints: list = field(default_factory=lambda: [0, 0])
    problems: list = field(default_factory=list)
    documents: int = 0
    skipped: list = field(default_factory=list)


def _span(text: str, anchor: str, occurrence: int = 0) -> tuple[int, int] | None:
    start = -1
    for _ in range(occurrence + 1):
        start = text.find(anchor, start + 1)
        if start < 0:
            return None
    return start, start + len(anchor)


def evaluate(corpus: Path, shared: Path, verbose: bool = False) -> Tally:
    tally = Tally()
    for path in sorted(corpus.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        if "seed" in gold:
            source = shared / "seeds" / gold["seed"]
            if not source.exists():
                tally.skipped.append(f"{path.name}: {source} missing")
                continue
        else:
            source = corpus / gold["document"]
        document = load(str(source))
        text = document.text
        citations = extract(document)
        tally.documents += 1
        spans = []
        for item in gold["citations"]:
            span = _span(text, item["anchor"], item.get("occurrence", 0))
            if span is None:
                tally.problems.append(f"{path.name}: anchor {item['anchor']!r} not in the text")
            spans.append(span)
        used_gold: set[int] = set()
        matches: dict[int, int] = {}  # predicted index -> gold index
        for p_index, citation in enumerate(citations):
            tally.predicted[citation.kind] += 1
            if citation.kind != "reference":
                tally.predicted["identifiers"] += 1
            ids = sorted(str(i) for i in citation.identifiers)
            for g_index, item in enumerate(gold["citations"]):
                span = spans[g_index]
                if g_index in used_gold or span is None or not (citation.start < span[1] and span[0] < citation.end):
                    continue
                if item["kind"] != citation.kind or sorted(item["identifiers"]) != ids:
                    continue
                used_gold.add(g_index)
                matches[p_index] = g_index
                break
            else:
                tally.problems.append(f"{path.name}: extra {citation.kind} {ids} {text[citation.start:citation.end][:60]!r}")
        for g_index, item in enumerate(gold["citations"]):
            tally.gold[item["kind"]] += 1
            if item["kind"] != "reference":
                tally.gold["identifiers"] += 1
            if g_index in used_gold:
                tally.matched_gold[item["kind"]] += 1
                tally.matched_predicted[item["kind"]] += 1
                if item["kind"] != "reference":
                    tally.matched_gold["identifiers"] += 1
                    tally.matched_predicted["identifiers"] += 1
            else:
                tally.problems.append(f"{path.name}: missed {item['kind']} {item['identifiers']} {item['anchor'][:60]!r}")
        for p_index, g_index in matches.items():
            item, citation = gold["citations"][g_index], citations[p_index]
            if item.get("hint"):
                tally.hints[1] += 1
                tally.hints[0] += bool(citation.hints)
            for name, expected in item.get("cited", {}).items():
                got = getattr(citation.cited, name, None) if citation.cited else None
                if name == "authors":
                    ok = [fold(a) for a in (got or ())] == [fold(a) for a in expected]
                elif name in ("title", "journal"):
                    ok = got is not None and fold(got) == fold(expected)
                else:
                    ok = got is not None and str(got) == str(expected)
                tally.fields[name][1] += 1
                tally.fields[name][0] += ok
                if not ok:
                    tally.problems.append(f"{path.name}: {name} {got!r} != {expected!r}")
        linked = link_markers(text, citations)
        by_gold = {g: p for p, g in matches.items()}
        for marker in gold.get("markers", []):
            tally.markers[1] += 1
            span = _span(text, marker["marker"], marker.get("marker_occurrence", 0))
            target = next((g for g, item in enumerate(gold["citations"]) if item["anchor"] == marker["citation"]), None)
            p_index = by_gold.get(target)
            if span is not None and p_index is not None and span in linked.get(p_index, []):
                tally.markers[0] += 1
            else:
                tally.problems.append(f"{path.name}: marker {marker['marker']!r} not linked to {marker['citation'][:40]!r}")
        expected_dangling = [tuple(n) for n in gold.get("dangling", [])]
        got_dangling = [m[2] for m in dangling_markers(text)]
        tally.dangling[1] += 1
        tally.dangling[0] += expected_dangling == got_dangling
        if expected_dangling != got_dangling:
            tally.problems.append(f"{path.name}: dangling {got_dangling} != {expected_dangling}")
    if verbose:
        for problem in tally.problems:
            print("  " + problem)
    return tally


# ---------------------------------------------------------------- real documents
@dataclass
class RealResult:
    name: str
    identifiers_gold: int = 0
    identifiers_found: int = 0
    identifiers_right: int = 0
    entries_gold: int = 0
    entries_found: int = 0
    entries_recalled: int = 0
    spurious: int = 0
    false_markers: int = 0
    problems: list = field(default_factory=list)


def evaluate_real(corpus: Path, documents: Path) -> tuple[list[RealResult], list[str]]:
    """Per real document (gold in corpus/*.json, the document itself in ``documents``): distinct
    identifiers found against the gold set, reference entries recalled (an entry found holds the
    gold entry's anchor, a text that opens the entry), entries found holding no gold anchor
    (spurious), and markers reported as pointing nowhere that the gold does not list."""
    from refcheck.extract.references import reference_entries

    results, missing = [], []
    for path in sorted(corpus.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        source = documents / gold["document"]
        if not source.exists():
            missing.append(gold["document"])
            continue
        document = load(str(source))
        text = document.text
        result = RealResult(path.stem)
        citations = extract(document)
        found_ids = {str(i) for c in citations for i in c.identifiers}
        gold_ids = set(gold["identifiers"])
        result.identifiers_gold, result.identifiers_found = len(gold_ids), len(found_ids)
        result.identifiers_right = len(found_ids & gold_ids)
        result.problems += [f"extra identifier {i}" for i in sorted(found_ids - gold_ids)]
        result.problems += [f"missed identifier {i}" for i in sorted(gold_ids - found_ids)]
        entries = [(e.start, e.end) for e in reference_entries(text) if e.reference]
        listed = set(entries)
        entries += [(c.start, c.end) for c in citations if c.kind == "reference" and (c.start, c.end) not in listed
                    and not any(s <= c.start < e for s, e in listed)]
        anchors = []
        for anchor in gold["entries"]:
            anchor, occurrence = (anchor, 0) if isinstance(anchor, str) else anchor
            span = _span(text, anchor, occurrence)
            if span is None:
                result.problems.append(f"anchor not in the text: {anchor!r}")
            anchors.append(span[0] if span else -1)
        result.entries_gold, result.entries_found = len(anchors), len(entries)
        for anchor, at in zip(gold["entries"], anchors):
            if at >= 0 and any(s <= at < e for s, e in entries):
                result.entries_recalled += 1
            else:
                result.problems.append(f"missed entry {anchor!r}")
        for s, e in entries:
            if not any(at >= 0 and s <= at < e for at in anchors):
                result.spurious += 1
                result.problems.append(f"spurious entry {text[s:e][:60]!r}")
        expected = [tuple(labels) for labels in gold.get("dangling", [])]
        reported = [labels for _, _, labels in dangling_markers(text)]
        result.false_markers = max(0, len(reported) - len(expected))
        result.problems += [f"marker {text[a:b]!r} reported" for a, b, labels in dangling_markers(text) if labels not in expected]
        results.append(result)
    return results, missing


def print_real(results: list[RealResult], missing: list[str], verbose: bool) -> None:
    print(f"\nreal documents: {len(results)}" + (f"; not present: {len(missing)}" if missing else ""))
    print(f"{'document':<34} {'ids':>4} {'P':>6} {'R':>6} {'entries':>7} {'recall':>6} {'spurious':>8} {'markers':>7}")
    totals = RealResult("all")
    for r in results:
        p = r.identifiers_right / r.identifiers_found if r.identifiers_found else 1.0
        rec = r.identifiers_right / r.identifiers_gold if r.identifiers_gold else 1.0
        entry_recall = r.entries_recalled / r.entries_gold if r.entries_gold else 1.0
        print(f"{r.name:<34} {r.identifiers_gold:>4} {p:>6.3f} {rec:>6.3f} {r.entries_gold:>7} {entry_recall:>6.3f} {r.spurious:>8} {r.false_markers:>7}")
        for name in ("identifiers_gold", "identifiers_found", "identifiers_right", "entries_gold", "entries_found", "entries_recalled", "spurious", "false_markers"):
            setattr(totals, name, getattr(totals, name) + getattr(r, name))
        if verbose:
            for problem in r.problems:
                print(f"    {problem}")
    if results:
        p = totals.identifiers_right / totals.identifiers_found if totals.identifiers_found else 1.0
        rec = totals.identifiers_right / totals.identifiers_gold if totals.identifiers_gold else 1.0
        print(f"{'all':<34} {totals.identifiers_gold:>4} {p:>6.3f} {rec:>6.3f} {totals.entries_gold:>7} "
              f"{totals.entries_recalled / max(totals.entries_gold, 1):>6.3f} {totals.spurious:>8} {totals.false_markers:>7}"
              f"   (spurious {totals.spurious / max(totals.entries_found, 1):.1%} of entries found)")


def rates(tally: Tally, kind: str) -> tuple[float, float]:
    precision = tally.matched_predicted[kind] / tally.predicted[kind] if tally.predicted[kind] else 1.0
    recall = tally.matched_gold[kind] / tally.gold[kind] if tally.gold[kind] else 1.0
    return precision, recall


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=str(ROOT / "tests" / "corpus"))
    parser.add_argument("--shared", default=os.environ.get("REFCHECK_SHARED_DIR", str(ROOT.parent / "shared")))
    parser.add_argument("-v", "--verbose", action="store_true", help="list every disagreement")
    parser.add_argument("--real", default=str(ROOT / "tests" / "corpus_real"), help="gold of the real documents")
    parser.add_argument("--documents", default=str(ROOT / "tests" / "corpus_real" / "documents"),
                        help="where the real documents themselves are (see tests/corpus_real/README.md)")
    args = parser.parse_args(argv)
    tally = evaluate(Path(args.corpus), Path(args.shared), args.verbose)
    print(f"{tally.documents} documents" + (f"; skipped: {'; '.join(tally.skipped)}" if tally.skipped else ""))
    print(f"{'kind':<12} {'gold':>5} {'found':>6} {'precision':>9} {'recall':>7}")
    for kind in KINDS + ("identifiers",):
        precision, recall = rates(tally, kind)
        print(f"{kind:<12} {tally.gold[kind]:>5} {tally.predicted[kind]:>6} {precision:>9.3f} {recall:>7.3f}")
    print(f"\n{'field':<12} {'correct':>7} {'of':>4} {'accuracy':>8}")
    for name in FIELDS:
        correct, total = tally.fields[name]
        print(f"{name:<12} {correct:>7} {total:>4} {correct / total if total else 1.0:>8.3f}")
    print(f"\nmarkers linked {tally.markers[0]}/{tally.markers[1]}; dangling sets right {tally.dangling[0]}/{tally.dangling[1]}; "
          f"malformed identifiers with a hint {tally.hints[0]}/{tally.hints[1]}")
    if Path(args.real).is_dir():
        print_real(*evaluate_real(Path(args.real), Path(args.documents)), args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
