"""What an identifier finder returns: one occurrence, with its offsets and, for a malformed one, a hint."""
from __future__ import annotations

from dataclasses import dataclass

from ..records import Identifier


@dataclass(frozen=True)
class Found:
    """One identifier occurrence: text[start:end] is the form as written."""

    identifier: Identifier
    start: int
    end: int
    written: str
    hint: str = ""  # set when the identifier looks malformed (then identifier.value is "")


def regions(text: str, trigger, *, before: int = 40, after: int = 1200, end: int | None = None) -> list[tuple[int, int]]:
    """The stretches of text worth scanning with a scheme's patterns: around each place its trigger
    (a cheap pattern every match of the scheme contains near its start) occurs, overlapping stretches
    merged. Scanning only these keeps a long text without identifiers cheap; ``after`` exceeds the
    longest match, so a match is never cut short at a stretch's end."""
    limit = len(text) if end is None else end
    merged: list[tuple[int, int]] = []
    for match in trigger.finditer(text, 0, limit):
        start, stop = max(0, match.start() - before), min(limit, match.end() + after)
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
        else:
            merged.append((start, stop))
    return merged
