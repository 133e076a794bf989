"""--format findings: one line per finding, as linters print them ("FILE:LINE: error kind: message"), for a
terminal, a pre-commit hook or an editor's problem list.

Only findings the baseline does not excuse are listed (a recorded finding is not news); "error" marks those that
fail the run (--fail-on), "warning" the rest. The last line counts them, and says how many the baseline excused
and how many citations could not be checked.
"""
from __future__ import annotations

from .model import Report
from .options import RenderOptions
from .outcome import new_findings
from .source_lines import SourceLines


def location(report: Report, options: RenderOptions):
    """A function finding -> its line in the source file as given (see source_lines), each document's lines
    indexed once, when first asked."""
    documents = {d.source: d for d in report.documents}
    raw_texts = options.source_texts or {}
    indexes: dict[str, SourceLines] = {}

    def line_of(finding) -> int:
        if finding.source not in indexes:
            indexes[finding.source] = SourceLines(documents[finding.source].text, raw_texts.get(finding.source))
        return indexes[finding.source].line(finding.start)

    return line_of


def tally(report: Report, options: RenderOptions, shown: int, failing: int, excused: int) -> str:
    """The closing line of the finding lists (this format, the annotations and the job summary)."""
    parts = [f"refcheck: {shown} finding(s), {failing} failing the run"]
    if excused:
        parts.append(f"{excused} more recorded in the baseline, not listed")
    incomplete = report.summary["incomplete"]
    if incomplete:
        warned = ", not failing the run (--unresolved=warn)" if options.unresolved == "warn" else ""
        parts.append(f"{incomplete} citation(s) not fully checked (a service did not answer){warned}")
    return "; ".join(parts)


def render_findings(report: Report, options: RenderOptions) -> str:
    fresh, excused = new_findings(report.findings(), options.baseline)
    line_of = location(report, options)
    lines = [f"{d.source}: error input: {d.error}" for d in report.documents if d.error]
    failing = 0
    for finding in fresh:
        fails = finding.category in options.fail_on
        failing += fails
        lines.append(f"{finding.source}:{line_of(finding)}: {'error' if fails else 'warning'} {finding.category}: {' '.join(finding.message.split())}")
    lines.append(tally(report, options, len(fresh), failing, excused))
    return "\n".join(lines) + "\n"
