"""The report stage: what a checked Report comes to and how it is written.

Modules, each importing only those listed before it (no cycles):
  names         the names a user types: formats, kinds of finding (--fail-on), exit codes, --unresolved, exports
  sanitise      the one output sanitiser: control characters, CSV formulas, Markdown, JSON escapes
  text          wording every format shares (shortened lines, tones, reasons in plain words, markers)
  findings      the findings a reviewer may act on, their kinds (--fail-on) and fingerprints
  output        writing files: atomic for regular files, directly into devices and pipes
  baseline      baseline files: findings recorded earlier are excused
  outcome       summary counts and exit codes (--unresolved)
  model         Report, with findings(), failing(), summary and exit_code()
  options       RenderOptions
  source_lines  line numbers in the file as given
  table, markdown, csv_format, json_format, findings_format, github, junit, job_summary, markdown_source, html
                one module per format (markdown_source: where a Markdown document's syntax stands, for html)
  rendering     render(report, format) and job_summary(report): the sanitised report, every format
  export        BibTeX / CSL-JSON / RIS of the verified records (bibtexparser is imported only when writing BibTeX)

The package loads a module only when one of its names is first used, so that the command line's --help (which
needs only names) stays fast.
"""
from __future__ import annotations

from importlib import import_module

# public name -> the module that defines it
_HOME = {
    "DEFAULT_FAIL_ON": "names", "EXIT_INCOMPLETE": "names", "EXIT_OK": "names", "EXIT_PROBLEM": "names", "EXIT_USAGE": "names",
    "FINDING_CATEGORIES": "names", "FORMATS": "names", "UNMATCHED_MARKER": "names", "UNSOURCED": "names",
    "parse_fail_on": "names", "Finding": "findings", "to_dict": "json_format", "Report": "model", "RenderOptions": "options",
    "render": "rendering", "source_line": "source_lines", "marker_problem": "text",
}
__all__ = sorted(_HOME)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def __getattr__(name: str):
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_HOME[name]}", __name__), name)
    globals()[name] = value
    return value
