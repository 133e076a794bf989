"""Per-field accuracy of reference-string parsing on AnyStyle's labelled set, cross-validated.

    python scripts/eval_refparse.py [path/to/core.xml] [--parser rules|crf|combined] [--folds 5]
                                    [--show FIELD] [--half even|odd]

The CRF (refcheck/extract/crf.py) is scored by k-fold cross-validation: for each fold a model is
trained (scripts/train_refparse.py's training) on the other folds and labels the held-out strings,
so no string is scored by a model that saw it. "combined" is what refcheck uses (refparse.fields):
the CRF's field where it gives one, the rules' otherwise. "rules" is the hand-written parser alone.

Reads ../shared/datasets/anystyle/core.xml (1,514 hand-labelled reference
strings, BSD-2). For each field the parser fills, it prints

  gold     how many strings have the field labelled
  emitted  how many times the parser gave the field (when the string has it labelled)
  correct  how many of those agree with the label
  precision = correct / emitted, recall = correct / gold, F1 their harmonic mean
  spurious how many times the parser gave the field where the label has none

Precision matters most: a wrong cited title, year, volume or first page makes
a real reference look wrong. Agreement rules: title - the similarity the checker
itself uses (refcheck.metadata.title_similarity) reaches TITLE_AGREES; authors - the first
family name opens or closes the label's first name, and every family name
given occurs in the labelled author string; year, volume, issue, first page - equal
after stripping punctuation; journal - same words after folding, or one
contains the other.
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from refcheck.extract import crf  # noqa: E402
from refcheck.extract.refparse import combined, labelled, parse  # noqa: E402
from refcheck.metadata import TITLE_AGREES, title_similarity  # noqa: E402
from train_refparse import labelled_strings, train_model  # noqa: E402

FIELDS = ("title", "authors", "year", "journal", "volume", "issue", "first_page")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def first_author_agrees(family: str, gold: str) -> bool:
    """The family name opens the label's first name ("Sun, L.", "Sun L", "De Raedt, L.")
    or closes it ("L. Sun", "Andreas Ermedahl", "S. L. Peyton Jones")."""
    chunk = re.split(r",|;|\band\b|&", gold.strip(), maxsplit=1)[0].strip(" .")
    words, name = fold(chunk).split(), fold(family).split()
    if not name or not words:
        return False
    if words[: len(name)] == name and (len(words) == len(name) or "," in gold[: len(chunk) + 2] or all(len(w) <= 3 for w in words[len(name):])):
        return True
    return words[-len(name):] == name


def first_number(text: str | None) -> str | None:
    if not text:
        return None
    match = re.search(r"[A-Za-z]?\d+[A-Za-z]?", text)
    return match.group(0) if match else None


def load_gold(path: Path):
    root = ET.parse(path).getroot()
    for sequence in root:
        parts, gold = [], {}
        for child in sequence:
            value = "".join(child.itertext()).strip()
            parts.append(value)
            tag = child.tag
            if tag == "title" and "title" not in gold:
                gold["title"] = value.strip(" .,;:\u201c\u201d\"'\u2018\u2019")
            elif tag == "author" and "authors" not in gold:
                gold["authors"] = value
            elif tag == "date" and "year" not in gold:
                year = re.search(r"(1[5-9]\d{2}|20\d{2})", value)
                if year:
                    gold["year"] = int(year.group(1))
            elif tag == "journal" and "journal" not in gold:
                gold["journal"] = value.strip(" .,;:")
            elif tag == "volume" and "volume" not in gold:
                value = re.sub(r"^\s*\(?(?:1[5-9]|20)\d{2}\)?\s?[;,]\s?", "", value)  # "2012;30(15):" labelled as the volume
                gold["volume"] = first_number(re.sub(r"\(.*", "", value) or value)
                issue = re.search(r"\((\w{1,8})\)", value) or re.search(r"\b(?:no|nr|issue)\.?\s?(\d+)", value, re.I)
                if issue:
                    gold["issue"] = issue.group(1)
            elif tag == "pages" and "first_page" not in gold:
                gold["first_page"] = first_number(value)
        yield " ".join(p for p in parts if p), gold


def agrees(field: str, predicted, gold) -> bool:
    if field == "title":
        # The checker's own test: a title that agrees at TITLE_AGREES is the same title.
        return title_similarity(predicted, gold) >= TITLE_AGREES
    if field == "authors":
        folded = " " + fold(gold) + " "
        return first_author_agrees(predicted[0], gold) and all(" " + fold(name) + " " in folded for name in predicted)
    if field == "journal":
        a, b = fold(predicted), fold(gold)
        return a == b or (len(a) >= 4 and (a in b or b in a))
    if field == "year":
        return predicted == gold
    return fold(str(predicted)) == fold(str(gold))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", default=str(ROOT.parent / "shared" / "datasets" / "anystyle" / "core.xml"))
    parser.add_argument("--show", help="print disagreements for this field")
    parser.add_argument("--half", choices=("even", "odd"), help="only every other string (a held-out half)")
    parser.add_argument("--parser", choices=("rules", "crf", "combined", "all"), default="all")
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds for the CRF")
    args = parser.parse_args(argv)
    path = Path(args.path)
    if not path.exists():
        print(f"{path}: not found (the AnyStyle set lives in ../shared/datasets/anystyle)", file=sys.stderr)
        return 2
    golds = list(load_gold(path))
    held_out = cross_validated(path, "all", args.folds) if args.parser != "rules" else {}
    for which in (("rules", "crf", "combined") if args.parser == "all" else (args.parser,)):
        report(golds, which, held_out, args)
    return 0


def report(golds, which: str, held_out: dict, args) -> None:
    counts = {f: {"gold": 0, "emitted": 0, "correct": 0, "spurious": 0} for f in FIELDS}
    total = 0
    for index, (text, gold) in enumerate(golds):
        if args.half and index % 2 != (0 if args.half == "even" else 1):
            continue
        total += 1
        parsed = held_out[index][which] if which != "rules" else parse(text)
        for field in FIELDS:
            predicted = getattr(parsed, field)
            has_gold = field in gold and gold[field] not in (None, "")
            c = counts[field]
            if has_gold:
                c["gold"] += 1
                if predicted:
                    c["emitted"] += 1
                    ok = agrees(field, predicted, gold[field])
                    c["correct"] += ok
                    if not ok and args.show == field:
                        print(f"WRONG  {predicted!r}\n  gold {gold[field]!r}\n  text {text}\n")
                elif args.show == field and args.show != "none":
                    print(f"MISSED gold {gold[field]!r}\n  text {text}\n")
            elif predicted:
                c["spurious"] += 1
                if args.show == field:
                    print(f"SPURIOUS {predicted!r}\n  text {text}\n")
    how = "the rules" if which == "rules" else f"{which}, {args.folds}-fold cross-validated"
    print(f"\n{total} reference strings" + (f" ({args.half} half)" if args.half else "") + f"; parser: {how}")
    print(f"{'field':<11} {'gold':>5} {'emitted':>7} {'correct':>7} {'precision':>9} {'recall':>7} {'F1':>6} {'spurious':>8}")
    for field in FIELDS:
        c = counts[field]
        precision = c["correct"] / c["emitted"] if c["emitted"] else 0.0
        recall = c["correct"] / c["gold"] if c["gold"] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        print(f"{field:<11} {c['gold']:>5} {c['emitted']:>7} {c['correct']:>7} {precision:>9.3f} {recall:>7.3f} {f1:>6.3f} {c['spurious']:>8}")


def cross_validated(path: Path, which: str, folds: int) -> dict:
    """For each string (by index), its fields parsed with a model trained without it (string i is in fold i % folds)."""
    import pycrfsuite

    sequences = labelled_strings(path)
    parsed = {}
    with tempfile.TemporaryDirectory() as scratch:
        for fold in range(folds):
            model = Path(scratch) / f"fold{fold}.crfsuite"
            train_model([s for i, s in enumerate(sequences) if i % folds != fold], model)
            tagger = pycrfsuite.Tagger()
            tagger.open(str(model))
            labeller = lambda text, tagger=tagger: crf.segments(text, tagger)  # noqa: E731
            for index in range(fold, len(sequences), folds):
                text = sequences[index][0]
                parsed[index] = {"crf": labelled(text, labeller), "combined": combined(text, labeller)}
    return {index: results[which] for index, results in parsed.items()} if which != "all" else parsed


if __name__ == "__main__":
    sys.exit(main())
