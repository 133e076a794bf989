"""Command line: a thin layer over refcheck.check() and the cache."""
from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
import time

from .version import __version__
from .config import MAX_TIMEOUT, byte_limit, request_timeout
from .report.export import EXPORT_FORMATS
from .report import FINDING_CATEGORIES, FORMATS, parse_fail_on
from .report.output import write_output

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line, and options anywhere among a command's positional arguments."""

    _intermixing = False

    def error(self, message: str):
        self.exit(EXIT_USAGE, f"refcheck: error: {message} (see {self.prog} --help)\n")

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


def _build_parser(config_defaults: dict | None = None) -> argparse.ArgumentParser:
    parser = _Parser(prog="refcheck", description="Check that citations are real and say what the document claims.")
    parser.add_argument("--version", action="version", version=f"refcheck {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="check the citations of one or more documents")
    check.add_argument("sources", nargs="+", metavar="SOURCE", help="file (.html .md .txt .pdf), http(s) URL, or - for stdin")
    _add_report_options(check)
    _add_lookup_options(check)
    check.add_argument(
        "--suggest-sources", action="store_true",
        help="search PubMed for candidate sources of unsourced claims (extra requests; suggestions are not verified)",
    )

    bib = commands.add_parser("bib", help="verify a bibliography (BibTeX .bib, RIS .ris, CSL-JSON .json)")
    bib.add_argument("file", metavar="FILE", help="the bibliography; never modified")
    _add_report_options(bib)
    _add_lookup_options(bib)
    bib.add_argument("--fix", action="store_true", help="write the corrected bibliography to a new file beside FILE (refs.bib -> refs.fixed.bib)")
    bib.add_argument("--diff", action="store_true", help="print only the suggested corrections, as a unified diff")
    for command in (check, bib):
        command.add_argument("--max-bytes", type=_flag_type(byte_limit), default=None, help="refuse inputs larger than this (default 20 MB)")
        command.set_defaults(**(config_defaults or {}))

    cache = commands.add_parser("cache", help="inspect, clear, export or pre-warm the lookup cache")
    cache.add_argument("action", choices=["stats", "clear", "export", "import"])
    cache.add_argument("files", nargs="*", metavar="FILE", help="import: PubMed XML (.xml, .xml.gz) and Crossref work JSON files")
    cache.add_argument("--cache-dir", help="cache directory (default: see README)")
    cache.add_argument("--output", "-o", metavar="FILE", help="export: write the JSON lines here instead of stdout")
    return parser


def _add_report_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", "-f", default="table", choices=FORMATS)
    parser.add_argument("--output", "-o", metavar="FILE", help="write the report here instead of stdout (never over an input)")
    parser.add_argument(
        "--fail-on", metavar="KINDS", default=None,
        help="comma-separated findings that make the exit code 1 (default: not-found,wrong-work,metadata-mismatch,"
        f"retracted,expression-of-concern,not-supported,contradicted; all: {','.join(FINDING_CATEGORIES)})",
    )
    parser.add_argument("--baseline", metavar="FILE", help="fail only on findings not recorded in this baseline file")
    parser.add_argument("--write-baseline", metavar="FILE", help="record this run's findings in FILE (for --baseline)")
    parser.add_argument("--export", nargs=2, action="append", default=[], metavar=("FORMAT", "FILE"),
                        help=f"also write the verified records as {'|'.join(EXPORT_FORMATS)} (repeatable)")
    parser.add_argument("--quiet", "-q", action="store_true", help="no warnings or progress on stderr")
    parser.add_argument("--verbose", "-v", action="store_true", help="log lookups on stderr")


def _add_lookup_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cache-dir", help="cache directory (default: $REFCHECK_CACHE_DIR, ./cache if present, else ~/.cache/refcheck)")
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    parser.add_argument("--offline", action="store_true", help="answer from the cache only; uncached lookups are UNRESOLVED")
    parser.add_argument("--refresh", action="store_true", help="ignore cached answers and look everything up again")
    parser.add_argument("--mailto", help="contact e-mail for the Crossref polite pool and NCBI (or $REFCHECK_MAILTO)")
    parser.add_argument("--timeout", type=_flag_type(request_timeout), default=None, help=f"seconds per request (default 20, at most {MAX_TIMEOUT:g})")


def main(argv: list[str] | None = None) -> int:
    # --help, --version and usage errors end in this first parse, before any configuration file is read.
    args = _build_parser().parse_args(argv)
    if args.command in ("check", "bib"):
        try:
            config_defaults = _config_defaults(recording_baseline=bool(args.write_baseline))
        except Exception as exc:  # a broken configuration file is a usage error like any other
            print(f"refcheck: {exc}", file=sys.stderr)
            return EXIT_USAGE
        if config_defaults:
            args = _build_parser(config_defaults).parse_args(argv)
    logging.basicConfig(format="%(message)s", level=logging.WARNING, stream=sys.stderr)
    if getattr(args, "quiet", False):
        logging.getLogger("refcheck").setLevel(logging.ERROR)
    elif getattr(args, "verbose", False):
        logging.getLogger("refcheck").setLevel(logging.DEBUG)
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "bib":
            return _bib(args)
        return _cache(args)
    except KeyboardInterrupt:
        print("refcheck: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: one line, never a traceback
        from .errors import RefcheckError

        kind = "" if isinstance(exc, RefcheckError) else f"internal error ({type(exc).__name__}): "
        print(f"refcheck: {kind}{exc}", file=sys.stderr)
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


def _settings(args):
    from .resolve import Settings

    return Settings.from_env(
        cache_dir=args.cache_dir,
        use_cache=not args.no_cache,
        offline=args.offline,
        refresh=args.refresh,
        mailto=args.mailto,
        timeout=args.timeout,
    )


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


def _check(args) -> int:
    from .errors import InputError
    from .pipeline import check

    if args.sources.count("-") > 1:
        raise InputError("standard input can be given only once")
    _refuse_clashing_outputs(args, args.sources)
    fail_on, baseline = parse_fail_on(args.fail_on), _baseline(args)
    options = {"max_bytes": args.max_bytes} if args.max_bytes is not None else {}
    with _progress(args) as progress:
        report = check(args.sources, settings=_settings(args), progress=progress, suggest_sources=args.suggest_sources, **options)
    text = _render(args, report, fail_on, baseline, [s for s in args.sources if s != "-"])
    _emit(args, report, text)
    return _finish(args, report, fail_on, baseline)


def _bib(args) -> int:
    from .bib import check_bibliography, fixed_path, fixed_text, read_bibliography, suggestion_diff
    from .progress import no_progress
    from .resolve import Resolver

    _refuse_clashing_outputs(args, [args.file], corrected=str(fixed_path(args.file)) if args.fix else None)
    fail_on, baseline = parse_fail_on(args.fail_on), _baseline(args)
    bibliography = read_bibliography(args.file, **({"max_bytes": args.max_bytes} if args.max_bytes is not None else {}))
    resolver = Resolver(_settings(args))
    try:
        with _progress(args) as progress:
            report = check_bibliography(bibliography, resolver, progress or no_progress)
    finally:
        resolver.close()
    diff = suggestion_diff(bibliography, report)
    if args.diff:
        text = diff
    else:
        text = _render(args, report, fail_on, baseline, [args.file])
        if args.format in ("table", "markdown"):
            text += "\nSuggested corrections:\n\n" + (diff or "(none)\n")
    _emit(args, report, text)
    if args.fix:
        target = fixed_path(args.file)
        write_output(str(target), fixed_text(bibliography, report))
        if not args.quiet:
            print(f"refcheck: wrote the corrected bibliography to {target}", file=sys.stderr)
    return _finish(args, report, fail_on, baseline)


def _refuse_clashing_outputs(args, inputs: list[str], corrected: str | None = None) -> None:
    """Before any work: every file this run writes has a known format, and none lands on an input, on the
    --baseline file, or on another output. `corrected` is where bib --fix writes."""
    from .errors import InputError

    for fmt, _ in args.export:
        if fmt not in EXPORT_FORMATS:
            raise InputError(f"--export: unknown format {fmt!r} (choose from {', '.join(EXPORT_FORMATS)})")
    written = (
        ("-o", args.output),
        ("--write-baseline", args.write_baseline),
        *(("--export", path) for _, path in args.export),
        ("--fix", corrected),
    )
    outputs = [(flag, path) for flag, path in written if path]
    for index, (flag, path) in enumerate(outputs):
        if any(_same_file(path, source) for source in inputs if source != "-"):
            raise InputError(f"{path}: refusing to overwrite an input document ({flag})")
        # --baseline X --write-baseline X is how a baseline is brought up to date.
        if args.baseline and flag != "--write-baseline" and _same_file(path, args.baseline):
            raise InputError(f"{path}: refusing to overwrite the --baseline file ({flag})")
        for other_flag, other in outputs[index + 1:]:
            if _same_file(path, other):
                raise InputError(f"{path}: {flag} and {other_flag} would write the same file")


def _same_file(first: str, second: str) -> bool:
    """Whether two paths name one file, through symlinks and hard links; a file not yet there, by where its path leads."""
    try:
        return os.path.samefile(first, second)
    except OSError:
        return os.path.realpath(first) == os.path.realpath(second)


def _baseline(args):
    from .report.baseline import read_baseline

    return read_baseline(args.baseline) if args.baseline else None


def _render(args, report, fail_on, baseline, files: list[str]) -> str:
    import shutil

    from .report import RenderOptions, render

    terminal = args.output is None and sys.stdout.isatty()
    # Line numbers in annotations and JUnit names count lines of the file as given, not of the extracted text.
    source_texts = {path: _read_source(path) for path in files} if args.format in ("github", "junit") else None
    options = RenderOptions(
        width=shutil.get_terminal_size().columns if terminal else None,
        colour=terminal and args.format == "table" and not os.environ.get("NO_COLOR"),
        fail_on=fail_on,
        baseline=baseline,
        source_texts={k: v for k, v in source_texts.items() if v is not None} if source_texts else None,
    )
    return render(report, args.format, options)


def _read_source(path: str) -> str | None:
    """The raw file, for line numbers; None for URLs and unreadable files (lines then come from the extracted text)."""
    from pathlib import Path

    try:
        return Path(path).read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
    except OSError:
        return None


def _emit(args, report, text: str) -> None:
    if args.output:
        write_output(args.output, text)
    else:
        sys.stdout.write(text)
    for document in report.documents:
        if document.error:
            print(f"refcheck: {document.error}", file=sys.stderr)


def _finish(args, report, fail_on, baseline) -> int:
    """Side files (export, baseline), then the exit code."""
    from .report.baseline import baseline_text
    from .report.export import export, exported_works

    if args.export:
        works = exported_works(report)
        for fmt, path in args.export:
            write_output(path, export(works, fmt))
    if args.write_baseline:
        # Every finding of this run, whatever the baseline applied to the report and the exit code.
        write_output(args.write_baseline, baseline_text(report.findings(), args.write_baseline))
    return report.exit_code(fail_on, baseline)


def _cache(args) -> int:
    import json
    from pathlib import Path

    from .resolve.cache import CACHE_FILE, Cache, default_cache_dir
    from .errors import InputError

    if args.files and args.action != "import":
        raise InputError(f"cache {args.action} takes no files")
    if args.action == "import" and not args.files:
        raise InputError("cache import needs at least one file")
    directory = Path(args.cache_dir) if args.cache_dir else default_cache_dir()
    # Only import may start a cache: opening one creates it, and stats, export or clear of a mistyped
    # directory would report an empty cache (or "removed 0") while the real one stays as it was.
    if args.action != "import" and not (directory / CACHE_FILE).is_file():
        raise InputError(f"{directory}: no refcheck cache there (no {CACHE_FILE})")
    if args.output and any(_same_file(args.output, path) for path in (str(directory / CACHE_FILE), *args.files)):
        raise InputError(f"{args.output}: refusing to overwrite the cache or an input (--output)")
    cache = Cache(directory)
    try:
        if not cache.available:
            raise InputError(f"{cache.path}: the cache cannot be opened")
        if args.action == "stats":
            print(json.dumps(cache.stats(), indent=2))
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
