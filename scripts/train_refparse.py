"""Train the reference-field CRF (refcheck/extract/crf.py) on AnyStyle's labelled core set.

    python scripts/train_refparse.py [path/to/core.xml] [--out refcheck/extract/refparse.crfsuite]

Reads ../shared/datasets/anystyle/core.xml (1,514 hand-labelled reference strings, BSD-2) where it
lies; nothing of it is copied into the project, only the trained model is written. Each labelled
segment's whitespace tokens take its label. scripts/eval_refparse.py cross-validates the same
training (train_model) fold by fold.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from refcheck.extract import crf  # noqa: E402

DEFAULT_CORE = ROOT.parent / "shared" / "datasets" / "anystyle" / "core.xml"
# L1 keeps the model small (most of the millions of feature-label pairs get no weight), L2 smooths.
PARAMETERS = {"c1": 0.05, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True}


def labelled_strings(path: Path) -> list[tuple[str, list[str]]]:
    """(reference string, the label of each of its tokens) for every sequence of the set."""
    sequences = []
    for sequence in ET.parse(path).getroot():
        parts, labels = [], []
        for child in sequence:
            value = " ".join("".join(child.itertext()).split())
            if not value:
                continue
            parts.append(value)
            labels.extend([child.tag] * len(crf.tokens(value)))
        text = " ".join(parts)
        if text:
            sequences.append((text, labels[:crf.MAX_TOKENS]))
    return sequences


def train_model(sequences: list[tuple[str, list[str]]], out: Path, verbose: bool = False) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=verbose)
    for text, labels in sequences:
        trainer.append(crf.features(text, crf.tokens(text)), labels)
    trainer.set_params(PARAMETERS)
    trainer.train(str(out))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", default=str(DEFAULT_CORE))
    parser.add_argument("--out", default=str(crf.MODEL_PATH))
    args = parser.parse_args(argv)
    path = Path(args.path)
    if not path.exists():
        print(f"{path}: not found (the AnyStyle set lives in ../shared/datasets/anystyle)", file=sys.stderr)
        return 2
    sequences = labelled_strings(path)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        staged = Path(scratch) / "model.crfsuite"
        train_model(sequences, staged)
        Path(args.out).write_bytes(staged.read_bytes())
    print(f"trained on {len(sequences)} strings in {time.perf_counter() - started:.1f} s -> {args.out} "
          f"({Path(args.out).stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
