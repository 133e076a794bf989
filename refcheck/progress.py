"""How far a run is, told to the caller's `progress(stage, done, total)` callback.

Lookups finish in several threads at once. A StageCounter takes their counts and calls the callback
under one lock, so the callback needs no locking of its own and sees each stage's `done` only grow,
ending at `total` (cache hits, answers and failures all count as done). Keep the callback quick:
lookups that finish meanwhile wait for it.
"""
from __future__ import annotations

import threading
from typing import Callable

Progress = Callable[[str, int, int], None]

# The lookup stages of Resolver.resolve, in the order they run. A stage's total is known only once
# the stage before it has answered: the PubMed records to fetch include the PMIDs that Crossref,
# the DOI searches and the citation matcher found.
RESOLVING = "resolving"
FETCHING_RECORDS = "fetching PubMed records"
SEARCHING_REFERENCES = "searching references"


def no_progress(stage: str, done: int, total: int) -> None:
    """The callback of a caller that does not ask how far the run is."""


class StageCounter:
    """Lookups of one stage done so far, counted from any thread; a stage with nothing to do says nothing."""

    def __init__(self, progress: Progress, stage: str, total: int) -> None:
        self._progress = progress
        self._stage = stage
        self._total = total
        self._done = 0
        self._lock = threading.Lock()
        if total:
            progress(stage, 0, total)

    def advance(self, count: int) -> None:
        if not count:
            return
        with self._lock:
            self._done += count
            self._progress(self._stage, self._done, self._total)


def silent_counter() -> StageCounter:
    """A counter for lookups nobody watches (e.g. the searches of --suggest-sources)."""
    return StageCounter(no_progress, "", 0)
