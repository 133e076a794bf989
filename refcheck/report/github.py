"""--format github: GitHub Actions workflow commands, one per finding, on the line of the source file."""
from __future__ import annotations

from .model import Report
from .options import RenderOptions
from .outcome import FailingOccurrences
from .source_lines import source_line
from .text import summary_line


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report, options: RenderOptions) -> str:
    """One workflow command per finding: ::error for failing findings, ::warning for the rest."""
    documents = {d.source: d for d in report.documents}
    raw_texts = options.source_texts or {}
    fails = FailingOccurrences(report.failing(options.fail_on, options.baseline))
    lines = [
        f"::error file={_escape_property(d.source)},title=refcheck::{_escape_data(d.error)}"
        for d in report.documents if d.error
    ]
    for finding in report.findings():
        document = documents[finding.source]
        line = source_line(document.text, finding.start, finding.end, raw_texts.get(finding.source))
        level = "error" if fails.take(finding) else "warning"
        properties = f"file={_escape_property(finding.source)},line={line},title={_escape_property('refcheck ' + finding.category)}"
        lines.append(f"::{level} {properties}::{_escape_data(finding.message)}")
    lines.append(f"::notice title=refcheck::{_escape_data(summary_line(report.summary))}")
    return "\n".join(lines) + "\n"
