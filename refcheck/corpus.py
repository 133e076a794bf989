"""Corpus runs: many documents over local worker processes or a Dask cluster, one JSON line per document.

The CPU-heavy steps run in the workers: loading and extraction, then the claim comparisons. The
lookups between them run in this (the coordinating) process, for a wave of documents at a time:
all the wave's citations go through one Resolver, so every distinct identifier is asked once and
the services' batches are as full as in a single-process run, under one rate budget (shared with
other processes too when the cache is on PostgreSQL, see shared_limits.py). The workers need no
cache and make no requests, except to fetch documents given as URLs.

While a wave's lookups run, the workers extract the next wave, then compare the previous one.
Each document's line is written the moment its comparison ends (in any order): the report of that
one document as `--format json` gives it, plus its own summary and exit code. A run given the file
of an interrupted one (resume) skips the documents the file already reports and appends the rest;
the summary and exit code at the end cover every document of the file.
"""
from __future__ import annotations

import json
import os
import sys
import threading
from concurrent.futures import Executor, Future, wait
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import InputError
from .load import MAX_BYTES, load
from .records import DocumentReport
from .report.names import EXIT_INCOMPLETE, EXIT_OK, EXIT_PROBLEM, EXIT_USAGE
from .version import __version__

WAVE_DOCUMENTS = 1000  # documents resolved together: batches as full as one run's, and a first line before long
EXIT_PRIORITY = (EXIT_USAGE, EXIT_PROBLEM, EXIT_INCOMPLETE, EXIT_OK)  # as report.outcome.exit_code ranks them


@dataclass(frozen=True)
class CorpusResult:
    documents: int  # reported in the output, this run and earlier ones
    checked: int  # by this run
    skipped: int  # already reported by an earlier run
    summary: dict  # report.summarize's counts, over every reported document
    exit_code: int


# -- sources ----------------------------------------------------------------------------------

def listed_sources(sources: list[str], sources_file: str | None = None) -> list[str]:
    """The sources given, then the lines of sources_file: one path, URL or glob a line, blank lines and
    comment lines (#) skipped. Globs are expanded afterwards, as for any check (sources.expand_sources)."""
    listed = list(sources)
    if sources_file:
        try:
            text = sys.stdin.read() if sources_file == "-" else Path(sources_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{sources_file}: cannot read the list of sources ({exc})") from None
        listed += [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if "-" in listed:
        raise InputError("standard input cannot be a document of a corpus run (a worker cannot read it)")
    return listed


# -- the output file ----------------------------------------------------------------------------

def read_lines(path: str) -> list[dict]:
    """The documents a corpus output reports, in file order. A last line without its newline (the run was
    killed while writing it) is not a report; any other line that is not one stops with an InputError."""
    reported = []
    try:
        with open(path, "rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    for number, line in enumerate(content.split(b"\n")[:-1], 1):
        try:
            entry = json.loads(line)
        except ValueError:
            entry = None
        if not isinstance(entry, dict) or not isinstance(entry.get("source"), str) or "exit_code" not in entry:
            raise InputError(f"{path}: line {number} is not a refcheck corpus line; refusing to add to this file")
        reported.append(entry)
    return reported


def _open_output(path: str, resume: bool):
    """The output file for appending, after its last complete line (a cut-off last line is removed)."""
    if os.path.exists(path) and os.path.getsize(path) and not resume:
        raise InputError(f"{path}: already exists; give --resume to continue that run, or another file")
    try:
        handle = open(path, "ab")
        complete = _after_last_newline(path)
        if complete != handle.seek(0, os.SEEK_END):
            handle.truncate(complete)
        return handle
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({exc.strerror or exc})") from None


def _after_last_newline(path: str, chunk: int = 65536) -> int:
    """The offset just after the file's last newline (0 if it has none), read from the end."""
    with open(path, "rb") as reader:
        end = reader.seek(0, os.SEEK_END)
        while end > 0:
            start = max(0, end - chunk)
            reader.seek(start)
            found = reader.read(end - start).rfind(b"\n")
            if found >= 0:
                return start + found + 1
            end = start
    return 0


# -- the work done in workers (module-level, so processes and Dask can import it) -------------

def prepare(source: str, location: str, max_bytes: int):
    """Load and extract one document in a worker: pipeline.Extracted, or (source, error)."""
    from .pipeline import extract_document

    try:
        document = load(location, max_bytes=max_bytes)
    except InputError as exc:
        # The message names the file as the worker opened it; the report names it as the user gave it.
        return source, str(exc).replace(location, source)
    except Exception as exc:  # one bad document must not end a corpus run
        return source, f"internal error ({type(exc).__name__}): {exc}"
    try:
        return extract_document(replace(document, source=source))
    except Exception as exc:
        return source, f"internal error ({type(exc).__name__}): {exc}"


def compare(item, resolutions, settings) -> DocumentReport:
    """The claim comparisons of one extracted document, in a worker, with the scorer a single run would use.
    No verdict cache: a worker may sit on another machine, and several writing one SQLite file would wait on each other."""
    from .pipeline import claim_scorer, claim_verdicts, claims_to_compare, document_report
    from .progress import no_progress

    try:
        verdicts = claim_verdicts(claims_to_compare(item, resolutions), no_progress, claim_scorer(settings))
        return document_report(item, resolutions, iter(verdicts))
    except Exception as exc:
        return DocumentReport(item.document.source, error=f"internal error ({type(exc).__name__}): {exc}")


def _quiet_worker() -> None:
    # Ctrl-C reaches the whole process group: the coordinator stops the run; workers just end.
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


# -- executors ----------------------------------------------------------------------------------

def local_executor(workers: int) -> Executor:
    """Worker processes on this machine. Started fresh (spawn), never forked from a process holding
    threads and database connections."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=_quiet_worker)


class DaskExecutor:
    """The workers of a Dask distributed cluster, through its concurrent.futures interface."""

    def __init__(self, address: str, timeout: float = 30):
        try:
            from distributed import Client
        except ImportError:
            raise InputError("--dask-scheduler needs Dask: pip install 'refcheck[dask]'") from None
        try:
            self.client = Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise InputError(f"cannot reach the Dask scheduler at {address} ({exc})") from None
        self._executor = self.client.get_executor(pure=False)

    def submit(self, fn, *args) -> Future:
        return self._executor.submit(fn, *args)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._executor.shutdown(wait=wait and not cancel_futures)
        self.client.close()


# -- the run ----------------------------------------------------------------------------------

def run_corpus(sources: list[str], *, output: str | None = None, resume: bool = False, workers: int = 1,
               dask_scheduler: str | None = None, settings=None, resolver=None, fail_on=None, baseline=None,
               max_bytes: int = MAX_BYTES, suggest_sources: bool = False, wave_documents: int = WAVE_DOCUMENTS,
               stream=None, on_document=None, executor: Executor | None = None) -> CorpusResult:
    """Check every source (already expanded, see sources.expand_sources) and write one JSON line per document to
    `output` (a path; resume skips what it already reports) or else to `stream` (default stdout).
    on_document(entry) is called in this process for each line written. Returns the summary of all."""
    from .report.names import DEFAULT_FAIL_ON
    from .pipeline import claim_scorer
    from .resolve import Resolver, Settings

    fail_on = DEFAULT_FAIL_ON if fail_on is None else fail_on
    if workers < 1:
        raise InputError("--workers must be at least 1")
    earlier = read_lines(output) if output and resume else []
    reported = {entry["source"] for entry in earlier}
    remaining = [source for source in sources if source not in reported]
    handle = _open_output(output, resume) if output else None
    writer = _LineWriter(handle, stream or sys.stdout, fail_on, baseline, on_document)
    own_resolver = resolver is None
    own_executor = executor is None
    try:
        if remaining:
            resolver = resolver or Resolver(settings or Settings.from_env())
            claim_scorer(resolver.settings)  # an unusable --nli-model is refused before any lookup, as in a single run
            executor = executor or (DaskExecutor(dask_scheduler) if dask_scheduler else local_executor(workers))
            _run_waves(remaining, executor, resolver, writer, max_bytes, suggest_sources, wave_documents)
    finally:
        if own_executor and executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
        if own_resolver and resolver is not None:
            resolver.close()
        if handle is not None:
            handle.close()
    if writer.error is not None:
        raise writer.error
    every = earlier + writer.written
    return CorpusResult(
        documents=len(every),
        checked=len(writer.written),
        skipped=len(sources) - len(remaining),
        summary=added_up([entry["summary"] for entry in every]),
        exit_code=combined_exit_code(entry["exit_code"] for entry in every),
    )


def _run_waves(sources: list[str], executor, resolver, writer, max_bytes: int, suggest_sources: bool, wave_documents: int) -> None:
    waves = [sources[start:start + wave_documents] for start in range(0, len(sources), wave_documents)]

    def submit_preparation(wave):
        return [executor.submit(prepare, source, _location(source), max_bytes) for source in wave]

    comparisons: list[Future] = []
    preparing = submit_preparation(waves[0])
    for number in range(len(waves)):
        prepared = [future.result() for future in preparing]
        if number + 1 < len(waves):
            # Queued before this wave's comparisons: the workers extract the next wave while we resolve this one.
            preparing = submit_preparation(waves[number + 1])
        extracted = [item for item in prepared if not isinstance(item, tuple)]
        resolutions = iter(resolver.resolve([citation for item in extracted for citation in item.citations]))
        if suggest_sources:
            extracted = _with_suggestions(extracted, resolver)
        for item in prepared:
            if isinstance(item, tuple):
                writer.write(DocumentReport(source=item[0], error=item[1]))
                continue
            future = executor.submit(compare, item, [next(resolutions) for _ in item.citations], resolver.settings)
            future.add_done_callback(writer.write_result)
            comparisons.append(future)
        if writer.error is not None:
            break
    wait(comparisons)


def _with_suggestions(extracted: list, resolver) -> list:
    """PubMed suggestions for the wave's unsourced claims, searched and fetched together."""
    from .suggest import find_sources

    claims = [claim for item in extracted for claim in item.unsourced]
    if not claims:
        return extracted
    answered = iter(find_sources(claims, resolver.search_pubmed_text, resolver.pubmed_records))
    return [replace(item, unsourced=tuple(next(answered) for _ in item.unsourced)) for item in extracted]


def _location(source: str) -> str:
    """Where a worker finds the document: URLs as they are, paths made absolute (a worker may start elsewhere)."""
    return source if "://" in source else os.path.abspath(source)


class _LineWriter:
    """Writes each finished document's line, from whichever thread its future completes in."""

    def __init__(self, handle, stream, fail_on, baseline, on_document):
        self.handle, self.stream = handle, stream
        self.fail_on, self.baseline, self.on_document = fail_on, baseline, on_document
        self.written: list[dict] = []
        self.error: BaseException | None = None
        self._lock = threading.Lock()

    def write_result(self, future: Future) -> None:
        try:
            self.write(future.result())
        except BaseException as exc:  # a lost worker: stop the run, keep what is written
            self.error = self.error or exc

    def write(self, document: DocumentReport) -> None:
        entry = document_line(document, self.fail_on, self.baseline)
        text = json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n"
        with self._lock:
            if self.handle is not None:
                self.handle.write(text.encode("utf-8"))
                self.handle.flush()
            else:
                self.stream.write(text)
                self.stream.flush()
            self.written.append(entry)
            if self.on_document is not None:
                self.on_document(entry)


def document_line(document: DocumentReport, fail_on, baseline) -> dict:
    """One document's line: its entry of `--format json`, with that document's summary and exit code."""
    from .report import Report, to_dict

    whole = to_dict(Report((document,), version=__version__), fail_on, baseline)
    return {**whole["documents"][0], "summary": whole["summary"], "exit_code": whole["exit_code"]}


def added_up(summaries: list[dict]) -> dict:
    """Per-document summaries summed, key by key (nested counts too)."""
    total: dict = {}
    for summary in summaries:
        for key, value in summary.items():
            if isinstance(value, dict):
                total[key] = added_up([total.get(key, {}), value])
            else:
                total[key] = total.get(key, 0) + value
    return total


def combined_exit_code(codes) -> int:
    codes = set(codes)
    return next((code for code in EXIT_PRIORITY if code in codes), 0)
