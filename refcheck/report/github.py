"""--format github: GitHub Actions workflow commands, one per finding the baseline does not excuse, on the line of
the source file: ::error for those that fail the run, first, then ::warning for the rest (GitHub shows only the
first few annotations of a step: the failing ones must be among them; --summary lists them all)."""
from __future__ import annotations

from .findings_format import location, tally
from .model import Report
from .options import RenderOptions
from .outcome import new_findings


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report, options: RenderOptions) -> str:
    fresh, excused = new_findings(report.findings(), options.baseline)
    line_of = location(report, options)
    lines = [
        f"::error file={_escape_property(d.source)},title=refcheck::{_escape_data(d.error)}"
        for d in report.documents if d.error
    ]
    failing = [finding for finding in fresh if finding.category in options.fail_on]
    for level, group in (("error", failing), ("warning", [finding for finding in fresh if finding.category not in options.fail_on])):
        for finding in group:
            properties = f"file={_escape_property(finding.source)},line={line_of(finding)},title={_escape_property('refcheck ' + finding.category)}"
            lines.append(f"::{level} {properties}::{_escape_data(finding.message)}")
    lines.append(f"::notice title=refcheck::{_escape_data(tally(report, options, len(fresh), len(failing), excused))}")
    return "\n".join(lines) + "\n"
