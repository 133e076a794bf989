"""Command line: options in, library calls out.

Every option is declared in _build_parser and its _add_*_options helpers; _settings(args) turns the lookup
options (and the configuration file's values) into the one Settings object every command uses, `cache`
included. The work is the library's: refcheck.check / check_bibliography, refcheck.render, Report.exit_code,
refcheck.report's baseline, export and output modules, refcheck.bib's corrections and refcheck.sources' globbing.
What stays here is the terminal: the progress bar, colour, the width, and messages on stderr.
"""
from __future__ import annotations

import argparse
import os
import sys
import textwrap
import threading
import time

from .config import MAX_TIMEOUT, byte_limit, database_url, request_timeout, worker_count
from .report.names import (
    EXIT_OK, EXIT_USAGE, EXPORT_FORMATS, FINDING_CATEGORIES, FORMAT_DESCRIPTIONS, FORMATS, JOURNAL_STYLES, UNRESOLVED_CHOICES,
    parse_fail_on,
)
from .report.sanitise import visible
from .version import __version__

EXIT_CODES = """exit codes:
  0  nothing --fail-on names was found (and everything could be checked, or --unresolved=warn)
  1  a finding --fail-on names, not recorded in the --baseline
  2  a usage error, or an input that could not be read
  3  nothing wrong was found, but something could not be checked (a service did not answer,
     or --offline and not cached); --unresolved=warn makes this 0"""

CHECK_EXAMPLES = """examples:
  refcheck check article.md
  refcheck check https://example.org/post.html --format html -o report.html
  refcheck check 'articles/**/*.md' --baseline refcheck-baseline.json --unresolved=warn
  refcheck check 'articles/**/*.md' --changed-since origin/main --format github --summary "$GITHUB_STEP_SUMMARY"
  refcheck check article.md --export bibtex verified.bib --format json -o report.json"""

BIB_EXAMPLES = """examples:
  refcheck bib refs.bib                    # table of every entry, then the suggested corrections
  refcheck bib refs.bib --diff > fix.patch # only the corrections, as a patch
  refcheck bib refs.bib --fix              # writes refs.fixed.bib beside refs.bib
  refcheck bib refs.bib --export bibtex verified.bib --export-journal iso"""

CACHE_EXAMPLES = """examples:
  refcheck cache stats                     # the configured (or default) cache
  refcheck cache stats --json --cache-dir .refcheck-cache
  refcheck cache import pubmed_batch.xml.gz crossref_work.json
  refcheck cache export -o cache.jsonl"""

CACHE_DIR_HELP = ("cache directory (default: cache-dir from refcheck.toml or [tool.refcheck] in pyproject.toml, else "
                  "$REFCHECK_CACHE_DIR, else ./cache if refcheck made it for you, else ~/.cache/refcheck)")


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line, and options anywhere among a command's positional arguments."""

    _intermixing = False

    def error(self, message: str):
        self.exit(EXIT_USAGE, f"refcheck: error: {visible(message)} (see {self.prog} --help)\n")

    def parse_known_args(self, args=None, namespace=None):
        # Plain argparse takes a command's positionals in one go, so `cache import --cache-dir c FILE` or
        # `check a.md --offline b.md` left the later files "unrecognized". Intermixed parsing cannot hold
        # subcommands, and on Python < 3.13 it calls parse_known_args itself: hence the two exceptions.
        if self._subparsers is not None or self._intermixing:
            return super().parse_known_args(args, namespace)
        self._intermixing = True
        try:
            return self.parse_known_intermixed_args(args, namespace)
        finally:
            self._intermixing = False


def _flag_type(check):
    """An argparse type from a config.py check, so a flag and its configuration key accept the same values."""
    def convert(text: str):
        try:
            return check(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return convert


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Option help wrapped at spaces only (never inside "not-found"); a one-paragraph description filled to the
    width; the epilog's blocks (formats, examples, exit codes) as written."""

    def _split_lines(self, text, width):
        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)

    def _fill_text(self, text, width, indent):
        if "\n" in text:
            return super()._fill_text(text, width, indent)
        return textwrap.fill(" ".join(text.split()), width, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False)


FORMATS_HELP = "formats (--format):\n" + "\n".join(f"  {name:<10}{text}" for name, text in FORMAT_DESCRIPTIONS.items())


def _command(commands, name: str, help_text: str, description: str, epilog: str):
    return commands.add_parser(name, help=help_text, description=description, epilog=epilog, formatter_class=_HelpFormatter)


def _build_parser(config_defaults: dict | None = None) -> argparse.ArgumentParser:
    parser = _Parser(prog="refcheck", description="Check that citations are real and say what the document claims.",
                     epilog=f"{EXIT_CODES}\n\nrun 'refcheck COMMAND --help' for a command's options and examples",
                     formatter_class=_HelpFormatter)
    parser.add_argument("--version", action="version", version=f"refcheck {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = _command(commands, "check", "check the citations of documents (HTML, Markdown, text, PDF, URLs)",
                     "Find a document's citations (DOIs, PMIDs, PMCIDs, reference lists), look each up in Crossref and "
                     "PubMed, and compare what the document claims with the cited work's abstract.",
                     f"{FORMATS_HELP}\n\n{CHECK_EXAMPLES}\n\n{EXIT_CODES}")
    check.add_argument("sources", nargs="*", metavar="SOURCE",
                       help="file (.html .md .txt .pdf), glob pattern ('articles/**/*.md'), http(s) URL, or - for standard input")
    _add_report_options(check)
    _add_lookup_options(check)
    check.add_argument("--changed-since", metavar="REF", help="check only the files git says changed since REF (a commit, branch or tag)")
    check.add_argument("--suggest-sources", action="store_true",
                       help="search PubMed for candidate sources of unsourced claims (extra requests; suggestions are not verified)")
    corpus = check.add_argument_group("corpus runs", "many documents, one JSON line each as it finishes (see README)")
    corpus.add_argument("--workers", type=_flag_type(worker_count), metavar="N", help="check the documents in N local worker processes")
    corpus.add_argument("--dask-scheduler", metavar="ADDRESS", help="check the documents on a Dask cluster (tcp://host:8786)")
    corpus.add_argument("--sources-from", metavar="FILE", help="also check the paths and URLs listed in FILE, one a line (- for stdin)")
    corpus.add_argument("--resume", action="store_true", help="-o FILE exists: skip the documents it reports, append the rest")

    bib = _command(commands, "bib", "verify a bibliography (BibTeX .bib, RIS .ris, CSL-JSON .json)",
                   "Look up every entry of a bibliography and suggest corrections from the records. The file is never "
                   "modified: --fix writes a corrected copy beside it, --diff prints the corrections as a patch.",
                   f"{FORMATS_HELP}\n\n{BIB_EXAMPLES}\n\n{EXIT_CODES}")
    bib.add_argument("file", metavar="FILE", help="the bibliography; never modified")
    _add_report_options(bib)
    _add_lookup_options(bib)
    bib.add_argument("--fix", action="store_true", help="write the corrected bibliography to a new file beside FILE (refs.bib -> refs.fixed.bib)")
    bib.add_argument("--diff", action="store_true", help="print only the suggested corrections, as a unified diff")

    cache = _command(commands, "cache", "inspect, clear, export or pre-warm the lookup cache",
                     "The cache keeps every answer of Crossref and PubMed (not failures), so a second run asks only "
                     "about what it has not seen or what failed.", CACHE_EXAMPLES)
    cache.add_argument("action", choices=["stats", "clear", "export", "import"],
                       help="stats: what the cache holds; clear: empty it; export: its records as JSON lines; import: add records from files")
    cache.add_argument("files", nargs="*", metavar="FILE", help="import: PubMed XML (.xml, .xml.gz) and Crossref work JSON files")
    cache.add_argument("--cache-dir", help=CACHE_DIR_HELP)
    cache.add_argument("--cache-url", type=_flag_type(database_url), metavar="URL", help="a PostgreSQL cache (default: $REFCHECK_CACHE_URL)")
    cache.add_argument("--output", "-o", metavar="FILE", help="export: write the JSON lines here instead of standard output")
    cache.add_argument("--json", action="store_true", help="stats: print the counts as JSON")
    for command in (check, bib, cache):
        command.set_defaults(**(config_defaults or {}))
    return parser


def _add_report_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", "-f", default="table", choices=FORMATS, metavar="FORMAT",
                        help=f"the report's format: {', '.join(FORMATS)} (see formats below; default table)")
    parser.add_argument("--output", "-o", metavar="FILE", help="write the report here instead of standard output (never over an input)")
    parser.add_argument("--fail-on", metavar="KINDS", default=None,
                        help="comma-separated kinds of finding that make the exit code 1 (default: not-found, wrong-work, "
                        "metadata-mismatch, retracted, expression-of-concern, not-supported, contradicted; all kinds: "
                        f"{', '.join(FINDING_CATEGORIES)})")
    parser.add_argument("--unresolved", choices=UNRESOLVED_CHOICES, default="fail",
                        help="what a citation that could not be checked does to the exit code: fail gives 3 (default), "
                        "warn gives 0 and a warning, so a service outage does not fail CI")
    parser.add_argument("--baseline", metavar="FILE", help="fail only on findings not recorded in this baseline file")
    parser.add_argument("--write-baseline", metavar="FILE", help="record this run's findings in FILE (for --baseline)")
    parser.add_argument("--summary", metavar="FILE", help="also append a Markdown summary of the findings to FILE (e.g. $GITHUB_STEP_SUMMARY)")
    parser.add_argument("--export", nargs=2, action="append", default=[], metavar=("FORMAT", "FILE"),
                        help=f"also write the verified records as {' | '.join(EXPORT_FORMATS)} (repeatable); a bibliography "
                        "keeps its own keys")
    parser.add_argument("--export-journal", choices=JOURNAL_STYLES, default=JOURNAL_STYLES[0],
                        help="journal names in exports: as cited (else as the record gives it), or the ISO 4 abbreviation where the record has one")
    parser.add_argument("--max-bytes", type=_flag_type(byte_limit), default=None, help="refuse inputs larger than this (default 20 MB)")
    parser.add_argument("--quiet", "-q", action="store_true", help="no warnings or progress on standard error")
    parser.add_argument("--verbose", "-v", action="store_true", help="log lookups on standard error")


def _add_lookup_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cache-dir", help=CACHE_DIR_HELP)
    parser.add_argument("--cache-url", type=_flag_type(database_url), metavar="URL",
                        help="postgresql://... cache and rate limits shared by a fleet (default: $REFCHECK_CACHE_URL)")
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    parser.add_argument("--offline", action="store_true", help="answer from the cache only; uncached lookups are UNRESOLVED")
    parser.add_argument("--refresh", action="store_true", help="ignore cached answers and look everything up again")
    parser.add_argument("--mailto", help="contact e-mail for the Crossref polite pool and NCBI (or $REFCHECK_MAILTO)")
    parser.add_argument("--timeout", type=_flag_type(request_timeout), default=None, help=f"seconds per request (default 20, at most {MAX_TIMEOUT:g})")
    parser.add_argument("--nli-model", metavar="PATH_OR_HUB_ID",
                        help="entailment model for the claim verdicts: a directory or Hugging Face id of an ONNX NLI model "
                        "(config.json, tokenizer.json, model.onnx; a hub model is downloaded once into the cache directory), "
                        "'builtin' for refcheck's own model, or 'none' for the rules alone, faster and less wary (default: "
                        "$REFCHECK_NLI_MODEL, else builtin; see the README)")


def _settings(args):
    """The one Settings of this run, for every command: the lookup options, the configuration file's values
    (argparse defaults by then) and the environment."""
    from .resolve import Settings

    return Settings.from_env(
        cache_dir=args.cache_dir,
        cache_url=_cache_url(args),
        use_cache=not getattr(args, "no_cache", False),
        offline=getattr(args, "offline", False),
        refresh=getattr(args, "refresh", False),
        mailto=getattr(args, "mailto", None),
        timeout=getattr(args, "timeout", None),
        nli_model=getattr(args, "nli_model", None),
    )


class _VisibleMessages:
    """refcheck's log messages with control characters shown, not obeyed (a reason a service gave may carry
    terminal escapes), whichever handler prints them. A plain object with filter() is a logging filter: not
    subclassing logging.Filter leaves logging unimported until a command runs."""

    def filter(self, record) -> bool:
        record.msg, record.args = visible(record.getMessage()), ()
        return True


_VISIBLE = _VisibleMessages()


def _say(message: str) -> None:
    print(f"refcheck: {visible(message)}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    # --help, --version and usage errors end in this first parse, before any configuration file is read.
    args = _build_parser().parse_args(argv)
    try:
        config_defaults = _config_defaults(recording_baseline=bool(getattr(args, "write_baseline", None)))
    except Exception as exc:  # a broken configuration file is a usage error like any other
        _say(str(exc))
        return EXIT_USAGE
    if config_defaults:
        args = _build_parser(config_defaults).parse_args(argv)
    import logging

    logging.basicConfig(format="%(message)s", level=logging.WARNING, stream=sys.stderr)
    logging.getLogger("refcheck").addFilter(_VISIBLE)  # a filter added twice is kept once
    # Set on every run: a level left by an earlier main() in the same process (--quiet) must not silence this one.
    quiet, verbose = getattr(args, "quiet", False), getattr(args, "verbose", False)
    logging.getLogger("refcheck").setLevel(logging.ERROR if quiet else logging.DEBUG if verbose else logging.WARNING)
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "bib":
            return _bib(args)
        return _cache(args)
    except KeyboardInterrupt:
        _say("interrupted")
        return 130
    except Exception as exc:  # the last line of defence: one line, never a traceback
        from .errors import RefcheckError

        kind = "" if isinstance(exc, RefcheckError) else f"internal error ({type(exc).__name__}): "
        _say(f"{kind}{exc}")
        return EXIT_USAGE


def _config_defaults(recording_baseline: bool) -> dict:
    from .config import argparse_defaults, find_config

    found = find_config()
    defaults = argparse_defaults(*found, FORMATS) if found else {}
    if recording_baseline:
        # A run that records a baseline reports every finding: the configured baseline (usually the very
        # file being rewritten, perhaps not written yet) is neither required nor applied. A --baseline
        # given on the command line still is.
        defaults.pop("baseline", None)
    return defaults


def _cache_url(args) -> str | None:
    """--cache-url, else none when --cache-dir is given (a chosen directory beats $REFCHECK_CACHE_URL), else the
    environment's ("" stands for none: Settings.from_env keeps only overrides that are not None)."""
    from .errors import InputError

    if args.cache_url and args.cache_dir:
        raise InputError("give either --cache-dir or --cache-url, not both")
    return args.cache_url or ("" if args.cache_dir else None)


class _ProgressBar:
    """A one-line bar on stderr, drawn only on a terminal, outside CI, and once the run has taken a moment."""

    DELAY, INTERVAL, WIDTH = 0.5, 0.1, 24

    def __init__(self) -> None:
        self.state = ("starting", 0, 0)
        self.started = time.monotonic()
        self.drawn = False
        self.finished = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def update(self, stage: str, done: int, total: int) -> None:
        # Called from the lookup threads too: one assignment of an immutable tuple, so the drawing
        # thread always reads a consistent state.
        self.state = (stage, done, total)

    def _run(self) -> None:
        if self.finished.wait(self.DELAY):
            return
        while not self.finished.wait(self.INTERVAL):
            sys.stderr.write(f"\r{progress_line(*self.state, time.monotonic() - self.started, self.WIDTH)}\x1b[K")
            sys.stderr.flush()
            self.drawn = True

    def __enter__(self):
        self.thread.start()
        return self.update

    def __exit__(self, *exc) -> None:
        self.finished.set()
        self.thread.join()
        if self.drawn:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def progress_line(stage: str, done: int, total: int, elapsed: float, width: int) -> str:
    """One frame of the bar: "[######..........] resolving 150/400 12s"."""
    filled = min(width, int(width * done / total)) if total else 0
    counter = f" {done}/{total}" if total else ""
    return f"[{'#' * filled}{'.' * (width - filled)}] {stage}{counter} {elapsed:.0f}s"


def _progress(args):
    """The progress context for this run: a bar only when someone is watching a terminal."""
    import contextlib

    watching = sys.stderr.isatty() and not args.quiet and os.environ.get("CI", "").lower() not in ("true", "1")
    return _ProgressBar() if watching else contextlib.nullcontext(None)


def _sources(args, listed: list[str]) -> list[str]:
    """The sources to check: patterns expanded, then only what changed since --changed-since."""
    from .errors import InputError
    from .sources import changed_since, expand_sources

    if listed.count("-") > 1:
        raise InputError("standard input can be given only once")
    sources, unmatched = expand_sources(listed)
    for pattern in unmatched:
        _say(f"no file matches {pattern!r}")
    if args.changed_since:
        sources = changed_since(args.changed_since, sources)
    return sources


def _outputs(args, corrected: str | None = None) -> list[tuple[str, str | None]]:
    """Every file this run writes, by the flag that asks for it; `corrected` is where bib --fix writes."""
    from .report.export import check_export_formats

    check_export_formats(args.export)
    return [("-o", args.output), ("--write-baseline", args.write_baseline), ("--summary", args.summary),
            *(("--export", path) for _, path in args.export), ("--fix", corrected)]


def _check(args) -> int:
    from .errors import InputError
    from .pipeline import check
    from .report.output import refuse_clashing_outputs

    if args.workers is not None or args.dask_scheduler:
        return _check_corpus(args)
    for flag, given in (("--sources-from", args.sources_from), ("--resume", args.resume)):
        if given:
            raise InputError(f"{flag} belongs to a corpus run: add --workers N or --dask-scheduler ADDRESS")
    if not args.sources:
        raise InputError("check needs at least one SOURCE")
    sources = _sources(args, args.sources)
    if not sources:
        _say("nothing to check" + (f" (no file changed since {args.changed_since})" if args.changed_since else ""))
        return EXIT_OK
    refuse_clashing_outputs(_outputs(args), sources, args.baseline, may_rewrite_baseline=("--write-baseline",))
    fail_on, baseline = parse_fail_on(args.fail_on), _baseline(args)
    options = {"max_bytes": args.max_bytes} if args.max_bytes is not None else {}
    with _progress(args) as progress:
        report = check(sources, settings=_settings(args), progress=progress, suggest_sources=args.suggest_sources, **options)
    _emit(args, report, _render(args, report, fail_on, baseline, [s for s in sources if s != "-"]))
    return _finish(args, report, fail_on, baseline, [s for s in sources if s != "-"])


def _check_corpus(args) -> int:
    """Many documents over worker processes or a Dask cluster (refcheck.corpus): JSON Lines, then one summary."""
    from .corpus import listed_sources, run_corpus
    from .errors import InputError
    from .load import MAX_BYTES

    if args.workers is not None and args.dask_scheduler:
        raise InputError("give either --workers or --dask-scheduler, not both")
    if args.format not in ("table", "json"):
        raise InputError(f"--format {args.format}: a corpus run writes JSON Lines, one document a line (leave -f out, or -f json)")
    for flag, given in (("--export", args.export), ("--write-baseline", args.write_baseline)):
        if given:
            raise InputError(f"{flag} is not available in a corpus run")
    if args.resume and not args.output:
        raise InputError("--resume needs -o FILE: the output of the run to continue")
    sources = _sources(args, listed_sources(args.sources, args.sources_from))
    if not sources:
        raise InputError("no documents to check")
    from .report.output import refuse_clashing_outputs

    refuse_clashing_outputs(_outputs(args), sources, args.baseline, may_rewrite_baseline=("--write-baseline",))

    def told(entry: dict) -> None:
        if entry["error"]:
            print(f"refcheck: {entry['error']}", file=sys.stderr)

    result = run_corpus(
        sources, output=args.output, resume=args.resume, workers=args.workers or 1, dask_scheduler=args.dask_scheduler,
        settings=_settings(args), fail_on=parse_fail_on(args.fail_on), baseline=_baseline(args),
        max_bytes=args.max_bytes or MAX_BYTES, suggest_sources=args.suggest_sources, on_document=told,
    )
    if not args.quiet:
        print(f"refcheck: {corpus_summary_line(result)}", file=sys.stderr)
    return result.exit_code


def corpus_summary_line(result) -> str:
    """"200 documents (150 checked now, 50 reported earlier; 0 unreadable); 812 citations: 700 VERIFIED, ...; exit code 1"."""
    from .records import CITATION_STATUSES, CLAIM_VERDICTS

    summary = result.summary

    def counted(counts: dict, order: tuple) -> str:
        return ", ".join(f"{counts[label]} {label}" for label in order if counts.get(label))

    citations = f"{summary.get('citations', 0)} citations" + (f": {counted(summary['status'], CITATION_STATUSES)}" if summary.get("citations") else "")
    claims = f"{summary.get('claims', 0)} claims" + (f": {counted(summary['verdicts'], CLAIM_VERDICTS)}" if summary.get("claims") else "")
    return (f"{result.documents} documents ({result.checked} checked now, {result.skipped} reported earlier; "
            f"{summary.get('documents_failed', 0)} unreadable); {citations}; {claims}; exit code {result.exit_code}")


def _bib(args) -> int:
    from .bib import fixed_path, fixed_text, read_bibliography, suggestion_diff
    from .pipeline import check_bibliography
    from .report.output import refuse_clashing_outputs, write_output

    corrected = str(fixed_path(args.file)) if args.fix else None
    refuse_clashing_outputs(_outputs(args, corrected), [args.file], args.baseline, may_rewrite_baseline=("--write-baseline",))
    fail_on, baseline = parse_fail_on(args.fail_on), _baseline(args)
    bibliography = read_bibliography(args.file, **({"max_bytes": args.max_bytes} if args.max_bytes is not None else {}))
    with _progress(args) as progress:
        report = check_bibliography(bibliography, settings=_settings(args), progress=progress)
    diff = suggestion_diff(bibliography, report)
    if args.diff:
        text = diff
    else:
        text = _render(args, report, fail_on, baseline, [args.file])
        if args.format in ("table", "markdown"):
            text += "\nSuggested corrections:\n\n" + (diff or "(none)\n")
    _emit(args, report, text)
    if corrected:
        write_output(corrected, fixed_text(bibliography, report))
        if not args.quiet:
            _say(f"wrote the corrected bibliography to {corrected}")
    return _finish(args, report, fail_on, baseline, [args.file], bibliography)


def _baseline(args):
    from .report.baseline import read_baseline

    return read_baseline(args.baseline) if args.baseline else None


LINE_FORMATS = ("github", "junit", "findings")  # formats that name source lines


def _render_options(args, fail_on, baseline, files: list[str], terminal: bool = False, summary: bool = False):
    import shutil

    from .report import RenderOptions
    from .report.source_lines import read_source_texts

    return RenderOptions(
        width=shutil.get_terminal_size().columns if terminal else None,
        colour=terminal and args.format == "table" and not os.environ.get("NO_COLOR"),
        fail_on=fail_on,
        baseline=baseline,
        unresolved=args.unresolved,
        # Line numbers in annotations, findings and JUnit names count lines of the file as given.
        source_texts=read_source_texts(files) if summary or args.format in LINE_FORMATS else None,
    )


def _render(args, report, fail_on, baseline, files: list[str]) -> str:
    from .report import render

    terminal = args.output is None and sys.stdout.isatty()
    return render(report, args.format, _render_options(args, fail_on, baseline, files, terminal))


def _emit(args, report, text: str) -> None:
    from .report.output import write_output

    if args.output:
        write_output(args.output, text)
    else:
        sys.stdout.write(text)
    for document in report.documents:
        if document.error:
            _say(document.error)


def _finish(args, report, fail_on, baseline, files: list[str], bibliography=None) -> int:
    """Side files (summary, exports, baseline), then the exit code, with a warning when --unresolved=warn
    excused citations that could not be checked."""
    from .report.baseline import write_baseline
    from .report.output import append_output
    from .report.rendering import job_summary

    if args.summary:
        append_output(args.summary, job_summary(report, _render_options(args, fail_on, baseline, files, summary=True)))
    if args.export:
        from .bib import bibliography_entries
        from .report.export import document_entries, write_exports

        entries, left_out = (bibliography_entries(bibliography, report, args.export_journal) if bibliography
                             else document_entries(report, args.export_journal))
        for note in write_exports(entries, left_out, args.export):
            if not args.quiet:
                _say(note)
    if args.write_baseline:
        # Every finding of this run, whatever the baseline applied to the report and the exit code.
        write_baseline(report.findings(), args.write_baseline)
    code = report.exit_code(fail_on, baseline, args.unresolved)
    incomplete = report.summary["incomplete"]
    if incomplete and args.unresolved == "warn" and not args.quiet:
        _say(f"warning: {incomplete} citation(s) could not be fully checked (a service did not answer); "
             "--unresolved=warn keeps them from failing the run")
    return code


def _cache(args) -> int:
    from pathlib import Path

    from .errors import InputError
    from .report.output import same_file
    from .resolve.cache import CACHE_FILE, Cache, default_cache_dir

    if args.files and args.action != "import":
        raise InputError(f"cache {args.action} takes no files")
    if args.action == "import" and not args.files:
        raise InputError("cache import needs at least one file")
    url = _cache_url(args)
    url = os.environ.get("REFCHECK_CACHE_URL") if url is None else url
    if url:
        from .resolve.postgres import PostgresCache

        if args.output and any(same_file(args.output, path) for path in args.files):
            raise InputError(f"{args.output}: refusing to overwrite an input (--output)")
        return _cache_action(args, PostgresCache(url))
    settings = _settings(args)
    directory = Path(settings.cache_dir) if settings.cache_dir else default_cache_dir()
    # Only import may start a cache: opening one creates it, and stats, export or clear of a mistyped
    # directory would report an empty cache (or "removed 0") while the real one stays as it was.
    if args.action != "import" and not (directory / CACHE_FILE).is_file():
        raise InputError(f"{directory}: no refcheck cache there (no {CACHE_FILE})")
    if args.output and any(same_file(args.output, path) for path in (str(directory / CACHE_FILE), *args.files)):
        raise InputError(f"{args.output}: refusing to overwrite the cache or an input (--output)")
    return _cache_action(args, Cache(directory))


def _cache_action(args, cache) -> int:
    """stats, clear, import or export on an open cache (SQLite or PostgreSQL: the same interface)."""
    import json

    from .errors import InputError
    from .report.output import write_output

    try:
        if not cache.available:
            raise InputError(f"{cache.path}: the cache cannot be opened")
        if args.action == "stats":
            stats = cache.stats()
            print(json.dumps(stats, indent=2) if args.json else stats_text(stats))
        elif args.action == "clear":
            if not cache.writable:
                raise InputError(f"{cache.path}: the cache is not writable")
            print(f"removed {cache.clear()} cached lookups from {cache.path}")
        elif args.action == "import":
            from .resolve.cache_io import import_files

            print(f"imported {import_files(cache, args.files)} records into {cache.path}")
        else:
            from .resolve.cache_io import export_lines

            lines = "".join(f"{line}\n" for line in export_lines(cache))
            if args.output:
                write_output(args.output, lines)
            else:
                sys.stdout.write(lines)
    finally:
        cache.close()
    return EXIT_OK


# outcome -> (one, several)
OUTCOME_WORDS = {"found": ("record", "records"), "not_found": ("not found (authority's answer)",) * 2, "failed": ("failure", "failures")}
EXTRA_WORDS = {"expired": "expired, asked again when needed", "invalid": "invalid, never used"}


def stats_text(stats: dict) -> str:
    """`cache stats` for a person: where the cache is, how big, and what it holds by service and outcome."""
    size = stats.get("bytes", 0)
    lines = [f"{stats['path']}: {size / 1e6:.1f} MB" if size >= 1e5 else f"{stats['path']}: {size} bytes"]
    entries = stats.get("entries", [])
    if not entries:
        lines.append("  empty")
    for entry in entries:
        extra = [f"{entry[key]} {words}" for key, words in EXTRA_WORDS.items() if entry.get(key)]
        one, several = OUTCOME_WORDS.get(entry["outcome"], (entry["outcome"],) * 2)
        outcome = one if entry["count"] == 1 else several
        lines.append(f"  {entry['service']:<18} {entry['count']:>7} {outcome}" + (f" ({', '.join(extra)})" if extra else ""))
    total = sum(entry["count"] for entry in entries)
    lines.append(f"  {'total':<18} {total:>7}")
    return "\n".join(visible(line) for line in lines)


if __name__ == "__main__":
    sys.exit(main())
