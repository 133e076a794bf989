"""Progress during the lookups: every stage counts up to its total as batches are answered, from
the cache, after failures, from several threads at once, and the terminal bar shows it."""
import re
import sys
import threading
import time

import pytest

import refcheck
from refcheck import cli
from refcheck.progress import FETCHING_RECORDS, RESOLVING, SEARCHING_REFERENCES, StageCounter
from refcheck.records import Document
from refcheck.resolve.resolver import fetch_counted
from refcheck.resolve.services.http import RetryPolicy

from helpers import replay_settings
from replay_server import recorded_works

LOOKUP_STAGES = (RESOLVING, FETCHING_RECORDS, SEARCHING_REFERENCES)
ONE_ATTEMPT = RetryPolicy(attempts=1, total_seconds=2.0, base_wait=0.01, max_wait=0.05)


class Recorder:
    """A progress callback that keeps every event and notices being entered twice at once."""

    def __init__(self, pause: float = 0.0):
        self.events: list[tuple[str, int, int]] = []
        self.overlaps: list[tuple[str, int, int]] = []
        self.pause = pause
        self._inside = threading.Lock()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self._inside.acquire(blocking=False):
            self.overlaps.append((stage, done, total))
            return
        try:
            time.sleep(self.pause)  # widens the window another thread would have to call in
            self.events.append((stage, done, total))
        finally:
            self._inside.release()

    def stage(self, name: str) -> list[tuple[int, int]]:
        return [(done, total) for stage, done, total in self.events if stage == name]


@pytest.fixture(scope="module")
def cited():
    """Recorded works to cite: Crossref DOIs, PubMed PMIDs, and a DOI PubMed knows (found by esearch)."""
    works = recorded_works()
    crossref_dois = [w["doi"] for w in works if w["source"] == "crossref"][:3]
    pubmed = [w for w in works if w.get("pmid") and w["doi"]]
    return {"dois": crossref_dois + [pubmed[2]["doi"]], "pmids": [w["pmid"] for w in pubmed[:2]]}


def document(cited) -> Document:
    paragraphs = [f"A finding was reported (doi:{doi})." for doi in cited["dois"]]
    paragraphs += [f"Another finding was reported [PMID: {pmid}]." for pmid in cited["pmids"]]
    paragraphs += ["Something else was found [1].", "References",
                   "1. Smith J, Jones K. A study of nothing in particular. J Irrep Res. 2001;12(3):45-67."]
    return Document("page.md", "\n\n".join(paragraphs), "markdown")


def run(server, cache_dir, cited, **overrides) -> Recorder:
    recorder = Recorder()
    settings = replay_settings(server, cache_dir, retry=ONE_ATTEMPT, **overrides)
    refcheck.check(document(cited), settings=settings, progress=recorder)
    assert recorder.overlaps == []
    return recorder


def assert_counts_up_to_total(recorder: Recorder, stage: str, total: int) -> None:
    events = recorder.stage(stage)
    assert events[0] == (0, total) and events[-1] == (total, total), events
    assert {t for _, t in events} == {total}
    done = [d for d, _ in events]
    assert done == sorted(done)


def test_each_lookup_stage_counts_up_to_its_total(replay_server, tmp_path, cited):
    recorder = run(replay_server, tmp_path, cited)
    # A DOI is two lookups (Crossref, PubMed's DOI search); the reference one (citation matcher).
    assert_counts_up_to_total(recorder, RESOLVING, 2 * len(cited["dois"]) + 1)
    # The cited PMIDs and the one PubMed's DOI search found.
    assert_counts_up_to_total(recorder, FETCHING_RECORDS, len(cited["pmids"]) + 1)
    # The reference is unrecorded, so the citation matcher fails and Crossref is searched.
    assert_counts_up_to_total(recorder, SEARCHING_REFERENCES, 1)
    stages = [stage for stage, _, _ in recorder.events if stage in LOOKUP_STAGES]
    assert list(dict.fromkeys(stages)) == list(LOOKUP_STAGES)  # one after the other, never interleaved
    assert len(recorder.stage(RESOLVING)) > 2  # it advanced as lookups were answered, not all at the end


def test_a_cached_rerun_reports_completion(replay_server, tmp_path, cited):
    first = run(replay_server, tmp_path, cited)
    asked_first = replay_server.count()
    replay_server.reset()
    again = run(replay_server, tmp_path, cited)
    assert 0 < replay_server.count() < asked_first  # failures are never cached: only they are asked again
    replay_server.reset()
    offline = run(replay_server, tmp_path, cited, offline=True)
    assert replay_server.count() == 0
    for recorder in (again, offline):
        for stage in LOOKUP_STAGES:
            assert_counts_up_to_total(recorder, stage, first.stage(stage)[-1][1])
    # Offline, every lookup is a cache hit or a cache miss, both done at once: one count per service.
    assert len(offline.stage(RESOLVING)) <= 1 + 4


@pytest.mark.parametrize("fault", ["500", "malformed"])
def test_a_failing_service_still_ends_at_total(replay_server, tmp_path, cited, fault):
    replay_server.fault = lambda service, path, query: fault
    recorder = run(replay_server, tmp_path, cited, use_cache=False)
    assert_counts_up_to_total(recorder, RESOLVING, 2 * len(cited["dois"]) + 1)
    # Nothing was found in round one, so only the cited PMIDs are fetched.
    assert_counts_up_to_total(recorder, FETCHING_RECORDS, len(cited["pmids"]))


def test_each_batch_counts_when_its_answer_arrives():
    advances = []

    class Counter:
        def advance(self, count):
            advances.append(count)

    asked = []

    def fetch(batch):
        asked.append(len(batch))
        return {key: f"answer {key}" for key in batch}

    answers = fetch_counted(fetch, [str(n) for n in range(120)], Counter(), 50, 3)
    assert sorted(asked) == sorted(advances) == [20, 50, 50]
    assert answers == {str(n): f"answer {n}" for n in range(120)}
    assert fetch_counted(fetch, [], Counter(), 50, 3) == {}


def test_counts_from_many_threads_reach_the_callback_one_at_a_time_and_in_order():
    recorder = Recorder(pause=0.001)
    counter = StageCounter(recorder, RESOLVING, 80)
    threads = [threading.Thread(target=lambda: [counter.advance(1) for _ in range(10)]) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert recorder.overlaps == []
    assert recorder.stage(RESOLVING) == [(done, 80) for done in range(81)]


def test_a_stage_with_nothing_to_do_says_nothing():
    recorder = Recorder()
    StageCounter(recorder, SEARCHING_REFERENCES, 0).advance(0)
    assert recorder.events == []


def test_the_bar_line_shows_stage_and_counts():
    assert cli.progress_line(RESOLVING, 150, 200, 12.4, 24) == "[" + "#" * 18 + "." * 6 + "] resolving 150/200 12s"
    assert cli.progress_line("loading", 0, 0, 0.6, 4) == "[....] loading 1s"


def test_cli_on_a_terminal_shows_resolving_counts_on_stderr_only(replay_server, tmp_path, cited, monkeypatch, capsys):
    source = tmp_path / "page.md"
    source.write_text(document(cited).text, encoding="utf-8")
    monkeypatch.setattr(cli, "_settings", lambda args: replay_settings(replay_server, tmp_path / "cache", retry=ONE_ATTEMPT))
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    monkeypatch.setattr(cli._ProgressBar, "DELAY", 0.0)
    monkeypatch.setattr(cli._ProgressBar, "INTERVAL", 0.01)
    replay_server.latency = 0.2  # every lookup takes a few frames
    cli.main(["check", str(source), "--format", "json"])
    captured = capsys.readouterr()
    shown = re.findall(r"\] resolving (\d+)/(\d+) ", captured.err)
    assert shown and {int(total) for _, total in shown} == {2 * len(cited["dois"]) + 1}
    assert "fetching PubMed records" in captured.err
    assert "resolving" not in captured.out and "\x1b" not in captured.out


def test_a_bibliography_check_reports_its_lookups(replay_server, tmp_path, cited):
    from refcheck.bib import read_bibliography, resolve_bibliography
    from refcheck.resolve import Resolver

    entries = [f"@article{{e{n},\n  title = {{A study}},\n  doi = {{{doi}}}\n}}\n" for n, doi in enumerate(cited["dois"])]
    path = tmp_path / "refs.bib"
    path.write_text("\n".join(entries), encoding="utf-8")
    recorder = Recorder()
    resolver = Resolver(replay_settings(replay_server, tmp_path / "cache", retry=ONE_ATTEMPT))
    try:
        resolve_bibliography(read_bibliography(str(path)), resolver, recorder)
    finally:
        resolver.close()
    assert recorder.overlaps == []
    assert_counts_up_to_total(recorder, RESOLVING, 2 * len(cited["dois"]))
