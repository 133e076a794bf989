"""Baseline files: record today's findings so later runs fail only on new ones (as linters do).

A finding is identified by its fingerprint (report.Finding.fingerprint): the source, the kind of
finding, the citation's identifier (or its text) and the claim text, whitespace-folded. Offsets
are left out on purpose, so an edit elsewhere in the document does not make old findings new.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from .errors import InputError
from .report import Finding

BASELINE_VERSION = 1


def baseline_text(found: list[Finding]) -> str:
    """The baseline file for these findings: sorted, so the same findings give the same bytes."""
    entries = sorted(
        ({"fingerprint": f.fingerprint, "source": f.source, "category": f.category, "subject": f.subject, "claim": f.claim} for f in found),
        key=lambda entry: (entry["source"], entry["category"], entry["subject"], entry["claim"]),
    )
    return json.dumps({"baseline_version": BASELINE_VERSION, "findings": entries}, indent=2, ensure_ascii=False) + "\n"


def read_baseline(path: str) -> Counter:
    """Fingerprint -> how many occurrences the baseline excuses."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such baseline file (create it with --write-baseline)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a refcheck baseline ({exc})") from None
    if not isinstance(data, dict) or data.get("baseline_version") != BASELINE_VERSION or not isinstance(data.get("findings"), list):
        raise InputError(f"{path}: not a refcheck baseline (expected baseline_version {BASELINE_VERSION})")
    try:
        return Counter(entry["fingerprint"] for entry in data["findings"])
    except (TypeError, KeyError):
        raise InputError(f"{path}: a baseline entry has no fingerprint") from None
