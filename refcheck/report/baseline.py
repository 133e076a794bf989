"""Baseline files: record today's findings so later runs fail only on new ones (as linters do).

A finding is identified by its fingerprint (findings.Finding.fingerprint): the source, the kind of
finding, the citation's identifier (or its text) and the claim text, whitespace-folded. Offsets
are left out on purpose, so an edit elsewhere in the document does not make old findings new.
A file's source is taken relative to the baseline file's directory, so a run from another
directory (or with the config's baseline path) matches the same findings.
"""
from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import InputError
from .findings import Finding
from .output import write_output

# 1: sources as typed on the command line; 2: file sources relative to the baseline's directory.
BASELINE_VERSION = 2
READABLE_VERSIONS = (1, 2)


def portable_source(source: str, directory: str) -> str:
    """A document's path relative to `directory`, with "/" separators; URLs and <stdin> as they are."""
    if "://" in source or source.startswith("<"):
        return source
    return Path(os.path.relpath(os.path.abspath(source), os.path.abspath(directory))).as_posix()


@dataclass(frozen=True)
class Baseline:
    """How many occurrences of each finding the baseline excuses."""

    counts: Counter
    directory: str | None  # sources are relative to it; None for a version-1 file (sources as typed)

    def key(self, finding: Finding) -> str:
        if self.directory is None:
            return finding.fingerprint
        return replace(finding, source=portable_source(finding.source, self.directory)).fingerprint

    def split(self, found: list[Finding]) -> tuple[list[Finding], list[Finding]]:
        """(the findings beyond those recorded, the findings it excuses), each in the order given; a fingerprint
        recorded n times excuses n occurrences."""
        remaining = Counter(self.counts)
        fresh, excused = [], []
        for finding in found:
            key = self.key(finding)
            if remaining[key] > 0:
                remaining[key] -= 1
                excused.append(finding)
            else:
                fresh.append(finding)
        return fresh, excused

    def unexcused(self, found: list[Finding]) -> list[Finding]:
        return self.split(found)[0]


def baseline_text(found: list[Finding], path: str) -> str:
    """The baseline file at `path` for these findings: sorted, so the same findings give the same bytes."""
    directory = os.path.dirname(path) or "."
    portable = [replace(f, source=portable_source(f.source, directory)) for f in found]
    entries = sorted(
        ({"fingerprint": f.fingerprint, "source": f.source, "category": f.category, "subject": f.subject, "claim": f.claim} for f in portable),
        key=lambda entry: (entry["source"], entry["category"], entry["subject"], entry["claim"]),
    )
    return json.dumps({"baseline_version": BASELINE_VERSION, "findings": entries}, indent=2, ensure_ascii=False) + "\n"


def read_baseline(path: str) -> Baseline:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such baseline file (create it with --write-baseline)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a refcheck baseline ({exc})") from None
    if not isinstance(data, dict) or data.get("baseline_version") not in READABLE_VERSIONS or not isinstance(data.get("findings"), list):
        raise InputError(f"{path}: not a refcheck baseline (expected baseline_version {BASELINE_VERSION})")
    try:
        counts = Counter(entry["fingerprint"] for entry in data["findings"])
    except (TypeError, KeyError):
        raise InputError(f"{path}: a baseline entry has no fingerprint") from None
    return Baseline(counts, (os.path.dirname(path) or ".") if data["baseline_version"] == 2 else None)


def write_baseline(found: list[Finding], path: str) -> None:
    """Record these findings (a run's every finding, whatever baseline it applied) in the baseline file at path."""
    write_output(path, baseline_text(found, path))
