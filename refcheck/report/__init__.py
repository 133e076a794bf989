"""The report stage: what a checked Report comes to and how it is written.

Modules, each importing only those listed before it (no cycles):
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
  render        render(report, format) and job_summary(report): the sanitised report, every format
  export        BibTeX / CSL-JSON / RIS of the verified records (bibtexparser is imported only when writing BibTeX)
"""
from .findings import DEFAULT_FAIL_ON, FINDING_CATEGORIES, UNMATCHED_MARKER, UNSOURCED, Finding, parse_fail_on
from .json_format import to_dict
from .model import Report
from .options import RenderOptions
from .outcome import EXIT_INCOMPLETE, EXIT_OK, EXIT_PROBLEM, EXIT_USAGE
from .render import FORMATS, render
from .source_lines import source_line
from .text import marker_problem

__all__ = [
    "DEFAULT_FAIL_ON", "EXIT_INCOMPLETE", "EXIT_OK", "EXIT_PROBLEM", "EXIT_USAGE", "FINDING_CATEGORIES", "FORMATS", "Finding",
    "RenderOptions", "Report", "UNMATCHED_MARKER", "UNSOURCED", "marker_problem", "parse_fail_on", "render", "source_line",
    "to_dict",
]
