"""Command line: a thin layer over refcheck.check() and the cache."""
from __future__ import annotations

import argparse
import logging
import sys

from . import __version__

EXIT_USAGE = 2


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="refcheck", description="Check that citations are real and say what the document claims.")
    parser.add_argument("--version", action="version", version=f"refcheck {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="check the citations of one or more documents")
    check.add_argument("sources", nargs="+", metavar="SOURCE", help="file (.html .md .txt .pdf), http(s) URL, or - for stdin")
    check.add_argument("--format", "-f", default="table", choices=["table", "markdown", "json", "csv"])
    check.add_argument("--output", "-o", metavar="FILE", help="write the report here instead of stdout")
    _add_lookup_options(check)
    check.add_argument("--max-bytes", type=int, default=None, help="refuse inputs larger than this (default 20 MB)")
    check.add_argument("--quiet", "-q", action="store_true", help="no warnings on stderr")
    check.add_argument("--verbose", "-v", action="store_true", help="log lookups on stderr")

    cache = commands.add_parser("cache", help="inspect or clear the lookup cache")
    cache.add_argument("action", choices=["stats", "clear"])
    cache.add_argument("--cache-dir", help="cache directory (default: see README)")
    return parser


def _add_lookup_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cache-dir", help="cache directory (default: $REFCHECK_CACHE_DIR, ./cache if present, else ~/.cache/refcheck)")
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    parser.add_argument("--offline", action="store_true", help="answer from the cache only; uncached lookups are UNRESOLVED")
    parser.add_argument("--refresh", action="store_true", help="ignore cached answers and look everything up again")
    parser.add_argument("--mailto", help="contact e-mail for the Crossref polite pool and NCBI (or $REFCHECK_MAILTO)")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per request (default 20)")


def main(argv: list[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(format="%(message)s", level=logging.WARNING, stream=sys.stderr)
    if getattr(args, "quiet", False):
        logging.getLogger("refcheck").setLevel(logging.ERROR)
    elif getattr(args, "verbose", False):
        logging.getLogger("refcheck").setLevel(logging.DEBUG)
    try:
        if args.command == "check":
            return _check(args)
        return _cache(args)
    except KeyboardInterrupt:
        print("refcheck: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: one line, never a traceback
        from .errors import RefcheckError

        kind = "" if isinstance(exc, RefcheckError) else f"internal error ({type(exc).__name__}): "
        print(f"refcheck: {kind}{exc}", file=sys.stderr)
        return EXIT_USAGE


def _check(args) -> int:
    from .errors import InputError
    from .pipeline import check
    from .report import exit_code, render
    from .resolve import Settings

    if args.sources.count("-") > 1:
        raise InputError("standard input can be given only once")
    settings = Settings.from_env(
        cache_dir=args.cache_dir,
        use_cache=not args.no_cache,
        offline=args.offline,
        refresh=args.refresh,
        mailto=args.mailto,
        timeout=args.timeout,
    )
    options = {"max_bytes": args.max_bytes} if args.max_bytes else {}
    report = check(args.sources, settings=settings, **options)
    text = render(report, args.format)
    if args.output:
        _write_output(args.output, text, args.sources)
    else:
        sys.stdout.write(text)
    for document in report.documents:
        if document.error:
            print(f"refcheck: {document.error}", file=sys.stderr)
    return exit_code(report)


def _write_output(path: str, text: str, sources: list[str]) -> None:
    from pathlib import Path

    from .errors import InputError

    target = Path(path)
    if any(Path(s).exists() and Path(s).resolve() == target.resolve() for s in sources if s != "-"):
        raise InputError(f"{path}: refusing to overwrite an input document with the report")
    try:
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(target)
    except OSError as exc:
        raise InputError(f"{path}: cannot write the report ({exc.strerror or exc})") from None


def _cache(args) -> int:
    import json

    from .cache import Cache

    cache = Cache(args.cache_dir)
    if args.action == "stats":
        print(json.dumps(cache.stats(), indent=2))
    else:
        print(f"removed {cache.clear()} cached lookups from {cache.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
