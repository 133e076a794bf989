"""The Markdown job summary (--summary FILE, e.g. $GITHUB_STEP_SUMMARY): what failed and every other new finding
in one table, since GitHub shows only the first few annotations of a step. Findings the baseline excuses are
counted, not listed."""
from __future__ import annotations

from .findings_format import location, tally
from .markdown import markdown_table
from .model import Report
from .options import RenderOptions
from .outcome import new_findings
from .sanitise import markdown_text

MAX_ROWS = 500  # GitHub takes at most 1 MiB of summary per step; 500 rows of findings stay well below it


def render_job_summary(report: Report, options: RenderOptions) -> str:
    fresh, excused = new_findings(report.findings(), options.baseline)
    line_of = location(report, options)
    failing = sum(1 for finding in fresh if finding.category in options.fail_on)
    code = report.exit_code(options.fail_on, options.baseline, options.unresolved)
    verdict = {0: "passed", 1: f"failed: {failing} finding(s) fail the run", 2: "failed: an input could not be read",
               3: "could not check everything"}[code]
    parts = [f"### refcheck {verdict}"]
    errors = [f"- {markdown_text(d.source)}: {markdown_text(d.error)}" for d in report.documents if d.error]
    if errors:
        parts.append("\n".join(errors))
    if fresh:
        rows = [[("**error**" if finding.category in options.fail_on else "warning"), markdown_text(finding.source), str(line_of(finding)),
                 markdown_text(finding.category), markdown_text(" ".join(finding.message.split()))] for finding in fresh[:MAX_ROWS]]
        parts.append(markdown_table(rows, ["", "File", "Line", "Kind", "Finding"]))
        if len(fresh) > MAX_ROWS:
            parts.append(f"... and {len(fresh) - MAX_ROWS} more (the JSON or JUnit report has them all).")
    parts.append(markdown_text(tally(report, options, len(fresh), failing, excused)))
    return "\n\n".join(parts) + "\n"
